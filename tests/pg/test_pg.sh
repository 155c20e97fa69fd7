#!/usr/bin/env bash
# tests/pg/test_pg.sh - the PostgreSQL test harness itself (tests/pg/pg.sh,
# docs/postgresql.md): the server runs as an unprivileged user, listens on
# 127.0.0.1 only and on a socket inside its 0700 folder, takes the TCP URL
# with the password from PGPASSFILE and nothing without it, makes extra
# databases, and pg_stop ends the process and removes the folder.
set -u
. "$(dirname "$0")/pg.sh"
PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL - $1"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
trap pg_stop EXIT

check "the server starts" pg_start
dir=$PG_DIR pid=$PG_PID
user=$(ps -o user= -p "$pid" | tr -d ' ')
check "it runs as an unprivileged user ($user)" test -n "$user" -a "$user" != root
check "its PID is the postmaster's" test "$(head -n 1 "$PG_DIR/data/postmaster.pid")" = "$pid"
check "its folder is 0700" test "$(stat -c %a "$PG_DIR")" = 700
check "its socket is inside its folder" test -S "$PG_DIR/sock/.s.PGSQL.$PG_PORT"
check "it listens on 127.0.0.1 only" test "$(pg_psql -c 'SHOW listen_addresses')" = 127.0.0.1
for setting in log_connections=off log_disconnections=off log_hostname=off track_commit_timestamp=off \
	wal_recycle=off archive_mode=off log_statement=none log_min_duration_statement=-1 \
	log_parameter_max_length_on_error=0 fsync=on synchronous_commit=on; do
	check "it runs with $setting (docs/threat-model.md)" test "$(pg_psql -c "SHOW ${setting%%=*}")" = "${setting#*=}"
done
check "the TCP URL works with PGPASSFILE" \
	test "$("$PG_BIN/psql" -X -A -t -d "$PG_URL" -c 'SELECT current_user')" = yv
no_pw=$(PGPASSFILE="$PG_DIR/none" "$PG_BIN/psql" -X -A -t -w -d "$PG_URL" -c 'SELECT 1' 2>&1)
check "the TCP URL without the password is refused" \
	grep -q 'password' <<<"$no_pw"
check "the socket URL works" \
	test "$("$PG_BIN/psql" -X -A -t -d "$PG_SOCK_URL" -c 'SELECT current_database()')" = yv
url=$(pg_new_db second)
check "pg_new_db makes another database" \
	test "$("$PG_BIN/psql" -X -A -t -d "$url" -c 'SELECT current_database()')" = second
pg_psql -c 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)'
pg_pause
check "pg_pause stops the server" bash -c "! kill -0 $pid 2>/dev/null"
check "pg_resume starts it again on the same port" pg_resume
check "  ... with the data kept" test "$(pg_psql -c 'SELECT n FROM kept')" = 7
pid=$PG_PID
pg_stop
check "pg_stop ends the server" bash -c "! kill -0 $pid 2>/dev/null"
check "pg_stop removes its folder" test ! -e "$dir"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
