#!/usr/bin/env bash
# The tally page on the day, in a real browser (tally_offline.mjs): taps and
# totals made offline, through a reload, a closed tab, a closed browser and
# a session ended in another tab, each arrive exactly once; the layout fits a
# 768x1024 tablet.  Then the database: each option's count and the number of
# changes stored for it are exactly what the page was given.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
DB="$DATA/youthvoice.db"
add_staff "$DATA" kai:youth-worker || { fail "accounts are made"; finish; exit 1; }
start_server "$DATA" || { fail "server starts"; finish; exit 1; }
CSRF=$(sign_in "$TMP/jar" kai)
curl -s -o /dev/null -b "$TMP/jar" -d "_csrf=$CSRF&name=Youth+fair&day=2026-11-22&consultation=cyp-plan-2027" "$BASE/staff/events"
EV=$(sqlite3 "$DB" 'SELECT max(id) FROM events')
marketplace() { "$EXPORT_BIN" --data "$DATA" themes --min-cell 0 | tr -d '\r' | grep "^$1,.*\"$2\"" | awk -F, '{print $(NF-2)}'; }
before=$(marketplace 2 "Online safety")

node "$HERE/tally_offline.mjs" "$BASE" kai "$STAFF_PASSWORD" "${EV:-0}" >"$TMP/offline.txt" 2>&1
status=$?
cat "$TMP/offline.txt"
check_eq "the tally run in the browser passes" "$status" "0"

# stored P THEME: "count changes" for one option of the event.
stored() {
	sqlite3 -cmd ".timeout 5000" "$DB" "SELECT (SELECT count FROM event_options WHERE event_id = $EV AND priority = $1 AND theme = '$2')
		|| ' ' || (SELECT count(*) FROM tally_changes WHERE event_id = $EV AND priority = $1 AND theme = '$2')"
}
check_eq "5 taps online, then -1 +1: count 5 from 7 changes" "$(stored 1 early-help-families)" "5 7"
check_eq "a -1 at zero refused on the page: nothing stored" "$(stored 2 bullying)" "0 0"
check_eq "3 taps offline: count 3 from 3 changes" "$(stored 2 online-safety)" "3 3"
check_eq "+5 -1 offline, signed out and in again: count 4 from 6 changes" "$(stored 3 transport)" "4 6"
check_eq "2+2+2 taps through a reload, a closed tab and a reload: count 6 from 6 changes" "$(stored 4 young-carers)" "6 6"
check_eq "+1 +1, total 40, +1 offline: count 41 from 4 changes" "$(stored 5 mental-health)" "41 4"
check_eq "taps answered 503, 403 (kept) and 400 (dropped): count 2 from 2 changes" "$(stored 5 healthy-food)" "2 2"
check_eq "totals 7 then 9 offline: count 9 from 2 changes" "$(stored 5 sport-activity)" "9 2"
check_eq "a tap left by the earlier page: count 1 from 1 change" "$(stored 1 healthy-food)" "1 1"
check_eq "2 taps through a closed browser: count 2 from 2 changes" "$(stored 4 send)" "2 2"
check_eq "a tap at 360 px and one at 320 px: count 2 from 2 changes" "$(stored 2 knife-crime)" "2 2"
check_eq "a tap each without IndexedDB and with storage full: count 2 from 2 changes" "$(stored 3 information-education)" "2 2"
check_eq "nothing else was stored" "$(sqlite3 "$DB" "SELECT count(*) FROM tally_changes WHERE event_id = $EV")" "37"
check_eq "the marketplace column moved by exactly the 3 taps" "$(marketplace 2 "Online safety")" "$((before + 3))"
check "the server stops cleanly" stop_server
finish
