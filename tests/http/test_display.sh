#!/usr/bin/env bash
# The projector display over real HTTP: a display link made by a member of
# staff (CSRF, roles, audit-logged without the token), the display page and
# its JSON opened with no session (the event's totals and nothing else: no
# staff menu, no sign-out, no names, no other event; the same counts as the
# store; no caching; the security headers), a new link replacing the old,
# revoking, closed and deleted events, wrong/short/long tokens answered 404
# cheaply, and the token kept nowhere in the data folder, only its hash.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
DB="$DATA/youthvoice.db"
mkdir -p "$TMP/r"
q() { sqlite3 -cmd ".timeout 5000" "$DB" "$@" 2>&1; }

add_staff "$DATA" kai:youth-worker sam:youth-worker cleo:commissioner ada:admin || fail "staff accounts are added"
start_server "$DATA" || { fail "server starts"; finish; exit 1; }

has_header() { grep -qi "^$1" "$H"; }
no_header() { no_match -qi "^$1" "$H"; }
in_body() { grep -qF -- "$1" "$B"; }
not_in_body() { no_match -qiF -- "$1" "$B"; }
# the token in a "link made" page
token_in() { sed -n 's|.*id="display-url" readonly[^>]*value="[^"]*/display/\([^"]*\)".*|\1|p' "$1"; }
# every option's count on a page (the display, the tally page, the old big
# screen), as "stall theme count" lines, sorted
page_counts() {
	sed -n 's|.* id="opt-\([0-9]*\)-\([a-z0-9-]*\)"[^>]*>.*<span class="count"[^>]*>\([0-9]*\)</span>.*|\1 \2 \3|p' "$1" | sort
}
store_counts() { q "SELECT priority || ' ' || theme || ' ' || count FROM event_options WHERE event_id = $1" | sort; }

CS=$(sign_in "$TMP/kai" kai)
CS_SAM=$(sign_in "$TMP/sam" sam)
CS_CLEO=$(sign_in "$TMP/cleo" cleo)
CS_ADA=$(sign_in "$TMP/ada" ada)
EVENT_NAME='Youth fair <b>"&'"'"' day'
req "$TMP/kai" --data-urlencode "_csrf=$CS" --data-urlencode "name=$EVENT_NAME" -d day=2027-06-01 \
	-d consultation=cyp-plan-2027 "$BASE/staff/events"
EV=$(echo "$R" | sed -n "s|^303 $BASE/staff/events/\([0-9][0-9]*\)\$|\1|p")
check "an event is started" test -n "$EV"
req "$TMP/kai" -d "_csrf=$CS" -d "name=Other event zq7" -d day=2027-06-02 -d consultation=cyp-plan-2027 "$BASE/staff/events"
EV2=$(echo "$R" | sed -n "s|^303 $BASE/staff/events/\([0-9][0-9]*\)\$|\1|p")
check_eq "  ... with 5 stalls and 20 options" \
	"$(q "SELECT count(DISTINCT priority) || ' ' || count(*) FROM event_options WHERE event_id = $EV")" "5 20"

# --- the event's "Projector display" page ------------------------------------------------
req "$TMP/kai" "$BASE/staff/events/$EV"
check "the event's tally page links to its projector display page" \
	in_body "<a class=\"nav-link\" href=\"/staff/events/$EV/display\">Projector display"
req - "$BASE/staff/events/$EV/display"
check_eq "the projector display page without a session goes to sign in" "$R" "303 $BASE/staff/login"
req "$TMP/kai" "$BASE/staff/events/$EV/display"
check_eq "  ... with one it is 200" "$R" "200 "
check "  ... in the staff layout" in_body 'class="staff-nav"'
check "  ... headed with the event" in_body '<h1>Projector display: Youth fair &lt;b&gt;&quot;&amp;&#39; day</h1>'
check "  ... saying there is no link yet" in_body 'This event has no display link.'
check "  ... with a button that makes one" in_body "<form method=\"post\" action=\"/staff/events/$EV/display\""
check "  ... and none to revoke" not_in_body "/display/revoke"

