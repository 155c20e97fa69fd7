#!/usr/bin/env bash
# test_db_option.sh - --db URL on survey-server and survey-export (CONTRACT.md,
# docs/postgresql.md).  Until the whole store runs on PostgreSQL both
# programs refuse a postgresql:// URL clearly (exit 2, one line saying why,
# never the URL, which may hold a password) and touch nothing; anything
# else than such a URL is bad usage; both say --db in --help.
. "$(dirname "$0")/lib.sh"

data="$TMP/data"
url='postgresql://yv:sekrit-pass@127.0.0.1:1/yv'

# refused WHAT EXPECTED_TEXT PROGRAM ARGS...: exit 2, the text in one line
# of standard error, no password in it, no data folder made.
refused() {
	local what=$1 text=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	local status=$?
	check_eq "$what: exit 2" "$status" 2
	check "$what: says why" grep -q "$text" "$TMP/err"
	check_eq "$what: in one line" "$(wc -l <"$TMP/err" | tr -d ' ')" 1
	check "$what: never shows the URL's password" no_match sekrit "$TMP/err"
	check "$what: makes no data folder" test ! -e "$data"
}

for cmd in serve keygen "user add" backup "key list"; do
	# shellcheck disable=SC2086
	refused "survey-server $cmd --db postgresql://" "PostgreSQL is not ready" \
		"$SERVER_BIN" $cmd --data "$data" --db "$url"
done
refused "survey-server serve --db a file name" "takes a postgresql://" \
	"$SERVER_BIN" serve --data "$data" --db "$TMP/other.db"
refused "survey-export --db postgresql://" "PostgreSQL is not ready" \
	"$EXPORT_BIN" --data "$data" --db "$url" themes --consultation c
refused "survey-export --db a file name" "takes a postgresql://" \
	"$EXPORT_BIN" --data "$data" --db "$TMP/other.db" themes --consultation c

"$SERVER_BIN" --help >"$TMP/help" 2>&1
check "survey-server --help names --db" grep -q -- "--db URL" "$TMP/help"
"$EXPORT_BIN" --help >"$TMP/help" 2>&1
check "survey-export --help names --db" grep -q -- "--db URL" "$TMP/help"

finish
