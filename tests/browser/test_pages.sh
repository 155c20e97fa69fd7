#!/usr/bin/env bash
# Every page a respondent can see, audited in headless Chromium:
# - ../shared/tools/page-audit at phone and desktop sizes: no serious or
#   critical axe-core (WCAG 2.2 AA) violation, no HTML error, no overflow at
#   360 px, forms that work without JavaScript;
# - narrow.mjs: no sideways scrolling at 320 px (or 400% zoom), and visible
#   keyboard focus.
# Pages the server shows only after a POST (later pages, errors, check your
# answers) are fetched with curl and served as files by static-server.mjs.
. "$(dirname "$0")/lib.sh"

# The demo surveys plus a closed and a not-yet-open copy.
FORMS="$TMP/forms"
cp -r "$ROOT/forms" "$FORMS"
sed -e 's/"id": "what-matters"/"id": "closed-example"/' -e 's/"status": "open"/"status": "closed"/' \
	"$ROOT/forms/surveys/what-matters.json" >"$FORMS/surveys/closed-example.json"
sed -e 's/"id": "your-area"/"id": "later-example"/' -e 's/"opens": "2026-01-01"/"opens": "2099-01-01"/' \
	-e 's/"closes": "2027-12-31"/"closes": "2099-12-31"/' \
	"$ROOT/forms/surveys/your-area.json" >"$FORMS/surveys/later-example.json"

start_server "$TMP/data" "$FORMS" || { fail "server starts"; finish; exit 1; }

# --- pages reached by POST, saved as files -----------------------------------
PAGES="$TMP/pages"
mkdir -p "$PAGES"
save() { # save NAME SURVEY FIELDS...
	local name=$1 survey=$2
	shift 2
	local args=()
	for f in "$@"; do args+=(--data-urlencode "$f"); done
	curl -s -o "$PAGES/$name.html" --max-time 20 "${args[@]}" "$BASE/s/$survey"
	check "captured $name" grep -q '</html>' "$PAGES/$name.html"
}
tok=$(fresh_token your-area)
p1=(_token="$tok" feel-safe=4)
p2=(young-carer=yes carer-help=other "carer-help.other=my nan")
p3=("more-of[]=sport" "more-of[]=buses" "worries=Not much, really.")
p4=(age=14-15 district=westfield)
save single-errors what-matters "_token=$(fresh_token what-matters)" "make-better[]=sport" "tell-us=kept"
save area-page2 your-area "${p1[@]}" _page=1 _action=next
save area-page2-errors your-area "${p1[@]}" _page=2 _action=next
save area-page3 your-area "${p1[@]}" "${p2[@]}" _page=2 _action=next
save area-page4 your-area "${p1[@]}" "${p2[@]}" "${p3[@]}" _page=3 _action=next
save area-check your-area "${p1[@]}" "${p2[@]}" "${p3[@]}" "${p4[@]}" _page=4 _action=next
save area-check-ur your-area "${p1[@]}" "${p2[@]}" "${p3[@]}" "${p4[@]}" _page=4 _action=next _lang=ur
save area-page2-errors-ur your-area "${p1[@]}" _page=2 _action=next _lang=ur
save area-expired your-area _token=0000 "${p1[@]}" "${p2[@]}" "${p3[@]}" "${p4[@]}" _page=5 _action=submit
check "the check page was reached" grep -q 'Check your answers before sending them' "$PAGES/area-check.html"
check "the error page has its summary" grep -q 'error-summary' "$PAGES/area-page2-errors.html"
check "the Urdu error page is right to left" grep -q '<html lang="ur" dir="rtl">' "$PAGES/area-page2-errors-ur.html"

serve_saved "$PAGES"

urls=(
	"$BASE/" "$BASE/s/what-matters" "$BASE/s/what-matters/thanks" "$BASE/s/closed-example"
	"$BASE/s/your-area" "$BASE/s/your-area?lang=ur" "$BASE/s/your-area/thanks?lang=ur"
	"$BASE/s/later-example" "$BASE/s/later-example?lang=ur"
)
for f in "$PAGES"/*.html; do urls+=("$SBASE/$(basename "$f")"); done

audit_each "${urls[@]}"
for s in what-matters your-area; do
	weight=$(jq --arg u "$BASE/s/$s" '.results[] | select(.url == $u) | .load.transferBytes' "$TMP/audit.json")
	check "$s with its stylesheet and script weighs under 30 KB ($weight bytes)" test "${weight:-999999}" -lt 30720
	# The page, its stylesheet and respond.js (which the page never needs).
	check_eq "$s makes exactly 3 requests, all to this server" \
		"$(jq --arg u "$BASE/s/$s" '.results[] | select(.url == $u) | .load.requests' "$TMP/audit.json")" "3"
done

narrow_each "${urls[@]}"

kill "$STATIC_PID" 2>/dev/null
wait "$STATIC_PID" 2>/dev/null
check "the server stops cleanly" stop_server
finish