# --- making a link: staff only, with CSRF --------------------------------------------------
req - -d "_csrf=$CS" "$BASE/staff/events/$EV/display"
check_eq "making a link without a session goes to sign in" "$R" "303 $BASE/staff/login"
req "$TMP/kai" -d "_csrf=$(printf '%064d' 0)" "$BASE/staff/events/$EV/display"
check_eq "  ... with a wrong CSRF token is 403" "$R" "403 "
req "$TMP/kai" -d "x=1" "$BASE/staff/events/$EV/display"
check_eq "  ... with none is 403" "$R" "403 "
req "$TMP/kai" -X PUT "$BASE/staff/events/$EV/display"
check_eq "  ... by PUT is 405" "$R" "405 "
req "$TMP/kai" -d "_csrf=$CS" "$BASE/staff/events/999999/display"
check_eq "  ... for an unknown event is 404" "$R" "404 "
req "$TMP/kai" -d "_csrf=$CS" "$BASE/staff/events/$EV/display/nope"
check_eq "  ... at an unknown address under it is 404" "$R" "404 "
check_eq "  ... none of those made a link" "$(q "SELECT count(*) FROM display_links")" "0"

req "$TMP/kai" -d "_csrf=$CS" "$BASE/staff/events/$EV/display"
check_eq "a youth worker makes a display link (200)" "$R" "200 "
check "  ... on a page kept by no cache" has_header 'Cache-Control: no-store'
cp "$B" "$TMP/made.html"
T1=$(token_in "$TMP/made.html")
check "  ... showing the link, a token of 32 base64url characters" \
	bash -c "echo '$T1' | grep -qE '^[A-Za-z0-9_-]{32}$'"
check "  ... as an absolute address to copy" grep -qF "value=\"$BASE/display/$T1\"" "$TMP/made.html"
check "  ... and to open" grep -qF "href=\"$BASE/display/$T1\"" "$TMP/made.html"
check "  ... in the staff layout" grep -q 'class="staff-nav"' "$TMP/made.html"
check "  ... with a QR code of it, labelled" \
	grep -q '<div class="poster-qr"><svg class="qr" [^>]*role="img" aria-label="QR code: the display link above"' "$TMP/made.html"
HASH1=$(/usr/bin/python3 -c 'import hashlib,sys; print(hashlib.blake2b(sys.argv[1].encode(), digest_size=32).hexdigest())' "$T1")
check_eq "the database keeps the token's BLAKE2b-256 hash for the event" \
	"$(q "SELECT event_id || ' ' || token_hash FROM display_links")" "$EV $HASH1"
check_eq "the audit log says 'display link made', without the token" \
	"$(q "SELECT who || '|' || action || '|' || detail FROM audit WHERE action LIKE 'display link%'")" \
	"kai|display link made|event $EV: $EVENT_NAME"
req "$TMP/kai" "$BASE/staff/events/$EV/display"
check "the projector display page now says a link was made" in_body 'This event has a display link, made '
check "  ... offers to make a new one and to revoke it" \
	grep -q "action=\"/staff/events/$EV/display/revoke\"" "$B"
check "  ... and never shows the token again" not_in_body "$T1"

# --- the display: no session, the totals and nothing else ---------------------------------------
for t in online-safety:2:1 online-safety:2:1 online-safety:2:1 bullying:2:1 young-carers:4:1; do
	IFS=: read -r theme stall delta <<<"$t"
	curl -s -o /dev/null -b "$TMP/kai" -H 'Accept: application/json' -d "_csrf=$CS" -d "priority=$stall" \
		-d "theme=$theme" -d "delta=$delta" -d "client_id=c$RANDOM$RANDOM" "$BASE/staff/events/$EV/tally"
done
curl -s -o /dev/null -b "$TMP/kai" -d "_csrf=$CS" -d priority=5 -d theme=mental-health -d total=120 \
	-d client_id=set-mh "$BASE/staff/events/$EV/tally"
curl -s -o /dev/null -b "$TMP/kai" -d "_csrf=$CS" -d priority=2 -d theme=online-safety -d delta=1 \
	-d client_id=other-event "$BASE/staff/events/$EV2/tally"
