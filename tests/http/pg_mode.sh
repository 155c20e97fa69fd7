# tests/http/pg_mode.sh - the HTTP suites on PostgreSQL (sourced by lib.sh
# when YV_HTTP_PG=1; tests/run-all.sh sets it for the suites in
# PG_HTTP_SUITES).
#
# A suite runs unchanged: it starts a throw-away PostgreSQL server of its
# own (tests/pg/pg.sh), and SERVER_BIN and EXPORT_BIN become small wrappers
# that add `--db URL` to every call, the URL naming a database of its own
# for each data folder (made on first use).  So every server, keygen, user
# add and export a suite runs on a folder meets the same database, as they
# meet the same youthvoice.db on SQLite, and two folders never share one.
#
# What the suites read behind the server's back with the sqlite3 tool is
# read from that database with psql instead (sqlite3 below): the same
# output for the queries they ask (list mode, "|" between columns, NULL
# as nothing), with group_concat and hex() said in PostgreSQL's words.
# A suite whose checks are about SQLite's file itself is not in
# PG_HTTP_SUITES.

# shellcheck source=../pg/pg.sh
. "$ROOT/tests/pg/pg.sh"
pg_start || { echo "pg_mode: no PostgreSQL server"; exit 1; }
export YV_PG_DIR=$PG_DIR YV_PG_PORT=$PG_PORT YV_PG_BIN=$PG_BIN

pg_mode_cleanup() { cleanup; pg_stop; }
trap pg_mode_cleanup EXIT

# pg-db-for DIR (a script, so that wrappers run through /bin/sh or
# script(1), which drop exported functions, still find it): the database
# for data folder DIR, made if missing; prints its socket URL.
mkdir -p "$TMP/pg-bin"
cat >"$TMP/pg-bin/pg-db-for" <<'SCRIPT'
#!/usr/bin/env bash
name="yv_$(realpath -m "$1" | md5sum | cut -c1-20)"
psql=("$YV_PG_BIN/psql" -X -q -A -t -h "$YV_PG_DIR/sock" -p "$YV_PG_PORT" -U yvadmin -d postgres)
if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" ]; then
	# Two calls may make it at once: the loser's error is harmless.
	"${psql[@]}" -c "CREATE DATABASE \"$name\" OWNER yv" >/dev/null 2>&1
fi
printf 'postgresql://yv@/%s?host=%s/sock&port=%s\n' "$name" "$YV_PG_DIR" "$YV_PG_PORT"
SCRIPT
chmod +x "$TMP/pg-bin/pg-db-for"
PG_DB_FOR="$TMP/pg-bin/pg-db-for"
export PG_DB_FOR

# The wrappers: the real program with --db for its --data folder (the
# programs' default folder is ./data).
for prog in survey-server survey-export; do
	cat >"$TMP/pg-bin/$prog" <<SCRIPT
#!/usr/bin/env bash
data=./data
prev=
for a in "\$@"; do
	[ "\$prev" = --data ] && data=\$a
	prev=\$a
done
exec "$ROOT/$BUILD/bin/$prog" "\$@" --db "\$("$PG_DB_FOR" "\$data")"
SCRIPT
	chmod +x "$TMP/pg-bin/$prog"
done
SERVER_BIN="$TMP/pg-bin/survey-server"
EXPORT_BIN="$TMP/pg-bin/survey-export"

# pg_sql_of SQL: SQLite's spelling of the few functions the suites use in
# PostgreSQL's.
pg_sql_of() {
	sed -E -e "s/group_concat\(DISTINCT ([^(),]*(\([^()]*\))?[^(),]*)\)/string_agg(DISTINCT CAST(\1 AS text), ',')/g" \
		-e "s/group_concat\(([^(),]*(\([^()]*\))?[^(),]*), *('[^']*')\)/string_agg(CAST(\1 AS text), \3)/g" \
		-e "s/group_concat\(([^(),]*(\([^()]*\))?[^(),]*)\)/string_agg(CAST(\1 AS text), ',')/g" \
		-e "s/hex\(([a-z_]+)\)/upper(encode(\1, 'hex'))/g" -e "s/ GLOB / SIMILAR TO /g" \
		-e "s/strftime\('%s', 'now'\)/CAST(extract(epoch FROM now()) AS bigint)/g" \
		-e "s/(^|[^a-zA-Z0-9_])x'([0-9a-fA-F]*)'/\\1decode('\\2', 'hex')/g" \
		-e "s/string_agg\(CAST\(name AS text\), ','\) FROM pragma_table_info\('([a-z_]+)'\)/string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = '\1'/" <<<"$1"
}
export -f pg_sql_of

# sqlite3 [-cmd X]... FILE [SQL]: SQL (or standard input) on the database
# of FILE's folder.  .dump and .schema give pg_dump's data and schema.
sqlite3() {
	while [ "${1:-}" = -cmd ]; do shift 2; done
	local url sql=${2-}
	url=$("$PG_DB_FOR" "$(dirname "$1")")
	[ $# -ge 2 ] || sql=$(cat)
	case "$sql" in
	.dump) "$YV_PG_BIN/pg_dump" --no-owner --inserts -d "$url" ;;
	.schema) "$YV_PG_BIN/pg_dump" --no-owner --schema-only -d "$url" ;;
	*) "$YV_PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$url" -c "$(pg_sql_of "$sql")" ;;
	esac
}
export -f sqlite3

# hold_write_lock FILE / release_write_lock: what another process holding
# SQLite's write lock is on PostgreSQL: another session holding the tables
# the shared commit and staff writes change (EXCLUSIVE: reads go on), until
# released; a write meets the layer's lock_timeout (5 s, as SQLite's busy
# wait) and is refused.  Returns once the lock is held.
hold_write_lock() {
	local url
	url=$("$PG_DB_FOR" "$(dirname "$1")")
	PGAPPNAME=yv_lock_holder "$YV_PG_BIN/psql" -X -q -d "$url" \
		-c "BEGIN; LOCK TABLE responses, tally_changes, event_options, used_tokens IN EXCLUSIVE MODE; SELECT pg_sleep(120); COMMIT;" \
		>/dev/null 2>&1 &
	LOCK_HOLDER=$!
	for _ in $(seq 1 50); do
		[ "$("$YV_PG_BIN/psql" -X -A -t -d "$url" -c "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'yv_lock_holder' AND l.mode = 'ExclusiveLock' AND l.granted AND l.relation IS NOT NULL")" -ge 4 ] && return 0
		sleep 0.1
	done
	echo "hold_write_lock: the lock was not taken" >&2
}
release_write_lock() {
	"$YV_PG_BIN/psql" -X -q -A -t -h "$YV_PG_DIR/sock" -p "$YV_PG_PORT" -U yvadmin -d postgres \
		-c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'yv_lock_holder'" >/dev/null
	wait "$LOCK_HOLDER" 2>/dev/null
}

# folder_bytes DIR: the folder's files and, on PostgreSQL, what the folder's
# database holds (pg_dump), so that "nowhere in the data folder" checks
# look where the answers are kept.
folder_bytes() {
	find "$1" -type f -exec cat {} + 2>/dev/null
	sqlite3 "$1/youthvoice.db" .dump
}
export -f folder_bytes

# Every suite on PostgreSQL ends by checking that nothing fell back to
# SQLite: no youthvoice.db was made in any data folder.
eval "lib_$(declare -f finish)"
finish() {
	check "nothing was stored in a SQLite file beside PostgreSQL" \
		test -z "$(find "$TMP" -name youthvoice.db -print -quit 2>/dev/null)"
	lib_finish
}
