#!/usr/bin/env bash
# Slow clients do not starve respondents (issue 12 item 10).  300 connections
# from one address each send a request head a byte a second; meanwhile a
# respondent at another address gets the survey page in under a second, a
# new connection from the crowded address gets a 503 at once (not silence),
# and exactly LIMIT_CONNECTIONS_PER_CLIENT of the 300 ever hold a thread.
# Behind --proxy the proxy's own address is not capped (it brings everyone),
# any other address still is.  Bounded: about 20 s, 127.0.0.1 only (the
# respondent's 127.0.0.2 and 127.0.0.3 are loopback addresses too), every
# helper stopped by its PID.
. "$(dirname "$0")/lib.sh"

limit() { sed -n "s/^#define $1 \([0-9]*\).*/\1/p" "$ROOT/core/limits.h"; }
CAP=$(limit LIMIT_CONNECTIONS_PER_CLIENT)
THREADS=$(limit LIMIT_CONNECTIONS)
SLOW=300
check "the cap ($CAP) is below the slow crowd ($SLOW) and the threads ($THREADS)" \
	test "$CAP" -lt "$SLOW" -a "$CAP" -lt "$THREADS"
DATA="$TMP/data"
start_server "$DATA" || { fail "server starts"; finish; exit 1; }
PORT=${BASE##*:}
SLOW_PY="$ROOT/tests/http/slow_clients.py"

# timed FROM URL: "STATUS SECONDS" of one GET from the address FROM.
timed() {
	curl -s --interface "$1" -D "$TMP/timed.h" -o "$TMP/timed.b" -w '%{http_code} %{time_total}' --max-time 25 "$2"
}
# count NAME FILE: a count from slow_clients.py's summary line.
count() { sed -n "s/.* $1 \([0-9]*\).*/\1/p; s/^$1 \([0-9]*\).*/\1/p" "$2" | head -n 1; }
# under_a_second "STATUS SECONDS"
under_a_second() { awk -v t="${1#* }" 'BEGIN { exit !(t < 1.0) }'; }

check_eq "before: the survey page is 200" "$(timed 127.0.0.2 "$BASE/s/what-matters" | cut -d' ' -f1)" "200"
# 200 connections reset by the client at once (a count given back for a
# connection never counted would let the crowd below past the cap).
/usr/bin/python3 -c '
import socket, struct, sys
for _ in range(200):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
' "$PORT"
sleep 1

# --- 300 slow connections from 127.0.0.1, for 12 s ---------------------------------
/usr/bin/python3 "$SLOW_PY" "$PORT" "$SLOW" 12 127.0.0.1 >"$TMP/slow.out" 2>&1 &
SLOW_PID=$!
sleep 2
worst=0
for i in 1 2 3; do
	got=$(timed 127.0.0.2 "$BASE/s/what-matters")
	check_eq "with $SLOW slow connections open, a respondent's survey page ($i) is 200" "${got% *}" "200"
	check "  ... in under a second (took ${got#* } s)" under_a_second "$got"
	check "  ... and is the form" grep -q "name=\"_token\"" "$TMP/timed.b"
	sleep 1
done
got=$(timed 127.0.0.3 "$BASE/healthz")
check "  ... /healthz from a third address too (${got#* } s)" under_a_second "$got"
got=$(timed 127.0.0.1 "$BASE/s/what-matters")
check_eq "a new connection from the crowded address gets 503 at once" "${got% *}" "503"
check "  ... in under a second (took ${got#* } s), not silence" under_a_second "$got"
check "  ... saying when to try again" grep -qi '^Retry-After: [0-9]' "$TMP/timed.h"
check "  ... with the security headers" grep -qi "^Content-Security-Policy: default-src 'none'" "$TMP/timed.h"
check "  ... and a page that says why" grep -q 'too many connections from your network' "$TMP/timed.b"
wait "$SLOW_PID"
O="$TMP/slow.out"
echo "# slow clients: $(cat "$O")"
check_eq "all $SLOW slow connections were opened" "$(count opened "$O") $(count refused "$O")" "$SLOW 0"
# Past the cap: a 503 (or, if the client's bytes crossed it, just a close).
check_eq "exactly $((SLOW - CAP)) were turned away at once" \
	"$(($(count busy "$O") + $(count closed "$O")))" "$((SLOW - CAP))"
# Within it: a worker thread each, until the 10 s head deadline (civetweb's 400).
check_eq "exactly $CAP held a thread (cut off at the head deadline)" \
	"$(($(count answered "$O") + $(count open "$O")))" "$CAP"
check_eq "when they are gone, the address is served again (its count came back)" \
	"$(timed 127.0.0.1 "$BASE/s/what-matters" | cut -d' ' -f1)" "200"
check "the server stops cleanly" stop_server

# --- behind --proxy ------------------------------------------------------------------
# The proxy (127.0.0.1 here) brings every client: its connections are not
# capped.  Another address connecting directly still is.
start_server "$DATA" "$ROOT/forms" --proxy 127.0.0.1 || { fail "server starts with --proxy"; finish; exit 1; }
PORT=${BASE##*:}
N=$((CAP + 20))
/usr/bin/python3 "$SLOW_PY" "$PORT" "$N" 3 127.0.0.1 >"$TMP/proxy.out" 2>&1 &
P1=$!
/usr/bin/python3 "$SLOW_PY" "$PORT" "$N" 3 127.0.0.3 >"$TMP/direct.out" 2>&1 &
P2=$!
wait "$P1" "$P2"
echo "# from the proxy: $(cat "$TMP/proxy.out"); from another address: $(cat "$TMP/direct.out")"
O="$TMP/proxy.out"
check_eq "behind --proxy, none of $N connections from the proxy is turned away" \
	"$(count opened "$O") $(($(count busy "$O") + $(count closed "$O")))" "$N 0"
O="$TMP/direct.out"
check_eq "  ... while $N from another address meet the cap ($((N - CAP)) turned away)" \
	"$(count opened "$O") $(($(count busy "$O") + $(count closed "$O")))" "$N $((N - CAP))"
check "the server stops cleanly" stop_server
finish
