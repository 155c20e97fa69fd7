#!/usr/bin/env bash
# Rounds over time and who took part (issue 16; docs/rounds.md,
# docs/equalities.md) in headless Chromium: three rounds of a plan answered
# through the form (tests/http/rounds_data.sh), then page-audit and
# narrow.mjs (320 px, keyboard focus) on the trend page, the "who took
# part" page before and after counting with the passphrase, its population
# form refused with its errors, the consultations page that links them, and
# the survey page with the equalities questions, the Round page (and its
# form refused with its problems, screenshots at 360x740 and 320 px), the
# report of round 2023
# with its earlier rounds and round 2023's public page with each priority
# each time we asked; screenshots of the trend and equalities pages at
# 360x740 and 320 px (screens.mjs), the trend, equalities and report pages
# printed on A4 (staff_print.mjs), the public page at 360 and 320 px, under
# 30 KB, and on A4 (yousaid.mjs), kept in $SHOTS when set.  Signed-in pages are fetched
# with curl and served as files.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
FORMS="$TMP/forms"
/usr/bin/python3 "$ROOT/tests/http/rounds.py" forms "$FORMS" || fail "the forms folder"
add_staff "$DATA" cleo:commissioner || { fail "accounts made"; finish; exit 1; }
start_server "$DATA" "$FORMS" --rate-limit 0 || { fail "server starts"; finish; exit 1; }
. "$ROOT/tests/http/rounds_data.sh"
check_eq "29 responses stored" "$(rounds_answer)" 29
CC=$(sign_in "$TMP/c" cleo)
check "a commissioner signs in" test -n "$CC"
PASSPHRASE=$(head -n 1 "$TEST_PASSPHRASE_FILE")
E="$BASE/staff/consultations/cyp-2023/equalities"
curl -s -o /dev/null -b "$TMP/c" -d "_csrf=$CC" -d "gender:girl=5100" -d "gender:boy=4900" -d "gender:non-binary=40" \
	-d "ethnicity:white=8000" -d "ethnicity:asian=1200" -d "ethnicity:black=300" -d "ethnicity:mixed=400" \
	-d "ethnicity:other-ethnic-group=100" -d "disability:yes=1500" -d "disability:no=8500" "$E/population"

PAGES="$TMP/pages"
mkdir -p "$PAGES"
save trends 200 "$TMP/c" "$BASE/staff/consultations/cyp-2023/trends"
save equalities 200 "$TMP/c" "$E"
save equalities-counted 200 "$TMP/c" -d "_csrf=$CC" --data-urlencode "passphrase=$PASSPHRASE" "$E"
check "  ... counted, with a hidden count" grep -q '<td class="numeric">&lt;5</td>' "$PAGES/equalities-counted.html"
save population-errors 422 "$TMP/c" -d "_csrf=$CC" -d "gender:girl=many" -d "ethnicity:white=-3" "$E/population"
save consultations 200 "$TMP/c" "$BASE/staff/consultations"
save round 200 "$TMP/c" "$BASE/staff/consultations/cyp-2023/round"
save round-errors 422 "$TMP/c" -d "_csrf=$CC&plan=Cyp+Plan&round=" "$BASE/staff/consultations/other/round"
# The report of round 2023 (its earlier rounds beside it) and the public page
# of round 2023 (each priority each time we asked), with two decisions.
"$EXPORT_BIN" --data "$DATA" --passphrase-file "$TEST_PASSPHRASE_FILE" report --consultation cyp-2023 \
	-o "$PAGES/report-2023.html" </dev/null 2>/dev/null
check "the report of round 2023 has its earlier rounds" grep -q 'Compared with earlier rounds' "$PAGES/report-2023.html"
LOG="$BASE/staff/consultations/cyp-2023/decisions"
for d in "2:Nobody listens at school:A trusted adult in every secondary school by September:board:planned" \
	"5:Waiting lists are too long:A weekly drop-in with a youth counsellor in each district:board:in-progress"; do
	IFS=: read -r p said decided by status <<<"$d"
	curl -s -o /dev/null -b "$TMP/c" --data-urlencode "_csrf=$CC" -d "priority=$p" --data-urlencode "said=$said" \
		--data-urlencode "decided=$decided" -d "by=$by" -d "status=$status" -d decided_on=2026-11-30 "$LOG"
done
check_eq "round 2023's public page published" "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/c" \
	-d "_csrf=$CC&published=1" "$BASE/staff/consultations/cyp-2023/publish")" 303

SHOTS=${SHOTS:-$TMP/shots}
mkdir -p "$SHOTS"
serve_saved "$PAGES"
node "$HERE/screens.mjs" "$SHOTS" trends="$SBASE/trends.html" equalities="$SBASE/equalities-counted.html" \
	population-errors="$SBASE/population-errors.html" survey="$BASE/s/wm-2023" \
	round-errors="$SBASE/round-errors.html" >"$TMP/shots.txt" 2>&1
status=$?
grep -v '^ok' "$TMP/shots.txt"
check_eq "screenshots at 360x740 and 320 px, each fitting (screens.mjs)" "$status" 0
print_staff "$SHOTS" trends="$SBASE/trends.html" equalities="$SBASE/equalities-counted.html" \
	report-2023="$SBASE/report-2023.html"
node "$HERE/yousaid.mjs" "$BASE/results/cyp-2023" "$SHOTS" "$SHOTS/yousaid-rounds-a4.pdf" >"$TMP/yousaid.txt" 2>&1
status=$?
grep -v '^ok' "$TMP/yousaid.txt"
check_eq "round 2023's public page at 360 and 320 px, under 30 KB (yousaid.mjs)" "$status" 0
kill "$STATIC_PID" 2>/dev/null
wait "$STATIC_PID" 2>/dev/null

audit_saved "$PAGES" "$BASE/s/wm-2023" "$BASE/results/cyp-2023"
bytes=$(jq -r --arg u "$BASE/results/cyp-2023" '.results[] | select(.url == $u) | .load.transferBytes' "$TMP/audit.json")
echo "# page-audit: round 2023's public page transfers $bytes bytes"
check "page-audit: round 2023's public page transfers under 30 KB ($bytes bytes)" test "${bytes:-99999}" -lt 30720
check "the server stops cleanly" stop_server
finish
