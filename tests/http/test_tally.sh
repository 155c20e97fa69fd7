#!/usr/bin/env bash
# What the tally page's script is told over HTTP, so that it never takes a
# lost change for a saved one: a change sent as JSON without a session is
# 401 with a JSON body (never a redirect), with a stale CSRF token 403
# {"error":"csrf"}, and refusals for good carry a code; GET .../csrf hands
# the session's token to the page after its worker signs in again; every
# change counts exactly once (client ids), a "set the total" too, even when
# resent after the event closed.  And the tally page's HTML: a status bar,
# a link to each stall, "count the stickers" per stall, forms without script.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
DB="$DATA/youthvoice.db"
mkdir -p "$TMP/r"
q() { sqlite3 -cmd ".timeout 5000" "$DB" "$@" 2>&1; }
add_staff "$DATA" kai:youth-worker || { fail "accounts are made"; finish; exit 1; }
start_server "$DATA" || { fail "server starts"; finish; exit 1; }

body() { cat "$B"; }
has_header() { tr -d '\r' <"$H" | grep -qi "^$1"; }
no_header() { ! has_header "$1"; }
J="$TMP/kai.jar"
CS=$(sign_in "$J" kai)
check "kai signs in (a 64-digit token)" test "${#CS}" -eq 64
req "$J" -d "_csrf=$CS&name=Fair&day=2027-06-01&consultation=cyp-plan-2027" "$BASE/staff/events"
EV=$(echo "$R" | sed -n "s|^303 $BASE/staff/events/\([0-9][0-9]*\)\$|\1|p")
check "an event is started" test -n "$EV"
EV=${EV:-0}
TALLY="$BASE/staff/events/$EV/tally"
count() { q "SELECT count FROM event_options WHERE event_id = $EV AND priority = $1 AND theme = '$2'"; }
changes() { q "SELECT count(*) FROM tally_changes"; }
# change JAR CSRF FORM...: a change sent as the page's script sends it.
change() {
	local jar=$1 csrf=$2
	shift 2
	req "$jar" -H 'Accept: application/json' --data-urlencode "_csrf=$csrf" "$@" "$TALLY"
}
# online_safety DESCRIPTION WANT CSRF FORM...: a change to (2, online-safety);
# checks "status  body".
online_safety() {
	local what=$1 want=$2 csrf=$3
	shift 3
	change "$J" "$csrf" -d priority=2 -d theme=online-safety "$@"
	check_eq "$what" "$R $(body)" "$want"
}
# code: the last answer's status and its JSON error code.
code() { echo "$R $(sed -n 's/^{"error":"\([a-z-]*\)".*/\1/p' "$B")"; }
SIGNED_OUT='{"error":"signed-out","message":"You are signed out. Sign in again, then send it again.","sign_in":"/staff/login"}'

# --- signed out: 401 with JSON, never a redirect ---------------------------------
before=$(changes)
change - "$CS" -d priority=2 -d theme=online-safety -d delta=1 -d client_id=a-1
check_eq "a tap as JSON without a session is 401" "$R" "401 "
check_eq "  ... with a JSON body saying signed out" "$(body)" "$SIGNED_OUT"
check "  ... as application/json" has_header "Content-Type: application/json"
check "  ... with no Location" no_header "Location:"
check "  ... not cacheable" has_header "Cache-Control: no-store"
change - "$CS" -d priority=2 -d theme=online-safety -d total=9 -d client_id=a-2
check_eq "a set total as JSON without a session is 401 too" "$R $(body)" "401  $SIGNED_OUT"
req - -H "Cookie: yv_staff=$(printf '%064d' 7)" -H 'Accept: application/json' \
	-d "_csrf=$CS&priority=2&theme=online-safety&delta=1&client_id=a-3" "$TALLY"
check_eq "a made-up session cookie as JSON is 401" "$R $(body)" "401  $SIGNED_OUT"
req - -H 'Accept: text/html, application/json;q=0.9' -d "_csrf=$CS&priority=2&theme=online-safety&delta=1&client_id=a-4" "$TALLY"
check_eq "an Accept that names JSON among others is 401 too" "$R" "401 "
req - -d "_csrf=$CS&priority=2&theme=online-safety&delta=1&client_id=a-5" "$TALLY"
check_eq "without JSON, a person is sent to sign in (303)" "$R" "303 $BASE/staff/login"
check_eq "  ... none of those stored a change" "$(changes)" "$before"

