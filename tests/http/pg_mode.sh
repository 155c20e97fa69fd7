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

# pg_db_for DIR: the database for data folder DIR (made if missing); prints
# its socket URL.  Exported: the wrappers and checks run through bash -c
# call it.
pg_db_for() {
	local name
	name="yv_$(realpath -m "$1" | md5sum | cut -c1-20)"
	if [ -z "$("$YV_PG_BIN/psql" -X -A -t -h "$YV_PG_DIR/sock" -p "$YV_PG_PORT" -U yvadmin -d postgres \
		-c "SELECT 1 FROM pg_database WHERE datname = '$name'")" ]; then
		# Two calls may make it at once: the loser's error is harmless.
		"$YV_PG_BIN/psql" -X -q -h "$YV_PG_DIR/sock" -p "$YV_PG_PORT" -U yvadmin -d postgres \
			-c "CREATE DATABASE \"$name\" OWNER yv" >/dev/null 2>&1
	fi
	printf 'postgresql://yv@/%s?host=%s/sock&port=%s\n' "$name" "$YV_PG_DIR" "$YV_PG_PORT"
}
export -f pg_db_for

# The wrappers: the real program with --db for its --data folder (the
# programs' default folder is ./data).
mkdir -p "$TMP/pg-bin"
for prog in survey-server survey-export; do
	cat >"$TMP/pg-bin/$prog" <<EOF
#!/usr/bin/env bash
data=./data
prev=
for a in "\$@"; do
	[ "\$prev" = --data ] && data=\$a
	prev=\$a
done
exec "$ROOT/$BUILD/bin/$prog" "\$@" --db "\$(pg_db_for "\$data")"
EOF
	chmod +x "$TMP/pg-bin/$prog"
done
SERVER_BIN="$TMP/pg-bin/survey-server"
EXPORT_BIN="$TMP/pg-bin/survey-export"

# pg_sql_of SQL: SQLite's spelling of the few functions the suites use in
# PostgreSQL's.
pg_sql_of() {
	sed -E -e "s/group_concat\(([^(),]*(\([^()]*\))?[^(),]*), *('[^']*')\)/string_agg(CAST(\1 AS text), \3)/g" \
		-e "s/group_concat\(([^(),]*(\([^()]*\))?[^(),]*)\)/string_agg(CAST(\1 AS text), ',')/g" \
		-e "s/hex\(([a-z_]+)\)/upper(encode(\1, 'hex'))/g" -e "s/ GLOB / SIMILAR TO /g" <<<"$1"
}
export -f pg_sql_of

# sqlite3 [-cmd X]... FILE [SQL]: SQL (or standard input) on the database
# of FILE's folder.  .dump and .schema give pg_dump's data and schema.
sqlite3() {
	while [ "${1:-}" = -cmd ]; do shift 2; done
	local url sql=${2-}
	url=$(pg_db_for "$(dirname "$1")")
	[ $# -ge 2 ] || sql=$(cat)
	case "$sql" in
	.dump) "$YV_PG_BIN/pg_dump" --no-owner --inserts -d "$url" ;;
	.schema) "$YV_PG_BIN/pg_dump" --no-owner --schema-only -d "$url" ;;
	*) "$YV_PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$url" -c "$(pg_sql_of "$sql")" ;;
	esac
}
export -f sqlite3