req - "$BASE/display/$T1"
check_eq "GET /display/TOKEN without a session is 200" "$R" "200 "
check "  ... HTML" has_header 'Content-Type: text/html; charset=utf-8'
check "  ... kept by no cache, shared or not" has_header 'Cache-Control: no-store'
check "  ... with the CSP of every page" has_header "Content-Security-Policy: default-src 'none';.*frame-ancestors 'none'"
check "  ... nosniff" has_header 'X-Content-Type-Options: nosniff'
check "  ... no referrer (the token never leaves in a Referer)" has_header 'Referrer-Policy: no-referrer'
check "  ... no framing" has_header 'X-Frame-Options: DENY'
check "  ... and no cookie" no_header 'Set-Cookie'
cp "$B" "$TMP/display.html"
check "  ... headed with the event's name, escaped" in_body '<h1>Youth fair &lt;b&gt;&quot;&amp;&#39; day</h1>'
check "  ... no markup from the name anywhere" not_in_body '<b>"'
check_eq "  ... all 20 options, with the store's counts" "$(page_counts "$B")" "$(store_counts "$EV")"
check_eq "  ... the same counts as the tally page" "$(page_counts "$B")" \
	"$(curl -s -b "$TMP/kai" "$BASE/staff/events/$EV" >"$TMP/tally.html"; page_counts "$TMP/tally.html")"
check_eq "  ... and as the old big-screen page" "$(page_counts "$B")" \
	"$(curl -s -b "$TMP/kai" "$BASE/staff/events/$EV/live" >"$TMP/live.html"; page_counts "$TMP/live.html")"
check_eq "  ... in 5 stalls" "$(grep -c '<section class="stall"' "$B")" "5"
check "  ... stall names" in_body '<span class="stall-number">Stall 2<span class="visually-hidden">:</span></span> Keep children safe and free from harm</h2>'
check "  ... option names" in_body '<span class="option-name">Online safety</span> <span class="count">3</span>'
check "  ... a set total" in_body '<span class="option-name">Mental health and wellbeing</span> <span class="count">120</span>'
check "  ... no staff menu" not_in_body 'staff-nav'
check "  ... no sign-out" not_in_body 'Sign out'
check "  ... no link to a staff page" not_in_body '/staff'
check "  ... no form of any kind" not_in_body '<form'
check "  ... no name of a member of staff" bash -c "no_match -qwiE 'kai|sam|cleo' '$B'"
check "  ... no other event" not_in_body 'zq7'
check "  ... the other event's tap is not counted here" \
	bash -c "$(declare -f page_counts); page_counts '$B' | grep -qx '2 online-safety 3'"
check "  ... refreshes itself every 10 s without JavaScript" \
	grep -qE '^<noscript>(<!-- [^>]* -->)?<meta http-equiv="refresh" content="10"></noscript>$' "$B"
check "  ... and loads its script from this site" in_body '<script src="/static/display.js" defer></script>'
check "  ... with its own stylesheet" in_body '<link rel="stylesheet" href="/static/display.css">'
check "  ... bars scaled to the largest count (120)" \
	in_body 'id="opt-2-online-safety"><span class="option-name">Online safety</span> <span class="count">3</span><span class="visually-hidden"> stickers or tokens</span><svg class="bar" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect width="2" height="4"/>'
req - -I "$BASE/display/$T1"
check_eq "HEAD /display/TOKEN is 200" "$R" "200 "
check "  ... with no body" not_in_body '<!DOCTYPE' 
req - -d x=1 "$BASE/display/$T1"
check_eq "POST /display/TOKEN is 405" "$R" "405 "

req - "$BASE/display/$T1.json"
check_eq "GET /display/TOKEN.json without a session is 200" "$R" "200 "
check "  ... JSON" has_header 'Content-Type: application/json'
check "  ... kept by no cache" has_header 'Cache-Control: no-store'
check "  ... with the CSP of every page" has_header "Content-Security-Policy: default-src 'none'"
check_eq "  ... matches the store, option by option" \
	"$(jq -r '.options[] | "\(.stall) \(.theme) \(.count)"' "$B" | sort)" "$(store_counts "$EV")"
