#!/usr/bin/env bash
# test_db_option.sh - --db URL on survey-server and survey-export (CONTRACT.md,
# docs/postgresql.md), without a PostgreSQL server: anything but a
# postgresql:// URL is bad usage (exit 2, one line, nothing made); backup
# with --db says to use pg_dump (exit 2); a PostgreSQL that cannot be
# reached is a clear failure (exit 1) naming it, never the URL's password;
# both programs say --db in --help.  Every suite in PG_HTTP_ALL
# (tests/run-all.sh) runs on a real PostgreSQL through --db.
. "$(dirname "$0")/lib.sh"

data="$TMP/data"
url='postgresql://yv:sekrit-pass@127.0.0.1:1/yv'   # port 1: nothing listens

# refused WHAT STATUS TEXT PROGRAM ARGS...: exits STATUS, says TEXT on
# standard error, never the URL's password.
refused() {
	local what=$1 want=$2 text=$3
	shift 3
	"$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	local status=$?
	check_eq "$what: exit $want" "$status" "$want"
	check "$what: says why" grep -q "$text" "$TMP/err"
	check "$what: never shows the URL's password" no_match sekrit "$TMP/err"
}
# one_line_nothing_made WHAT: the last refusal was one line and made no folder.
one_line_nothing_made() {
	check_eq "$1: in one line" "$(wc -l <"$TMP/err" | tr -d ' ')" 1
	check "$1: makes no data folder" test ! -e "$data"
}

refused "survey-server serve --db a file name" 2 "takes a postgresql://" \
	"$SERVER_BIN" serve --data "$data" --db "$TMP/other.db"
one_line_nothing_made "survey-server serve --db a file name"
refused "survey-export --db a file name" 2 "takes a postgresql://" \
	"$EXPORT_BIN" --data "$data" --db "$TMP/other.db" themes --consultation c
one_line_nothing_made "survey-export --db a file name"
refused "survey-server backup --db" 2 "pg_dump" "$SERVER_BIN" backup --data "$data" --db "$url" -o "$TMP/copy"
one_line_nothing_made "survey-server backup --db"
check "  ... and writes no copy" test ! -e "$TMP/copy"

printf 'a long enough password\n' >"$TMP/pw"
refused "survey-server serve, PostgreSQL unreachable" 1 "PostgreSQL" \
	timeout 30 "$SERVER_BIN" serve --data "$data" --listen 127.0.0.1:0 --db "$url"
refused "survey-server user add, PostgreSQL unreachable" 1 "PostgreSQL" \
	"$SERVER_BIN" user add --data "$data" --db "$url" --name ada --role admin --password-file "$TMP/pw"
refused "survey-export themes, PostgreSQL unreachable" 1 "PostgreSQL" \
	"$EXPORT_BIN" --data "$data" --db "$url" themes --consultation c

"$SERVER_BIN" --help >"$TMP/help" 2>&1
check "survey-server --help names --db" grep -q -- "--db URL" "$TMP/help"
"$EXPORT_BIN" --help >"$TMP/help" 2>&1
check "survey-export --help names --db" grep -q -- "--db URL" "$TMP/help"

finish