# --- the session's token for the page's script ------------------------------------
req "$J" -H 'Accept: application/json' "$BASE/staff/events/$EV/csrf"
check_eq "GET .../csrf signed in is 200 with the session's token" "$R $(body)" "200  {\"csrf\":\"$CS\"}"
check "  ... as application/json" has_header "Content-Type: application/json"
check "  ... not cacheable" has_header "Cache-Control: no-store"
req "$J" -H 'Origin: http://elsewhere.example' "$BASE/staff/events/$EV/csrf"
check "  ... with no CORS header, even asked from another origin" no_header "Access-Control-"
req - -H 'Accept: application/json' "$BASE/staff/events/$EV/csrf"
check_eq "GET .../csrf without a session, as JSON, is 401" "$R $(body)" "401  $SIGNED_OUT"
req - "$BASE/staff/events/$EV/csrf"
check_eq "GET .../csrf without a session, as a page, goes to sign in" "$R" "303 $BASE/staff/login"
req "$J" -H 'Accept: application/json' -d "_csrf=$CS" "$BASE/staff/events/$EV/csrf"
check_eq "POST .../csrf is 405" "$R" "405 "
req "$J" -H 'Accept: application/json' "$BASE/staff/events/999999/csrf"
check_eq "GET .../csrf of no event is 404 with JSON" "$R $(body)" \
	'404  {"error":"no-event","message":"There is no event at this address."}'

# --- each change once --------------------------------------------------------------
online_safety "a tap as JSON is 200 with the count" '200  {"count":1,"replayed":false}' "$CS" -d delta=1 -d client_id=b-1
online_safety "  ... sent again (its answer lost), it is not counted again" '200  {"count":1,"replayed":true}' "$CS" -d delta=1 -d client_id=b-1
online_safety "setting the total to 10" '200  {"count":10,"replayed":false}' "$CS" -d total=10 -d client_id=b-2
online_safety "  ... a tap after it makes 11" '200  {"count":11,"replayed":false}' "$CS" -d delta=1 -d client_id=b-3
online_safety "  ... the total sent again changes nothing (11 stays)" '200  {"count":11,"replayed":true}' "$CS" -d total=10 -d client_id=b-2
change "$J" "$CS" -d priority=2 -d theme=online-safety -d total=4 -d client_id=b-4
change "$J" "$CS" -d priority=2 -d theme=online-safety -d total=6 -d client_id=b-5
check_eq "two totals in a row: the last one wins" "$R $(body) $(count 2 online-safety)" '200  {"count":6,"replayed":false} 6'
check_eq "  ... each change stored once" "$(q "SELECT count(*) FROM tally_changes WHERE client_id LIKE 'b-%'")" "5"
check_eq "  ... and they add up to the count" \
	"$(q "SELECT sum(delta) FROM tally_changes WHERE event_id = $EV AND priority = 2 AND theme = 'online-safety'")" "6"

req "$J" -d "_csrf=$CS&priority=2&theme=online-safety&total=6&client_id=b-6" "$TALLY"
check_eq "without script, a total posts and comes back to its option (303)" "$R" "303 $BASE/staff/events/$EV#opt-2-online-safety"
check_eq "  ... stored once" "$(q "SELECT count(*) FROM tally_changes WHERE client_id = 'b-6'") $(count 2 online-safety)" "1 6"

# --- a stale token: 403 {"error":"csrf"}, then a fresh one from .../csrf -------------
req "$J" -d "_csrf=$CS" "$BASE/staff/logout"
check_eq "kai signs out (in another tab, say)" "$R" "303 $BASE/staff/login"
change "$J" "$CS" -d priority=2 -d theme=online-safety -d delta=1 -d client_id=c-1
check_eq "a tap after signing out is 401" "$R $(body)" "401  $SIGNED_OUT"
CS2=$(sign_in "$J" kai)
check "kai signs in again: a new token" test "${#CS2}" -eq 64 -a "$CS2" != "$CS"
before=$(changes)
change "$J" "$CS" -d priority=2 -d theme=online-safety -d delta=1 -d client_id=c-1
check_eq "the tap with the old token is 403" "$R" "403 "
check_eq "  ... saying csrf, in JSON" "$(body)" \
	'{"error":"csrf","message":"This page'"'"'s form token is out of date: fetch a fresh one and send again."}'