check_eq "  ... in the store's order" "$(jq -r '.options[] | "\(.stall) \(.theme)"' "$B")" \
	"$(q "SELECT priority || ' ' || theme FROM event_options WHERE event_id = $EV ORDER BY priority, position")"
check_eq "  ... says the event is open" "$(jq -r .closed "$B")" "false"
check_eq "  ... and nothing else" "$(jq -r 'keys | join(",")' "$B")" "closed,options"
check "  ... no name of a member of staff" bash -c "no_match -qwiE 'kai|sam|cleo' '$B'"

for asset in display.css:text/css display.js:text/javascript; do
	req - "$BASE/static/${asset%%:*}"
	check_eq "GET /static/${asset%%:*} is 200" "$R" "200 "
	check "  ... ${asset#*:}" has_header "Content-Type: ${asset#*:}"
	check "  ... with the CSP of every page" has_header "Content-Security-Policy: default-src 'none'"
done
req - -d x=1 "$BASE/static/display.js"
check_eq "POST /static/display.js is 405" "$R" "405 "

# --- wrong, short and long tokens: 404, and cheap ---------------------------------------------
flip() { local t=$1 c=${1:0:1}; [ "$c" = A ] && c=B || c=A; echo "$c${t:1}"; }
bad=("$(flip "$T1")" "${T1:0:31}" "${T1}A" "${T1:0:31}." "${T1:0:31}=" "${T1:0:30}%2F" "${T1}/" "${T1}.json/"
     "${T1}.jsonx" "${T1}.JSON" "${T1}.html" "$(echo "$T1" | tr 'a-zA-Z' 'A-Za-z')" "" "/" "x"
     "$(head -c 4000 /dev/zero | tr '\0' A)" "$(head -c 4000 /dev/zero | tr '\0' A).json")
for t in "${bad[@]}"; do
	req - "$BASE/display/$t"
	check_eq "/display/ with a bad token (${#t} characters: ${t:0:12}...) is 404" "$R" "404 "
	check "  ... and says nothing of any event" not_in_body 'Youth fair'
done
req - "$BASE/display"
check_eq "/display itself is 404" "$R" "404 "
req - "$BASE/display/$(flip "$T1").json"
check_eq "a wrong token's JSON is 404" "$R" "404 "
check "  ... as JSON" has_header 'Content-Type: application/json'
req - "$BASE/display/$(flip "$T1")"
check "the 404 page has the security headers" has_header "Content-Security-Policy: default-src 'none'"
check "  ... says the link does not work" in_body 'This display link does not work.'
# Bounded work: 2,000 requests with wrong tokens of 31 to 4,000 characters,
# on one connection, are all answered 404, quickly.
: >"$TMP/bad.cfg"
for i in $(seq 1 500); do
	for t in "$(flip "$T1")" "${T1:0:31}" "$(head -c $((i * 8)) /dev/zero | tr '\0' B)" "${T1}.json/"; do
		printf 'url = "%s/display/%s"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' "$BASE" "$t" >>"$TMP/bad.cfg"
	done
done
start=$(date +%s%N)
curl -s --max-time 120 -K "$TMP/bad.cfg" >"$TMP/bad.out"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check_eq "2,000 requests with wrong tokens: all 404" "$(sort "$TMP/bad.out" | uniq -c | awk '{print $1, $2}')" "2000 404"
check "  ... in under 20 s (took $ms ms)" test "$ms" -lt 20000
check "  ... the server logged no store error" bash -c "no_match -q '^store:' '$SERVER_LOG'"

