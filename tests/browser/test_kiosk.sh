#!/usr/bin/env bash
# Kiosk mode and posters in a real browser (docs/kiosk.md):
# - kiosk_offline.mjs: a kiosk on a 768x1024 tablet takes 20 responses
#   offline, with nothing of an answer readable in the tablet's storage, and
#   back online (after the tab was closed) the store has each of them
#   exactly once (every typed marker once in the decrypted export,
#   scrubbed); Back shows no earlier answers; a switched-off kiosk keeps what
#   waits, locked, until a new kiosk on the tablet sends it;
# - kiosk_print.mjs: screenshots at 768x1024, 360x740 and 320 px, each
#   poster printed to one A4 page with a QR code of at least 8 cm, which
#   zbarimg decodes to the right address from the PDF rendered by pdftoppm;
# - kiosk_ballot.mjs: on a kiosk of the demo youth ballot (ranked), an issue
#   chosen twice or a choice after an empty one is refused on the device in
#   the server's own words, nothing sealed; a good vote is sent and counted;
# - page-audit and narrow.mjs on the kiosk pages (the ballot's too), the
#   posters and the staff kiosk pages.
# SHOTS=DIR keeps the screenshots and PDFs there to look at.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
add_staff "$DATA" kai:youth-worker || fail "a staff account is added"
start_server "$DATA" || { fail "server starts"; finish; exit 1; }
DB="$DATA/youthvoice.db"
count() { sqlite3 -cmd ".timeout 5000" "$DB" "SELECT count(*) FROM responses"; }
PAGES="$TMP/pages"
SHOTS=${SHOTS:-$TMP/shots}
mkdir -p "$PAGES" "$SHOTS"

CSRF=$(sign_in "$TMP/jar" kai)
curl -s -b "$TMP/jar" "$BASE/staff/kiosks" >"$PAGES/staff-kiosks.html"
curl -s -b "$TMP/jar" --data-urlencode "_csrf=$CSRF" -d survey=what-matters --data-urlencode "name=Blue tablet" \
	-d open=code "$BASE/staff/kiosks" >"$PAGES/staff-kiosk-code.html"
KIOSK_URL=$(grep -o "href=\"$BASE/k/what-matters#k=[0-9a-f]*\"" "$PAGES/staff-kiosk-code.html" | head -n 1 | sed 's/^href="//; s/"$//')
check "a kiosk link is made" test -n "$KIOSK_URL"
curl -s -b "$TMP/jar" "$BASE/staff/kiosks" >"$PAGES/staff-kiosks-made.html"
curl -s -b "$TMP/jar" -d "_csrf=$CSRF&survey=what-matters&name=&open=code" "$BASE/staff/kiosks" >"$PAGES/staff-kiosks-error.html"

# --- 20 responses offline, stored once each -----------------------------------------------
before=$(count)
node "$HERE/kiosk_offline.mjs" "$BASE" "$KIOSK_URL" "$TMP/markers" \
	"curl -s -o /dev/null -b '$TMP/jar' -d '_csrf=$CSRF' '$BASE/staff/kiosks/1/off'" \
	"curl -s -b '$TMP/jar' -d '_csrf=$CSRF&survey=what-matters&name=Again&open=code' '$BASE/staff/kiosks' |
		grep -o '$BASE/k/what-matters#k=[0-9a-f]*' | head -n 1" >"$TMP/offline.txt" 2>&1
status=$?
cat "$TMP/offline.txt"
check_eq "the offline kiosk run passes" "$status" "0"
check_eq "the store has exactly the 22 responses sent (20 offline, 1 online, 1 kept by a switched-off kiosk)" \
	"$(count)" "$((before + 22))"
"$EXPORT_BIN" --data "$DATA" --passphrase-file "$TEST_PASSPHRASE_FILE" responses -o "$TMP/responses.csv" </dev/null 2>/dev/null
once=0
while read -r m; do
	[ -n "$m" ] && [ "$(grep -cF "$m" "$TMP/responses.csv")" = 1 ] && once=$((once + 1))
done <"$TMP/markers"
check_eq "each person's answers are in the store exactly once" "$once" "22"
check "  ... with their e-mail addresses scrubbed" bash -c "no_match -q '@example.com' '$TMP/responses.csv' && grep -qF '[email address removed]' '$TMP/responses.csv'"

