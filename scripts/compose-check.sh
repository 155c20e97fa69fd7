#!/usr/bin/env bash
# compose-check.sh - runs compose.yaml's services by hand with podman (no
# compose tool needed) and checks them: PostgreSQL from deploy/postgres,
# the key made once on the shared data volume, two survey-servers on the
# database, an answer sent through one with a form from the other stored,
# and the same form sent again to the first not stored twice.  As root, from anywhere:
#
#   bash scripts/compose-check.sh
#
# It first runs ../shared/tools/container-check, which makes the Debian base
# images from Debian's mirror and builds and checks the survey-server image
# (youthvoice-check).  Everything runs in one pod on 127.0.0.1 ("db" is an
# added host name for the pod's own address, as compose's service name is);
# the containers, pod and volumes are removed at the end.  Prints
# "compose-check: ok" or "compose-check: FAILED: why".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "compose-check: FAILED: $*"; exit 1; }

"$root/../shared/tools/container-check/container-check" "$root" || fail "container-check"
export CONTAINERS_CONF=${CONTAINER_CHECK_DIR:-/var/tmp/container-check}/containers.conf
podman build -q --format docker -t youthvoice-pg-check "$root/deploy/postgres" >/dev/null ||
	fail "podman build deploy/postgres"

id=yv-compose-$$
work=$(mktemp -d)
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
p1=$(free_port) p2=$(free_port)
cleanup() {
	podman pod rm -f "$id" >/dev/null 2>&1 || true
	podman volume rm -f "$id-db" "$id-data" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
printf 'PGPASSWORD=%s\n' "$(head -c 18 /dev/urandom | base64 | tr '+/' 'xy')" >"$work/db.env"
printf 'a passphrase for compose-check only\n' >"$work/passphrase"
chmod 0644 "$work/passphrase"
podman volume create "$id-db" >/dev/null
podman volume create "$id-data" >/dev/null
podman pod create --name "$id" --add-host db:127.0.0.1 \
	-p "127.0.0.1:$p1:8081" -p "127.0.0.1:$p2:8082" >/dev/null

podman run -d --pod "$id" --name "$id-db" --env-file "$work/db.env" \
	-v "$id-db:/var/lib/postgresql/data" youthvoice-pg-check >/dev/null || fail "podman run db"
for _ in $(seq 1 60); do
	podman healthcheck run "$id-db" >/dev/null 2>&1 && break
	sleep 0.5
done
podman healthcheck run "$id-db" >/dev/null 2>&1 || { podman logs "$id-db" | tail -5; fail "PostgreSQL is not healthy"; }

podman run --rm --pod "$id" -v "$id-data:/data" -v "$work/passphrase:/run/passphrase:ro" \
	youthvoice-check survey-server keygen --data /data --passphrase-file /run/passphrase >/dev/null ||
	fail "keygen on the shared volume"
url=postgresql://youthvoice@db:5432/youthvoice
for n in 1 2; do
	podman run -d --pod "$id" --name "$id-s$n" --env-file "$work/db.env" -v "$id-data:/data" youthvoice-check \
		survey-server serve --data /data --forms /app/forms --listen "0.0.0.0:808$n" --db "$url" >/dev/null ||
		fail "podman run server$n"
done
s1=http://127.0.0.1:$p1 s2=http://127.0.0.1:$p2
for s in "$s1" "$s2"; do
	ok=
	for _ in $(seq 1 50); do
		[ "$(curl -fsS -m 2 "$s/healthz" 2>/dev/null)" = ok ] && ok=1 && break
		sleep 0.2
	done
	[ -n "$ok" ] || { podman logs "$id-s1" 2>&1 | tail -5; podman logs "$id-s2" 2>&1 | tail -5; fail "$s/healthz"; }
done

token=$(curl -fsS -m 10 "$s1/s/what-matters" | sed -n 's/.*name="_token" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
[ -n "$token" ] || fail "no form from server1"
send() {
	curl -s -o /dev/null -w '%{http_code}' -m 20 -d "_token=$token" -d most-important=talk \
		-d "make-better[]=sport" -d age=14-15 -d district=northvale "$1/s/what-matters"
}
[ "$(send "$s2")" = 303 ] || fail "server2 did not store an answer on server1's form"
# Sent again (its answer lost on the way), server1 says thanks and stores nothing.
again=$(send "$s1")
[ "$again" = 303 ] || fail "the form sent again to server1 got $again"
count=$(podman exec "$id-db" psql -X -A -t -h /run/postgresql -U postgres -d youthvoice \
	-c 'SELECT count(*) FROM responses')
[ "$count" = 1 ] || fail "the database holds $count responses, not 1"
# (The image's HEALTHCHECK asks port 8080, which in this one pod only the
# first server could have: container-check above ran it on the image.)
echo "compose-check: ok (PostgreSQL and two servers; one answer stored once through both)"