# --- a new link replaces the old one; any member of staff may ---------------------------------
req "$TMP/sam" -d "_csrf=$CS_SAM" "$BASE/staff/events/$EV/display"
check_eq "another youth worker makes a new link (200)" "$R" "200 "
T2=$(token_in "$B")
check "  ... a different token" test -n "$T2" -a "$T2" != "$T1"
req - "$BASE/display/$T1"
check_eq "  ... the old link is 404 at once" "$R" "404 "
req - "$BASE/display/$T1.json"
check_eq "  ... and so is its JSON" "$R" "404 "
req - "$BASE/display/$T2"
check_eq "  ... the new link works" "$R" "200 "
check_eq "  ... one link per event in the database" "$(q "SELECT count(*) FROM display_links WHERE event_id = $EV")" "1"
check_eq "  ... audit-logged as replacing the old one" \
	"$(q "SELECT who || '|' || action || '|' || detail FROM audit WHERE action LIKE 'display link%' ORDER BY id DESC LIMIT 1")" \
	"sam|display link made|event $EV: $EVENT_NAME (the old link stops working)"

req "$TMP/cleo" -d "_csrf=$CS_CLEO" "$BASE/staff/events/$EV2/display"
check_eq "a commissioner makes a link for the other event (200)" "$R" "200 "
T3=$(token_in "$B")
req - "$BASE/display/$T3"
check "  ... which shows that event" in_body '<h1>Other event zq7</h1>'
check "  ... and not the first" not_in_body 'Youth fair'
req - "$BASE/display/$T2"
check "the first event's link still shows the first event" in_body '<h1>Youth fair'
req "$TMP/ada" -d "_csrf=$CS_ADA" "$BASE/staff/events/$EV2/display"
check_eq "an admin makes a new link for the other event (200)" "$R" "200 "
T3=$(token_in "$B")
check_eq "  ... which works" "$(status_of "$BASE/display/$T3")" "200"

# --- revoking ---------------------------------------------------------------------------------
req - -d "_csrf=$CS" "$BASE/staff/events/$EV/display/revoke"
check_eq "revoking without a session goes to sign in" "$R" "303 $BASE/staff/login"
req "$TMP/kai" -d "_csrf=$CS_SAM" "$BASE/staff/events/$EV/display/revoke"
check_eq "  ... with another session's CSRF token is 403" "$R" "403 "
req "$TMP/kai" "$BASE/staff/events/$EV/display/revoke"
check_eq "  ... by GET is 405" "$R" "405 "
req - "$BASE/display/$T2"
check_eq "  ... none of those revoked it" "$R" "200 "
req "$TMP/kai" -d "_csrf=$CS" "$BASE/staff/events/$EV/display/revoke"
check_eq "a youth worker revokes the link: 303 back to the projector display page" "$R" "303 $BASE/staff/events/$EV/display"
req - "$BASE/display/$T2"
check_eq "  ... the revoked link is 404" "$R" "404 "
check "  ... the 404 page" in_body 'This display link does not work.'
req - "$BASE/display/$T2.json"
check_eq "  ... its JSON too" "$R" "404 "
check_eq "  ... the event has no link in the database" "$(q "SELECT count(*) FROM display_links WHERE event_id = $EV")" "0"
check_eq "  ... the other event's link is untouched" "$(status_of "$BASE/display/$T3")" "200"
check_eq "  ... audit-logged" \
	"$(q "SELECT who || '|' || action || '|' || detail FROM audit WHERE action LIKE 'display link%' ORDER BY id DESC LIMIT 1")" \
	"kai|display link revoked|event $EV: $EVENT_NAME"
req "$TMP/kai" "$BASE/staff/events/$EV/display"
check "  ... the projector display page says there is no link" in_body 'This event has no display link.'
audits=$(q "SELECT count(*) FROM audit")
req "$TMP/kai" -d "_csrf=$CS" "$BASE/staff/events/$EV/display/revoke"
check_eq "revoking again: 303, nothing to log" "$R $(q "SELECT count(*) FROM audit")" "303 $BASE/staff/events/$EV/display $audits"

