#!/usr/bin/env bash
# Failing safe when the database cannot be written: while another process
# holds SQLite's write lock, a submission waits out the busy timeout and
# gets a calm 503 page ("We could not save your answers. Please try
# again.") with every answer still in the form, on a single-page survey and
# on the check page of a survey of several pages; nothing is stored or
# acknowledged.  Once the lock goes, the very same form (its token was not
# used up) is stored with a 303: the server recovers by itself.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
DB="$DATA/youthvoice.db"
MESSAGE="We could not save your answers. Please try again."
q() { sqlite3 -cmd '.timeout 5000' "$DB" "$1"; }

start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server starts"; finish; exit 1; }
pass "server starts"

MARKER="kept$RANDOM$RANDOM"
T1=$(fresh_token what-matters)
T2=$(fresh_token your-area)
ONE=(-d "_token=$T1" -d most-important=online -d 'make-better[]=transport' \
	--data-urlencode "tell-us=Please keep this: $MARKER" -d age=16-17 -d district=westfield)
SEVERAL=(-d "_token=$T2" -d _page=5 -d _action=submit -d feel-safe=4 -d young-carer=yes -d carer-help=talk
	-d 'more-of[]=sport' -d 'more-of[]=buses' --data-urlencode "worries=Late buses $MARKER"
	-d age=14-15 -d district=southmere)
# post NAME SURVEY ARGS...: saves the body to $TMP/NAME.html, prints the status.
post() {
	local name=$1 survey=$2
	shift 2
	curl -s -o "$TMP/$name.html" -w '%{http_code}' --max-time 20 "$@" "$BASE/s/$survey"
}
has() { grep -qF -- "$2" "$TMP/$1.html"; }
rows0=$(q "SELECT count(*) FROM responses")

# Another process takes the write lock and keeps it until released.
hold_write_lock "$DB"
check "another process holds the write lock" bash -c "! sqlite3 '$DB' 'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null"

# Both submissions at once: each waits out the 5 s busy timeout.
post one what-matters "${ONE[@]}" >"$TMP/one.status" &
p1=$!
post several your-area "${SEVERAL[@]}" >"$TMP/several.status" &
p2=$!
wait "$p1" "$p2"
check_eq "single-page survey, database locked: 503" "$(cat "$TMP/one.status")" "503"
check "  ... says so calmly" has one "$MESSAGE"
check "  ... is the form again, posting to itself" has one '<form method="post" action="/s/what-matters"'
check "  ... with the free text kept" has one "Please keep this: $MARKER"
check "  ... with the choices kept" grep -qE 'value="online"[^>]* checked|checked[^>]* value="online"' "$TMP/one.html"
check "  ... and its token, to send again" has one "value=\"$T1\""
check_eq "check page of a survey of several pages, database locked: 503" "$(cat "$TMP/several.status")" "503"
check "  ... says so calmly" has several "$MESSAGE"
check "  ... is the check page again" has several "Check your answers"
check "  ... with the free text kept" has several "Late buses $MARKER"
check "  ... with the other answers kept" has several 'name="district" value="southmere"'
check "  ... and its token" has several "value=\"$T2\""
check "  ... no SQL message or path leaks" bash -c "no_match -qiE 'sqlite|database|$DATA' '$TMP/one.html' '$TMP/several.html'"

release_write_lock
check_eq "nothing was stored while locked" "$(q "SELECT count(*) FROM responses")" "$rows0"
check_eq "no token was used up" "$(q "SELECT count(*) FROM used_tokens")" "0"

# The lock is gone: the same forms, sent again, are stored.
check_eq "after the lock goes, the same single-page form is 303" "$(post one2 what-matters "${ONE[@]}")" "303"
check_eq "  ... and the same check page is 303" "$(post several2 your-area "${SEVERAL[@]}")" "303"
check_eq "  ... both are stored" "$(q "SELECT count(*) FROM responses")" "$((rows0 + 2))"
check_eq "  ... a third press of the same form stores nothing more" "$(post one3 what-matters "${ONE[@]}")" "303"
check_eq "  ... still two" "$(q "SELECT count(*) FROM responses")" "$((rows0 + 2))"
check "the server stops cleanly" stop_server
finish
