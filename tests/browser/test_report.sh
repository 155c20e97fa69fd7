#!/usr/bin/env bash
# The report (survey-export report) as a reader gets it: one self-contained
# HTML file (no script, nothing fetched from anywhere: only in-page #anchors),
# with what was said, escaped; it passes page-audit (no serious or critical
# axe-core violation, no HTML error) and narrow.mjs (320 px, visible focus)
# served as a file by static-server.mjs, and prints on A4 paper.
. "$(dirname "$0")/lib.sh"

# --- a small data set: responses, a focus group with a quote, a marketplace ------
DATA="$TMP/data"
mkdir -p "$DATA"
PASS="$TMP/pass"
printf 'a report passphrase for tests only\n' >"$PASS"
"$SERVER_BIN" keygen --data "$DATA" --passphrase-file "$PASS" >/dev/null </dev/null
printf '%s\n' "$STAFF_PASSWORD" >"$TMP/pw"
"$SERVER_BIN" user add --data "$DATA" --name kai --role youth-worker --password-file "$TMP/pw" >/dev/null </dev/null
start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server starts"; finish; exit 1; }

# most-important, make-better (comma-separated), age band, district
answers=(
	"talk sport,food 14-15 northvale" "talk sport 16-17 eastbrook" "talk sport,transport 14-15 eastbrook"
	"talk food 11-13 northvale" "talk sport,info 16-17 southmere" "talk sport 14-15 westfield"
	"mental-health food,send 16-17 eastbrook" "mental-health sport 14-15 eastbrook"
	"online transport 18-21 northvale" "online sport,carers 16-17 outside" "safe housing 14-15 eastbrook"
	"bullying sport,food,info 11-13 northvale"
)
stored=0
for a in "${answers[@]}"; do
	read -r mi better age district <<<"$a"
	args=(-d "most-important=$mi" -d "age=$age" -d "district=$district")
	IFS=, read -ra opts <<<"$better"
	for o in "${opts[@]}"; do args+=(-d "make-better[]=$o"); done
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 -d "_token=$(fresh_token what-matters)" "${args[@]}" \
		--data-urlencode "tell-us=Answer $stored: more to do after school" "$BASE/s/what-matters")
	[ "$code" = 303 ] && stored=$((stored + 1))
done
check_eq "the responses are stored" "$stored" "${#answers[@]}"

CSRF=$(sign_in "$TMP/jar" kai)
post() { curl -s -o /dev/null -w '%{http_code}' --max-time 20 -b "$TMP/jar" --data-urlencode "_csrf=$CSRF" "$@"; }
check_eq "a focus group is added" "$(post -d "consultation=cyp-plan-2027&day=2026-11-20&district=Northvale&participants=8&age_from=12&age_to=15" \
	"$BASE/staff/groups")" "303"
check_eq "  ... with a key message" "$(post --data-urlencode "text=Clubs should stay open later & be free" \
	-d "themes[]=sport-activity&themes[]=someone-to-talk-to" "$BASE/staff/groups/1/messages")" "303"
check_eq "  ... and another" "$(post --data-urlencode "text=Feeling unsafe online" -d "themes[]=online-safety" \
	"$BASE/staff/groups/1/messages")" "303"
check_eq "  ... and a quote with markup in it" "$(post -d kind=quote -d no_names=yes \
	--data-urlencode 'text=I want <script>alert(1)</script> "somewhere" to go' "$BASE/staff/groups/1/sealed")" "303"
check_eq "a marketplace event starts" "$(post -d "name=Report fair&day=2026-11-22&consultation=cyp-plan-2027" "$BASE/staff/events")" "303"
taps=0
for i in 1 2 3 4 5 6; do
	[ "$(post -H 'Accept: application/json' -d "priority=2&theme=online-safety&delta=1&client_id=r-$i" \
		"$BASE/staff/events/1/tally")" = 200 ] && taps=$((taps + 1))
done
check_eq "  ... and takes 6 tokens" "$taps" "6"
check "the server stops cleanly" stop_server