# --- a closed event: its final totals ------------------------------------------------------------
req "$TMP/kai" -d "_csrf=$CS" "$BASE/staff/events/$EV/display"
T4=$(token_in "$B")
curl -s -o /dev/null -b "$TMP/kai" -d "_csrf=$CS" -d confirm=yes "$BASE/staff/events/$EV/close"
req - "$BASE/display/$T4"
check_eq "a closed event's link still works" "$R" "200 "
check "  ... saying these are the final totals" in_body 'Final totals: this event is closed.'
check "  ... with no refresh (nothing will change)" not_in_body 'http-equiv="refresh"'
check_eq "  ... the store's counts" "$(page_counts "$B")" "$(store_counts "$EV")"
req - "$BASE/display/$T4.json"
check_eq "  ... its JSON says closed" "$(jq -r .closed "$B")" "true"
req "$TMP/kai" "$BASE/staff/events/$EV/display"
check "the closed event's projector display page still works" in_body 'This event has a display link, made '

# --- deleting an event deletes its link ---------------------------------------------------------
req "$TMP/kai" -d "_csrf=$CS" -d "name=Called off zq9" -d day=2027-06-03 -d consultation=cyp-plan-2027 "$BASE/staff/events"
EV3=$(echo "$R" | sed -n "s|^303 $BASE/staff/events/\([0-9][0-9]*\)\$|\1|p")
req "$TMP/kai" -d "_csrf=$CS" "$BASE/staff/events/$EV3/display"
T5=$(token_in "$B")
check_eq "an event with no taps gets a link that works" "$(status_of "$BASE/display/$T5")" "200"
req "$TMP/kai" -d "_csrf=$CS" -d confirm=yes "$BASE/staff/events/$EV3/delete"
check_eq "  ... the event is deleted" "$R" "303 $BASE/staff/events"
check_eq "  ... its link is 404" "$(status_of "$BASE/display/$T5")" "404"
check_eq "  ... and gone from the database" "$(q "SELECT count(*) FROM display_links WHERE event_id = $EV3")" "0"

# --- the token is nowhere in the data folder ---------------------------------------------------
sleep 1 # the tidier folds the WAL back
for t in "$T1" "$T2" "$T3" "$T4" "$T5"; do
	check "token ${t:0:6}... is in no file of the data folder" bash -c "folder_bytes '$DATA' | no_match -qaF -- '$t' -"
done
check "  ... nor in the server's log" bash -c "no_match -qaF -e '$T1' -e '$T2' -e '$T3' -e '$T4' '$SERVER_LOG'"
check_eq "the audit log has each link made and the one revoked, in order" \
	"$(q "SELECT group_concat(action, ',') FROM (SELECT action FROM audit WHERE action LIKE 'display link%' ORDER BY id) a")" \
	"display link made,display link made,display link made,display link made,display link revoked,display link made,display link made"

# Signing out on the computer that made the link leaves the display working.
curl -s -o /dev/null -b "$TMP/kai" -c "$TMP/kai" -d "_csrf=$CS" "$BASE/staff/logout"
check_eq "signed out: the staff pages ask to sign in" "$(status_of -b "$TMP/kai" "$BASE/staff/events")" "303"
check_eq "  ... the display still works" "$(status_of -b "$TMP/kai" "$BASE/display/$T4")" "200"

check "the server stops cleanly" stop_server
# The stored hash opens nothing after a restart either: links survive it.
start_server "$DATA" || { fail "server starts again"; finish; exit 1; }
check_eq "after a restart the current link still works" "$(status_of "$BASE/display/$T4")" "200"
check_eq "  ... and the replaced one still does not" "$(status_of "$BASE/display/$T1")" "404"
check "the server stops cleanly again" stop_server
# With --public-url, the link starts with that address whatever the browser asked.
start_server "$DATA" "$ROOT/forms" --public-url https://voice.example.org || { fail "server starts with --public-url"; finish; exit 1; }
CS_SAM=$(sign_in "$TMP/sam2" sam)
req "$TMP/sam2" -d "_csrf=$CS_SAM" "$BASE/staff/events/$EV2/display"
T6=$(token_in "$B")
check "with --public-url the link is made from it" grep -qF "value=\"https://voice.example.org/display/$T6\"" "$B"
check_eq "  ... and works here" "$(status_of "$BASE/display/$T6")" "200"
check "the server stops cleanly a third time" stop_server
finish
