#!/usr/bin/env bash
# The report (survey-export report) as a reader gets it: one self-contained
# HTML file (no script, nothing fetched from anywhere: only in-page #anchors),
# with what was said, escaped; it passes page-audit (no serious or critical
# axe-core violation, no HTML error) and narrow.mjs (320 px, visible focus)
# served as a file by static-server.mjs, and prints on A4 paper.  The demo
# consultation (tests/report_demo.sh: 60 responses, 3 focus groups, 1 event)
# prints on at most 6 pages with a running header and page numbers, true
# zeros as 0, small groups merged, and shares only beside published counts.
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

# --- the demo consultation the report is sized for (tests/report_demo.sh) ------------
. "$ROOT/tests/report_demo.sh"
DEMO="$TMP/demo"
mkdir -p "$DEMO"
check "the demo (60 responses, 3 focus groups, 1 event) is made through the server's routes" \
	build_report_demo "$DEMO/data" "$PASS"

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

"$EXPORT_BIN" --data "$DEMO/data" --passphrase-file "$PASS" report -o "$PAGES/demo.html" </dev/null 2>"$TMP/demo.err"
check_eq "survey-export report of the demo exits 0" "$?" "0"
"$EXPORT_BIN" --data "$DEMO/data" themes --format json -o "$TMP/demo-themes.json" </dev/null 2>/dev/null
check "  ... and its themes JSON" test -s "$TMP/demo-themes.json"
check "the demo report: a summary first, then the priorities, own words, who answered, the method" \
	/usr/bin/python3 - "$PAGES/demo.html" <<'PYTHON'
import re, sys
h = open(sys.argv[1], encoding='utf-8').read()
ids = ['summary-h', 'took-part', 'priority-1', 'priority-2', 'priority-3', 'priority-4', 'priority-5',
       'quotes', 'answers', 'method']
at = [h.find(f'id="{i}"') for i in ids]
if -1 in at or at != sorted(at):
    sys.exit(f'sections out of order or missing: {dict(zip(ids, at))}')
for want in ('Top themes under each priority', 'Key messages', 'Focus groups met on 2026-11-04, 2026-11-11 and 2026-11-18',
             'Youth Voice Fair, 2026-11-22', 'What focus groups said', 'six months to talk to anyone'):
    if want not in h:
        sys.exit(f'missing: {want}')
PYTHON
check "  ... key messages from the counts: sport led the surveys with 28 of 60 (47%)" \
	grep -qF 'In the surveys, the theme raised most was “Easier access to sport and physical activity”: 28 of 60 survey responses (47%).' "$PAGES/demo.html"
# A theme nobody raised (knife crime: no survey answer, key message or
# stall) is a true 0 in every column, never "<5".
check "a true zero is 0: knife crime's row reads 0 0% 0 0 0 0 (free text too)" /usr/bin/python3 - "$PAGES/demo.html" "$TMP/demo-themes.json" <<'PYTHON'
import html, json, re, sys
h = open(sys.argv[1], encoding='utf-8').read()
rows = [r for r in json.load(open(sys.argv[2]))['rows'] if r['theme'] == 'Knife crime']
if not rows or any(r[c] != 0 for r in rows for c in ('survey', 'focus_group', 'marketplace', 'total', 'free_text')):
    sys.exit(f'the themes JSON: {rows}')
m = re.search(r'<tr><th scope="row">Knife crime</th>(.*?)</tr>', h)
cells = [html.unescape(re.sub(r'<[^>]+>', '', c)) for c in re.findall(r'<td[^>]*>(.*?)</td>', m.group(1))] if m else []
if cells != ['0', '0%', '0', '0', '0', '0']:
    sys.exit(f'the report: {cells}')
PYTHON
# Small age bands and districts are merged, and the line under the table says so.
check "merged groups: 8 to 10 with 11 to 13, 16 or 17 with 18 to 21, small districts in Other areas" /usr/bin/python3 - "$PAGES/demo.html" <<'PYTHON'
import sys
h = open(sys.argv[1], encoding='utf-8').read()
for want in ('Merged so that the numbers can be shown: “8 to 13” is 8 to 10 and 11 to 13.',
             '“16 to 21” is 16 or 17 and 18 to 21.', '“Other areas” is ',
             '<th scope="col" class="n">Other areas</th>', '<th scope="col" class="n">8 to 13</th>',
             'Groups as in “Survey responses by age band” above'):
    if want not in h:
        sys.exit(f'missing: {want}')
