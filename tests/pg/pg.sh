# tests/pg/pg.sh - a throw-away PostgreSQL server for the tests (sourced).
#
# pg_start makes a cluster with Debian's postgresql-15 (initdb) in a new
# temporary folder and runs it as an unprivileged user: the caller's own
# when it is not root; as root, the "postgres" user Debian's package made,
# or else a system user "yvtest" made here.  It listens on a free port on
# 127.0.0.1 and on a unix socket inside the folder, and sets:
#
#   PG_DIR      the folder (the cluster in PG_DIR/data, the log PG_DIR/log)
#   PG_PORT     its port;  PG_PID  the postmaster's PID
#   PG_URL      postgresql://yv@127.0.0.1:PORT/yv  (TCP: password in PGPASSFILE)
#   PG_SOCK_URL postgresql://yv@/yv?host=PG_DIR/sock&port=PORT  (socket, trust)
#   PGPASSFILE  exported: libpq reads the TCP password from it
#
# pg_pause and pg_resume stop it and start it again on the same port with
# its data kept (a restart under load).  pg_stop stops it by its PID (SIGINT: "fast" shutdown), waiting a bounded
# time, then SIGKILL, and removes the folder.  pg_new_db NAME makes another
# empty database owned by yv and prints its socket URL.  Every wait is
# bounded; nothing is left running if the caller traps EXIT with pg_stop.
#
# The cluster keeps fsync and synchronous_commit on, as production would
# (the durability tests rely on it), and the privacy settings of
# docs/postgresql.md: no connection or host logging, no commit timestamps.
#
#   tests/pg/pg.sh COMMAND...   runs COMMAND with YV_TEST_DB set to a fresh
#                               server's socket URL, then stops the server.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR= PG_PORT= PG_PID= PG_URL= PG_SOCK_URL=
PG_RUNAS=

# Runs a command as the cluster's user.
pg_as() {
	if [ -n "$PG_RUNAS" ]; then
		setpriv --reuid="$PG_RUNAS" --regid="$PG_RUNAS" --init-groups -- "$@"
	else
		"$@"
	fi
}

# A port nothing listens on now (the kernel's pick).  Another process may
# take it before the server does: pg_start then tries another.
pg_free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# pg_launch: runs the postmaster of PG_DIR on PG_PORT in the background
# and sets PG_PID (setpriv execs postgres in place, so $! is its PID).
pg_launch() {
	local run=()
	[ -n "$PG_RUNAS" ] && run=(setpriv --reuid="$PG_RUNAS" --regid="$PG_RUNAS" --init-groups --)
	"${run[@]}" "$PG_BIN/postgres" -D "$PG_DIR/data" -p "$PG_PORT" -k "$PG_DIR/sock" \
		-c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on \
		-c log_connections=off -c log_disconnections=off -c log_hostname=off \
		-c track_commit_timestamp=off -c wal_recycle=off -c log_statement=none \
		-c log_min_duration_statement=-1 -c log_parameter_max_length_on_error=0 \
		-c archive_mode=off -c max_connections=100 \
		>>"$PG_DIR/log" 2>&1 &
	PG_PID=$!
}