# --- the report file ---------------------------------------------------------------------
PAGES="$TMP/pages"
mkdir -p "$PAGES"
REPORT="$PAGES/report.html"
"$EXPORT_BIN" --data "$DATA" --passphrase-file "$PASS" report -o "$REPORT" </dev/null 2>"$TMP/report.err"
check_eq "survey-export report exits 0" "$?" "0"
check "  ... a whole HTML page" bash -c "head -c 15 '$REPORT' | grep -qi '<!doctype html>' && grep -q '</html>' '$REPORT'"
check "  ... with the consultation title" grep -qF "Plan 2027: what matters to you</h1>" "$REPORT"
check "  ... the key messages, escaped" grep -qF 'Clubs should stay open later &amp; be free' "$REPORT"
check "  ... the quote, escaped" grep -qF 'I want &lt;script&gt;alert(1)&lt;/script&gt;' "$REPORT"
check "  ... charts as inline SVG" grep -q '<svg ' "$REPORT"
check "  ... a method note" grep -q 'id="method"' "$REPORT"
check "  ... small numbers suppressed" grep -qF '&lt;5' "$REPORT"
check "no <script> at all" bash -c "no_match -qi '<script' '$REPORT'"
# Every src=, href= (and the like) points inside the page.
grep -oiE '\b(src|href|srcset|action|poster|data|xlink:href)[[:space:]]*=[[:space:]]*("[^"]*"|'"'"'[^'"'"']*'"'"'|[^[:space:]>]+)' "$REPORT" >"$TMP/links"
check "  ... it has in-page links" grep -q '^href="#' "$TMP/links"
check "  ... and no link or source anywhere else" bash -c "no_match -vE '^href=\"#[^\"]*\"\$' '$TMP/links'"
check "  ... no CSS import or url()" bash -c "no_match -qiE '@import|url[[:space:]]*\\(' '$REPORT'"
check "  ... no <link>, <img>, <iframe>, <object>, <embed>" bash -c "no_match -qiE '<(link|img|iframe|object|embed)\\b' '$REPORT'"

serve_saved "$PAGES"
URL="$SBASE/report.html"

"$AUDIT" --json "$TMP/audit.json" "$URL" >"$TMP/audit.txt" 2>&1
status=$?
grep -E '^(PASS|FAIL)|FAILED|error ' "$TMP/audit.txt"
check_eq "page-audit passes the report" "$(jq -r --arg u "$URL" '.results[] | select(.url == $u) | .passed' "$TMP/audit.json" 2>/dev/null)" "true"
check_eq "  ... and exits 0" "$status" "0"
check_eq "  ... the report makes one request: itself" \
	"$(jq --arg u "$URL" '.results[] | select(.url == $u) | .load.requests' "$TMP/audit.json" 2>/dev/null)" "1"
node "$HERE/narrow.mjs" "$URL" >"$TMP/narrow.txt" 2>&1
status=$?
grep -v '^ok' "$TMP/narrow.txt"
check_eq "the report works at 320 px with visible keyboard focus" "$status" "0"

# Printed: A4 pages (595.28 x 841.89 points).
timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$TMP/chromium" \
	--print-to-pdf="$TMP/report.pdf" --no-pdf-header-footer "$URL" >"$TMP/pdf.log" 2>&1
check "chromium prints the report to PDF" bash -c "head -c 5 '$TMP/report.pdf' 2>/dev/null | grep -q '%PDF-'"
check "  ... on A4 pages" python3 - "$TMP/report.pdf" <<'PYTHON'
import re, sys
pdf = open(sys.argv[1], 'rb').read()
boxes = [tuple(map(float, m)) for m in re.findall(rb'/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]', pdf)]
if not boxes:
    sys.exit('no /MediaBox in the PDF')
x0, y0, x1, y1 = boxes[0]
w, h = x1 - x0, y1 - y0
print(f'# {len(boxes)} page box(es), the first {w:.2f} x {h:.2f} points')
if abs(w - 595.28) > 1 or abs(h - 841.89) > 1:
    sys.exit(f'the first page is {w:.2f} x {h:.2f} points, not A4')
PYTHON

kill "$STATIC_PID" 2>/dev/null
wait "$STATIC_PID" 2>/dev/null
finish