if '<th scope="col" class="n">8 to 10</th>' in h or '<th scope="col" class="n">Westfield</th>' in h:
    sys.exit('an unmerged small group still has a column')
PYTHON
# Percentages follow the suppression: a share only beside a count printed as
# a number, and it is that number over the base (60 respondents, each of whom
# answered both what-matters questions), so it tells nothing more.
check "every share is the printed count over 60; none beside <5, [c] or [x]" /usr/bin/python3 - "$PAGES/demo.html" <<'PYTHON'
import html, re, sys
h = open(sys.argv[1], encoding='utf-8').read()
n = 0
for row in re.findall(r'<tr><th scope="row">(.*?)</tr>', h):
    cells = [html.unescape(re.sub(r'<[^>]+>', '', c)).strip() for c in re.findall(r'<td[^>]*>(.*?)</td>', row)]
    if len(cells) < 2 or not (cells[1] == '' or cells[1].endswith('%')):
        continue
    count, pc = cells[0], cells[1]
    if not count.isdigit():
        if pc:
            sys.exit(f'a share beside {count!r}: {row[:80]}')
        continue
    want = (int(count) * 200 + 60) // 120
    if pc != f'{want}%':
        sys.exit(f'{count} of 60 printed as {pc!r}, not {want}%')
    n += 1
print(f'# {n} shares checked')
if n < 30:
    sys.exit('too few shares found')
PYTHON
check "the demo report has the analysis's column: sport's 6 coded answers, not in the total" /usr/bin/python3 - "$PAGES/demo.html" "$TMP/demo-themes.json" <<'PYTHON'
import html, json, re, sys
h = open(sys.argv[1], encoding='utf-8').read()
d = json.load(open(sys.argv[2]))
if h.count('<th scope="col" class="n">Free-text answers</th>') != 5:
    sys.exit('not one Free-text answers column per priority table')
sport = [r for r in d['rows'] if r['theme'].startswith('Easier access to sport')][0]
m = re.search(r'<tr><th scope="row">Easier access to sport and physical activity</th>(.*?)</tr>', h)
cells = [html.unescape(re.sub(r'<[^>]+>', '', c)) for c in re.findall(r'<td[^>]*>(.*?)</td>', m.group(1))] if m else []
# 3 answers "cost anything" and 3 "get to football" of the 15: 6 coded sport.
if sport['free_text'] != 6 or cells[5:] != ['6'] or cells[4] != str(sport['total']):
    sys.exit(f'sport: JSON {sport}, report {cells}')
if sport['total'] != sport['survey'] + sport['focus_group'] + sport['marketplace']:
    sys.exit('free_text was added to the total')
if 'Free-text survey answers: 15 were coded into themes' not in h or d['took_part']['coded_answers'] != 15:
    sys.exit('the method does not say 15 were coded')
PYTHON
check "  ... and the page-one shares too (\"37% (22)\")" grep -qF 'Healthy food and holiday hunger: <span class="n">37%</span> (22)' "$PAGES/demo.html"

serve_saved "$PAGES"
URL="$SBASE/report.html"
DEMO_URL="$SBASE/demo.html"

"$AUDIT" --json "$TMP/audit.json" "$URL" "$DEMO_URL" >"$TMP/audit.txt" 2>&1
status=$?
grep -E '^(PASS|FAIL)|FAILED|error ' "$TMP/audit.txt"
check_eq "page-audit passes the report" "$(jq -r --arg u "$URL" '.results[] | select(.url == $u) | .passed' "$TMP/audit.json" 2>/dev/null)" "true"
check_eq "page-audit passes the demo report" "$(jq -r --arg u "$DEMO_URL" '.results[] | select(.url == $u) | .passed' "$TMP/audit.json" 2>/dev/null)" "true"
check_eq "  ... and exits 0" "$status" "0"
check_eq "  ... the report makes one request: itself" \
	"$(jq --arg u "$URL" '.results[] | select(.url == $u) | .load.requests' "$TMP/audit.json" 2>/dev/null)" "1"