# pg_ready: 0 once the server takes connections (waits at most 10 s, less
# if the postmaster exits).
pg_ready() {
	local i
	for i in $(seq 1 100); do  # tenths of a second
		"$PG_BIN/pg_isready" -q -h "$PG_DIR/sock" -p "$PG_PORT" -U yvadmin && return 0
		kill -0 "$PG_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

pg_start() {
	if [ ! -x "$PG_BIN/initdb" ]; then
		echo "pg.sh: no $PG_BIN/initdb (install postgresql-15)" >&2
		return 1
	fi
	if [ "$(id -u)" -eq 0 ]; then
		if id postgres >/dev/null 2>&1; then
			PG_RUNAS=postgres
		else
			id yvtest >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin yvtest || return 1
			PG_RUNAS=yvtest
		fi
	fi
	PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/yv-pg.XXXXXX") || return 1
	chmod 0700 "$PG_DIR"
	mkdir -p "$PG_DIR/sock"
	local pw
	pw=$(head -c 18 /dev/urandom | base64 | tr '+/' 'xy')
	printf '%s\n' "$pw" >"$PG_DIR/pw"
	[ -n "$PG_RUNAS" ] && chown -R "$PG_RUNAS:" "$PG_DIR"
	# The superuser "yvadmin" trusts the socket (a 0700 folder: only the
	# cluster's user and root reach it); TCP asks for yv's password.
	if ! pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U yvadmin -E UTF8 --locale=C.UTF-8 \
		--auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1; then
		echo "pg.sh: initdb failed:" >&2
		cat "$PG_DIR/initdb.log" >&2
		return 1
	fi
	local try
	for try in 1 2 3 4 5; do
		PG_PORT=$(pg_free_port)
		: >"$PG_DIR/log"
		[ -n "$PG_RUNAS" ] && chown "$PG_RUNAS:" "$PG_DIR/log"
		pg_launch
		pg_ready && break
		# Not up: the port was taken meanwhile, or worse; stop and retry.
		kill -INT "$PG_PID" 2>/dev/null
		wait "$PG_PID" 2>/dev/null
		PG_PID=
	done
	if [ -z "$PG_PID" ]; then
		echo "pg.sh: postgres did not start:" >&2
		cat "$PG_DIR/log" >&2
		return 1
	fi
	if ! "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR/sock" -p "$PG_PORT" -U yvadmin -d postgres \
		-c "CREATE ROLE yv LOGIN PASSWORD '$pw'" -c "CREATE DATABASE yv OWNER yv" >/dev/null; then
		echo "pg.sh: could not make the role and database" >&2
		return 1
	fi
	printf '127.0.0.1:%s:*:yv:%s\n' "$PG_PORT" "$pw" >"$PG_DIR/pgpass"
	chmod 0600 "$PG_DIR/pgpass"
	export PGPASSFILE="$PG_DIR/pgpass"
	PG_URL="postgresql://yv@127.0.0.1:$PG_PORT/yv"
	PG_SOCK_URL="postgresql://yv@/yv?host=$PG_DIR/sock&port=$PG_PORT"
}

# pg_new_db NAME [ICU_LOCALE]: another empty database owned by yv, sorting
# text as the cluster does (C.UTF-8) or by ICU_LOCALE ("en-GB": as many a
# real database would); prints its socket URL.
pg_new_db() {
	local how=""
	[ -n "${2:-}" ] && how=" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '$2'"
	"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR/sock" -p "$PG_PORT" -U yvadmin -d postgres \
		-c "CREATE DATABASE \"$1\" OWNER yv$how" >/dev/null || return 1
	printf 'postgresql://yv@/%s?host=%s/sock&port=%s\n' "$1" "$PG_DIR" "$PG_PORT"
}

# pg_psql SQL...: runs SQL as the superuser on database yv (tests look
# behind the store's back with it).
pg_psql() {
	"$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$PG_DIR/sock" -p "$PG_PORT" -U yvadmin -d yv "$@"
}

# pg_pause: stops the server (fast shutdown: clients are cut off) and
# keeps its data; pg_resume starts it again on the same port, as an
# administrator's restart would.  Both wait a bounded time.
pg_pause() {
	kill -INT "$PG_PID"
	local i
	for i in $(seq 1 150); do
		kill -0 "$PG_PID" 2>/dev/null || break
		sleep 0.1
	done
	wait "$PG_PID" 2>/dev/null
}
pg_resume() {
	pg_launch
	pg_ready
}

pg_stop() {
	if [ -n "$PG_PID" ] && kill -0 "$PG_PID" 2>/dev/null; then
		kill -INT "$PG_PID"   # fast shutdown: roll back, checkpoint, exit
		local i
		for i in $(seq 1 150); do
			kill -0 "$PG_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$PG_PID" 2>/dev/null && kill -KILL "$PG_PID"
		wait "$PG_PID" 2>/dev/null
	fi
	PG_PID=
	[ -n "$PG_DIR" ] && rm -rf "$PG_DIR"
	PG_DIR=
}

# Run as a program: a server around one command.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -u
	if [ $# -eq 0 ]; then
		echo "usage: $0 COMMAND [ARGS...]  (runs it with YV_TEST_DB set)" >&2
		exit 2
	fi
	trap pg_stop EXIT
	pg_start || exit 1
	# A second database whose own collation is not byte order (test_store_both).
	icu_url=$(pg_new_db yv_icu en-GB) || exit 1
	YV_TEST_DB=$PG_SOCK_URL YV_TEST_DB_TCP=$PG_URL YV_TEST_DB_ICU=$icu_url "$@"
	exit $?
fi