check "  ... as application/json" has_header "Content-Type: application/json"
change "$J" "$CS" -d priority=2 -d theme=online-safety -d total=20 -d client_id=c-2
check_eq "a set total with the old token is 403 csrf too" "$(code)" "403  csrf"
change "$J" "" -d priority=2 -d theme=online-safety -d delta=1 -d client_id=c-3
check_eq "a tap with no token is 403 csrf" "$(code)" "403  csrf"
req "$J" -d "_csrf=$CS&priority=2&theme=online-safety&delta=1&client_id=c-1" "$TALLY"
check_eq "the old token from a plain form is still a 403 page" "$R" "403 "
check "  ... in HTML" has_header "Content-Type: text/html"
check_eq "  ... none of those stored a change" "$(changes)" "$before"
req "$J" -H 'Accept: application/json' "$BASE/staff/events/$EV/csrf"
check_eq ".../csrf now gives the new token" "$R $(body)" "200  {\"csrf\":\"$CS2\"}"
online_safety "the waiting tap with the fresh token counts" '200  {"count":7,"replayed":false}' "$CS2" -d delta=1 -d client_id=c-1
online_safety "  ... and the waiting total" '200  {"count":20,"replayed":false}' "$CS2" -d total=20 -d client_id=c-2
online_safety "  ... sent once more, the tap counts once" '200  {"count":20,"replayed":true}' "$CS2" -d delta=1 -d client_id=c-1

# --- refused for good: a code the page acts on ------------------------------------
change "$J" "$CS2" -d priority=2 -d theme=bullying -d delta=-1 -d client_id=d-1
check_eq "a -1 at zero is 409 below-zero, with the count" "$R $(body)" \
	'409  {"error":"below-zero","message":"That would take the count below zero.","count":0}'
change "$J" "$CS2" -d priority=5 -d theme=online-safety -d delta=1 -d client_id=d-2
check_eq "an option not at that stall is 409 not-here" "$R $(body)" \
	'409  {"error":"not-here","message":"That option is not at this stall of this event."}'
change "$J" "$CS2" -d priority=2 -d theme=online-safety -d delta=2 -d client_id=d-3
check_eq "a delta of 2 is 400 invalid" "$(code)" "400  invalid"
check "  ... as application/json" has_header "Content-Type: application/json"
change "$J" "$CS2" -d priority=2 -d theme=online-safety -d total=100001 -d client_id=d-4
check_eq "a total over 100000 is 400 invalid" "$(code)" "400  invalid"
req "$J" -H 'Accept: application/json' -H 'Content-Type: application/json' -d "{}" "$TALLY"
check_eq "a body that is not a form is 415 invalid" "$(code)" "415  invalid"
head -c 70000 /dev/zero | tr '\0' a >"$TMP/big"
req "$J" -H 'Accept: application/json' --data-binary @"$TMP/big" "$TALLY"
check_eq "a body over the limit is 413 invalid" "$(code)" "413  invalid"
req "$J" -H 'Accept: application/json' -d "_csrf=$CS2&priority=2&theme=online-safety&delta=1&client_id=d-5" \
	"$BASE/staff/events/999999/tally"
check_eq "a change for no event is 404 no-event" "$(code)" "404  no-event"
req "$J" -H 'Accept: application/json' "$TALLY"
check_eq "GET .../tally is 405 with JSON" "$(code)" "405  invalid"
check_eq "  ... none of those stored a change" "$(q "SELECT count(*) FROM tally_changes WHERE client_id LIKE 'd-%'")" "0"

req "$J" -H 'Accept: application/json' -d "_csrf=$CS2&id=mine&title=Mine" "$BASE/staff/consultations"
check_eq "a youth worker's JSON request for a commissioner's page is 403 forbidden" "$(code)" "403  forbidden"