# --- a ranked ballot on a kiosk: checked on the device as the server checks it ---------------
curl -s -b "$TMP/jar" --data-urlencode "_csrf=$CSRF" -d survey=youth-ballot --data-urlencode "name=Ballot tablet" \
	-d open=code "$BASE/staff/kiosks" >"$TMP/code3.html"
KIOSK3=$(grep -o "href=\"$BASE/k/youth-ballot#k=[0-9a-f]*\"" "$TMP/code3.html" | head -n 1 | sed 's/^href="//; s/"$//')
check "a kiosk link for the demo youth ballot is made" test -n "$KIOSK3"
node "$HERE/kiosk_ballot.mjs" "$BASE" "$KIOSK3" youth-ballot issues >"$TMP/ballot.txt" 2>&1
status=$?
cat "$TMP/ballot.txt"
check_eq "the ranked ballot kiosk run passes (kiosk_ballot.mjs)" "$status" "0"
check_eq "  ... its one good vote stored, ranked" "$(sqlite3 "$DB" "SELECT group_concat(option || ':' || rank || '=' || count, ' ')
	FROM (SELECT * FROM ballot_counts WHERE survey = 'youth-ballot' AND count > 0 ORDER BY rank)")" "online:1=1 bullying:2=1 jobs:3=1"

# --- screenshots, print, QR codes ---------------------------------------------------------------
# A second kiosk for the pictures (the first is switched off now).
curl -s -b "$TMP/jar" --data-urlencode "_csrf=$CSRF" -d survey=your-area --data-urlencode "name=Green tablet" \
	-d open=code "$BASE/staff/kiosks" >"$TMP/code2.html"
KIOSK2=$(grep -o "href=\"$BASE/k/your-area#k=[0-9a-f]*\"" "$TMP/code2.html" | head -n 1 | sed 's/^href="//; s/"$//')
serve_saved "$PAGES"
node "$HERE/kiosk_print.mjs" "$SHOTS" "kiosk=$KIOSK2" "survey-poster=$BASE/s/what-matters/poster" \
	"kiosk-code-poster=$SBASE/staff-kiosk-code.html" "staff-kiosks=$SBASE/staff-kiosks-made.html" >"$TMP/print.txt" 2>&1
check_eq "screenshots and printing pass" "$?" "0"
cat "$TMP/print.txt"
for p in survey-poster kiosk-code-poster; do
	check_eq "$p prints on one A4 page" "$(pdfinfo "$SHOTS/$p.pdf" | sed -n 's/^Pages: *//p')" "1"
	check "  ... of A4 size" bash -c "pdfinfo '$SHOTS/$p.pdf' | grep -qE 'Page size: .* pts \(A4\)'"
	pdftoppm -r 150 -png -singlefile "$SHOTS/$p.pdf" "$SHOTS/$p-printed"
done
check_eq "the printed survey poster's QR code decodes to the survey's address" \
	"$(zbarimg -q --raw "$SHOTS/survey-poster-printed.png" 2>/dev/null)" "$BASE/s/what-matters"
check_eq "the printed kiosk poster's QR code decodes to the kiosk link" \
	"$(zbarimg -q --raw "$SHOTS/kiosk-code-poster-printed.png" 2>/dev/null)" "$KIOSK_URL"
check_eq "the survey poster's QR code decodes on a phone screen too (360 px)" \
	"$(zbarimg -q --raw "$SHOTS/survey-poster-360x740.png" 2>/dev/null)" "$BASE/s/what-matters"

# --- page-audit and 320 px ---------------------------------------------------------------------
urls=("$KIOSK2" "$BASE/k/what-matters" "$BASE/k/youth-ballot" "$BASE/s/what-matters/poster" "$BASE/s/your-area/poster")
for f in "$PAGES"/*.html; do urls+=("$SBASE/$(basename "$f")"); done
"$AUDIT" --json "$TMP/audit.json" "${urls[@]}" >"$TMP/audit.txt" 2>&1
check_eq "page-audit passes the kiosk page, the posters and the staff kiosk pages" "$?" "0"
grep -E '^(PASS|FAIL)|FAILED' "$TMP/audit.txt"
node "$HERE/narrow.mjs" "${urls[@]}" >"$TMP/narrow.txt" 2>&1
check_eq "they work at 320 px with visible focus" "$?" "0"
grep -v '^ok' "$TMP/narrow.txt"
kill "$STATIC_PID" 2>/dev/null
wait "$STATIC_PID" 2>/dev/null
check "the server stops cleanly" stop_server
finish
