#!/usr/bin/env bash
# The projector display in a real browser (display.mjs): a 5-stall,
# 20-option event fits 1920x1080, 1280x720 and 1024x768 in large,
# high-contrast type; a stored tap shows in place without a reload; the
# page refreshes without JavaScript; it reflows on a phone; losing the
# network, closing the event and revoking the link; the QR code of the link
# decodes (zbarimg).  And page-audit and the 320 px check on the display
# page, its 404 page and the staff pages that make its link.  SHOTS=DIR
# keeps screenshots at 1920x1080, 1280x720, 1024x768 and 360x740.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
printf '%s\n' "$STAFF_PASSWORD" >"$TMP/pw"
"$SERVER_BIN" user add --data "$DATA" --name kai --role youth-worker --password-file "$TMP/pw" >/dev/null
start_server "$DATA" || { fail "server starts"; finish; exit 1; }

CSRF=$(sign_in "$TMP/jar" kai)
COOKIE=$(awk '$6 == "yv_staff" { v = $7 } END { print v }' "$TMP/jar")
curl -s -o /dev/null -b "$TMP/jar" -d "_csrf=$CSRF&name=Youth+fair+in+the+sports+hall&day=2026-11-22&consultation=cyp-plan-2027" \
	"$BASE/staff/events"
EV=1
check_eq "the event has 5 stalls and 20 options" \
	"$(sqlite3 "$DATA/youthvoice.db" "SELECT count(DISTINCT priority) || ' ' || count(*) FROM event_options WHERE event_id = $EV")" "5 20"
# Counts of one, two and three digits, as in a busy afternoon.
n=0
for t in 1:information-education:37 2:online-safety:142 2:bullying:88 3:transport:9 4:young-carers:61 \
	5:mental-health:120 5:sport-activity:73 2:knife-crime:5 4:send:0; do
	IFS=: read -r stall theme total <<<"$t"
	n=$((n + 1))
	curl -s -o /dev/null -b "$TMP/jar" -d "_csrf=$CSRF&priority=$stall&theme=$theme&total=$total&client_id=set-$n" \
		"$BASE/staff/events/$EV/tally"
done

PAGES="$TMP/pages"
mkdir -p "$PAGES"
curl -s -b "$TMP/jar" "$BASE/staff/events/$EV" >"$PAGES/staff-event.html"
check "the event's page links to its projector display page" grep -q "href=\"/staff/events/$EV/display\"" "$PAGES/staff-event.html"
curl -s -b "$TMP/jar" "$BASE/staff/events/$EV/display" >"$PAGES/staff-display-no-link.html"
curl -s -b "$TMP/jar" -d "_csrf=$CSRF" "$BASE/staff/events/$EV/display" >"$PAGES/staff-display-link.html"
TOKEN=$(sed -n 's|.*id="display-url" readonly[^>]*value="[^"]*/display/\([^"]*\)".*|\1|p' "$PAGES/staff-display-link.html")
check "a display link is made" test -n "$TOKEN"
curl -s -b "$TMP/jar" "$BASE/staff/events/$EV/display" >"$PAGES/staff-display-with-link.html"
check_eq "an unknown display link is 404" "$(curl -s -o "$PAGES/display-gone.html" -w '%{http_code}' "$BASE/display/not-a-token")" "404"
check "the projector display page then offers to revoke it" grep -q "/staff/events/$EV/display/revoke" "$PAGES/staff-display-with-link.html"

# page-audit and 320 px: the display (served by the server itself), and its
# 404 page and the staff pages (a 404, or signed in: saved and served as files).
audit_saved "$PAGES" "$BASE/display/$TOKEN"

node "$HERE/display.mjs" "$BASE" "$TOKEN" "$EV" "$COOKIE" "$CSRF" "$PAGES/staff-display-link.html" \
	"$TMP/qr.png" >"$TMP/display.txt" 2>&1
status=$?
cat "$TMP/display.txt"
check_eq "the display run passes" "$status" "0"
check "  ... and made its checks" grep -q '^[1-9][0-9]* passed, 0 failed$' "$TMP/display.txt"
check_eq "the QR code where the link was made decodes to the link" \
	"$(zbarimg -q --raw "$TMP/qr.png" 2>/dev/null)" "$BASE/display/$TOKEN"
check "the server stops cleanly" stop_server
finish