# --- the database busy: 503, and the same change later counts once -------------------
hold_write_lock "$DB"
online_safety "another process holding the write lock: 503 unavailable" \
	'503  {"error":"unavailable","message":"The tally could not be saved. Please tap again."}' "$CS2" -d delta=1 -d client_id=u-1
release_write_lock
online_safety "  ... sent again once the lock is gone, it counts" '200  {"count":21,"replayed":false}' "$CS2" -d delta=1 -d client_id=u-1
check_eq "  ... once" "$(q "SELECT count(*) FROM tally_changes WHERE client_id = 'u-1'")" "1"

# --- closing: new changes refused, a change sent again still acknowledged -----------
req "$J" -d "_csrf=$CS2&confirm=yes" "$BASE/staff/events/$EV/close"
check_eq "the event is closed" "$R" "303 $BASE/staff/events/$EV"
change "$J" "$CS2" -d priority=2 -d theme=online-safety -d delta=1 -d client_id=e-1
check_eq "a new tap is 409 closed, with the count" "$R $(body)" \
	'409  {"error":"closed","message":"This event is closed: its tallies are locked.","count":21}'
change "$J" "$CS2" -d priority=2 -d theme=online-safety -d total=25 -d client_id=e-2
check_eq "a new total is 409 closed" "$(code)" "409  closed"
change "$J" "$CS2" -d priority=2 -d theme=online-safety -d total=20 -d client_id=c-2
check_eq "a change that counted before closing, sent again, is acknowledged" "$R $(body)" \
	'200  {"count":21,"replayed":true}'
check_eq "  ... the count is what was counted" "$(count 2 online-safety)" "21"

# --- the tally page ---------------------------------------------------------------
req "$J" -d "_csrf=$CS2&name=Second+fair&day=2027-06-02&consultation=cyp-plan-2027" "$BASE/staff/events"
EV2=$(echo "$R" | sed -n "s|^303 $BASE/staff/events/\([0-9][0-9]*\)\$|\1|p")
req "$J" "$BASE/staff/events/${EV2:-0}"
check_eq "the tally page is 200" "$R" "200 "
check "  ... with a status bar" grep -q '<div class="tally-bar" id="tally-bar">' "$B"
check "  ... announcing politely" grep -q 'id="tally-announce" role="status" aria-live="polite"' "$B"
check "  ... with a sign-in link for when the session ends, opening a new tab" \
	grep -q '<a href="/staff/login" target="_blank" rel="noopener">Sign in (opens a new tab)</a>' "$B"
check_eq "  ... a link to each of the five stalls" "$(grep -o '<a href="#stall-[1-5]">' "$B" | sort -u | wc -l)" "5"
check_eq "  ... each stall a target" "$(grep -o '<section class="stall" id="stall-[1-5]"' "$B" | wc -l)" "5"
check_eq "  ... 'count the stickers' as a step of its own per stall" \
	"$(grep -o '<details class="count-step" id="count-[1-5]"><summary>Count the stickers at stall [1-5]</summary>' "$B" | wc -l)" "5"
check "  ... saying the last total set wins" grep -q 'If you set a total more than once, the last one you set counts.' "$B"
check_eq "  ... a set-total form per option" "$(grep -o 'class="set-total" novalidate' "$B" | wc -l)" "20"
check_eq "  ... a -1 and a +1 per option" "$(grep -o 'name="delta" value="-1"><button type="submit" class="button tally-minus">' "$B" | wc -l) $(grep -o 'name="delta" value="1"><button type="submit" class="button tally-plus">' "$B" | wc -l)" "20 20"
check_eq "  ... each form with its own client id" "$(grep -o 'name="client_id" value="[0-9a-f]\{24\}"' "$B" | sort -u | wc -l)" "60"
check "  ... and the script" grep -q '<script src="/static/tally.js" defer></script>' "$B"
req "$J" "$BASE/staff/events/$EV"
check "a closed event's page has no bar, no buttons, no script" \
	bash -c "no_match -qE 'tally-bar|class=\"tally-form\"|class=\"set-total\"|tally.js' '$B'"
check "  ... and says it is closed" grep -q 'This event is closed: its tallies are locked.' "$B"

check "the server stops cleanly" stop_server
finish
