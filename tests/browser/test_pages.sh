#!/usr/bin/env bash
# Every page a respondent can reach by GET, audited in headless Chromium by
# ../shared/tools/page-audit at phone and desktop sizes: no serious or
# critical axe-core (WCAG 2.2 AA) violation, no HTML error, no overflow at
# 360 px, forms that work without JavaScript.
. "$(dirname "$0")/../http/lib.sh"

AUDIT="$ROOT/../shared/tools/page-audit/page-audit"
if [ ! -x "$AUDIT" ]; then
	fail "page-audit is at $AUDIT (shared/ must sit beside the repository)"
	finish
	exit 1
fi

# A forms folder with the demo plus a closed copy, to audit the closed page too.
FORMS="$TMP/forms"
cp -r "$ROOT/forms" "$FORMS"
sed -e 's/"id": "what-matters"/"id": "closed-example"/' -e 's/"status": "open"/"status": "closed"/' \
	"$ROOT/forms/surveys/what-matters.json" >"$FORMS/surveys/closed-example.json"

start_server "$TMP/data" "$FORMS" || { fail "server starts"; finish; exit 1; }
pages=(/ /s/what-matters /s/what-matters/thanks /s/closed-example)
urls=()
for p in "${pages[@]}"; do urls+=("$BASE$p"); done

"$AUDIT" --json "$TMP/audit.json" "${urls[@]}" >"$TMP/audit.txt" 2>&1
status=$?
cat "$TMP/audit.txt"
for p in "${pages[@]}"; do
	verdict=$(jq -r --arg u "$BASE$p" '.results[] | select(.url == $u) | .passed' "$TMP/audit.json" 2>/dev/null)
	check_eq "page-audit passes $p" "$verdict" "true"
done
check_eq "page-audit exits 0" "$status" "0"
weight=$(jq --arg u "$BASE/s/what-matters" '.results[] | select(.url == $u) | .load.transferBytes' "$TMP/audit.json")
check "the survey page with its stylesheet weighs under 30 KB ($weight bytes)" test "${weight:-999999}" -lt 30720
check_eq "the survey page makes exactly 2 requests (page and stylesheet)" \
	"$(jq --arg u "$BASE/s/what-matters" '.results[] | select(.url == $u) | .load.requests' "$TMP/audit.json")" "2"
check "the server stops cleanly" stop_server

finish