node "$HERE/narrow.mjs" "$URL" "$DEMO_URL" >"$TMP/narrow.txt" 2>&1
status=$?
grep -v '^ok' "$TMP/narrow.txt"
check_eq "the report works at 320 px with visible keyboard focus" "$status" "0"

# Printed: A4 pages (595.28 x 841.89 points).
timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$TMP/chromium" \
	--print-to-pdf="$TMP/report.pdf" --no-pdf-header-footer "$URL" >"$TMP/pdf.log" 2>&1
check "chromium prints the report to PDF" bash -c "head -c 5 '$TMP/report.pdf' 2>/dev/null | grep -q '%PDF-'"
check "  ... on A4 pages" /usr/bin/python3 - "$TMP/report.pdf" <<'PYTHON'
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

# The demo printed as a board gets it: at most 6 A4 pages, each with the
# running header (consultation and partnership) and "Page n of m" from the
# CSS page-margin boxes (@page @top-left, @top-right, @bottom-right: Chromium
# prints them, so no displayHeaderFooter is needed), and no page ending on
# a heading.  REPORT_SHOTS=DIR keeps the PDF and a PNG of each page there.
SHOTS=${REPORT_SHOTS:-$TMP/shots}
mkdir -p "$SHOTS"
timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$TMP/chromium" \
	--print-to-pdf="$SHOTS/demo.pdf" --no-pdf-header-footer "$DEMO_URL" >"$TMP/pdf.log" 2>&1
pages=$(pdfinfo "$SHOTS/demo.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
echo "# the demo report prints on ${pages:-?} A4 pages"
check "the demo report prints on 6 A4 pages or fewer" test "${pages:-99}" -le 6
check "  ... and on more than 2 (it is all there)" test "${pages:-0}" -ge 3
rm -f "$SHOTS"/demo-page-*.png
pdftoppm -r 50 -png "$SHOTS/demo.pdf" "$SHOTS/demo-page"
check_eq "  ... a PNG of each page" "$(find "$SHOTS" -name 'demo-page-*.png' | wc -l)" "${pages:-x}"
check "  ... each page has the running header and \"Page n of $pages\"" /usr/bin/python3 - "$SHOTS/demo.pdf" "${pages:-0}" <<'PYTHON'
import subprocess, sys
pdf, n = sys.argv[1], int(sys.argv[2])
for i in range(1, n + 1):
    text = subprocess.run(['pdftotext', '-layout', '-f', str(i), '-l', str(i), pdf, '-'],
                          capture_output=True, text=True).stdout
    for want in ("Children and Young People's Plan 2027: what matters to you", 'Children and Families Partnership',
                 f'Page {i} of {n}', 'by youthvoice'):
        if want not in text:
            sys.exit(f'page {i}: no {want!r}')
PYTHON
check "  ... page one is the summary, and no page ends on a heading" /usr/bin/python3 - "$SHOTS/demo.pdf" "${pages:-0}" "$PAGES/demo.html" <<'PYTHON'
import html, re, subprocess, sys
pdf, n, page = sys.argv[1], int(sys.argv[2]), sys.argv[3]
heads = [html.unescape(re.sub(r'<[^>]+>', '', h)).strip()
         for h in re.findall(r'<h[23][^>]*>(.*?)</h[23]>', open(page, encoding='utf-8').read())]
for i in range(1, n + 1):
    text = subprocess.run(['pdftotext', '-f', str(i), '-l', str(i), pdf, '-'], capture_output=True, text=True).stdout
    lines = [l.strip() for l in text.splitlines() if l.strip() and 'Page ' not in l and 'Generated ' not in l
             and 'Children and Families Partnership' not in l and not l.startswith("Children and Young People's Plan 2027: what")]
    if i == 1 and not ('Summary' in lines and 'Key messages' in lines and 'Priority 1:' not in text):
        sys.exit('page one is not the summary alone')
    if i == 2 and not any(l.startswith('Priority 1:') for l in lines[:3]):
        sys.exit(f'page two does not start with priority 1: {lines[:3]}')
    last = lines[-1] if lines else ''
    if i < n and any(h == last or (len(last) > 8 and h.endswith(last)) for h in heads):
        sys.exit(f'page {i} ends on the heading {last!r}')
PYTHON

kill "$STATIC_PID" 2>/dev/null
wait "$STATIC_PID" 2>/dev/null
finish
