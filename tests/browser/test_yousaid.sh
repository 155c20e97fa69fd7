#!/usr/bin/env bash
# "You said, we did" (docs/yousaid.md) in headless Chromium: the public page
# with a decision log (one entry planned, one started, one not possible)
# and the themes of responses, a focus group and an event, at 360x740 and
# 320 px with JavaScript off (yousaid.mjs: under 30 KB in all, screenshots
# in $SHOTS when set); page-audit and narrow.mjs on the public page (its
# transfer size under 30 KB there too), a thanks page with its link, the
# poster with its line, and the staff pages: the log, an entry's page and
# the form refused with its problems.  Signed-in pages are fetched with curl
# and served as files.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
add_staff "$DATA" kai:youth-worker cleo:commissioner || { fail "accounts made"; finish; exit 1; }
start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server starts"; finish; exit 1; }
CK=$(sign_in "$TMP/k" kai)
CC=$(sign_in "$TMP/c" cleo)
C=cyp-plan-2027
LOG="$BASE/staff/consultations/$C/decisions"
post() { curl -s -o /dev/null --max-time 20 -b "$1" "${@:2}"; }
post "$TMP/k" -d "_csrf=$CK&consultation=$C&day=2026-11-20&district=Northvale&participants=9&age_from=12&age_to=15" "$BASE/staff/groups"
post "$TMP/k" --data-urlencode "_csrf=$CK" --data-urlencode "text=Nobody listens at school" -d 'themes[]=someone-to-talk-to' "$BASE/staff/groups/1/messages"
post "$TMP/k" -d "_csrf=$CK&name=Youth+fair&day=2026-11-21&consultation=$C" "$BASE/staff/events"
for t in 2:online-safety:23 5:sport-activity:41 2:knife-crime:12 5:healthy-food:3; do
	IFS=: read -r p theme total <<<"$t"
	post "$TMP/k" -H 'Accept: application/json' -d "_csrf=$CK&priority=$p&theme=$theme&total=$total&client_id=$theme" "$BASE/staff/events/1/tally"
done
check_eq "24 responses stored" "$(answer_24)" 24
entry() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 20 -b "$TMP/c" --data-urlencode "_csrf=$CC" "$@" "$LOG"
}
check_eq "an entry: planned, by the board" "$(entry -d priority=2 --data-urlencode 'said=Buses feel unsafe after dark' \
	--data-urlencode 'decided=Brighter lights at the five busiest bus stops by the summer' -d by=board -d status=planned \
	-d decided_on=2026-11-30)" 303
check_eq "an entry: started, by a lead" "$(entry -d priority=5 --data-urlencode 'said=We want somewhere to talk about how we feel, without a long wait' \
	--data-urlencode 'decided=A drop-in with a youth counsellor every week in each district' -d by=lead \
	--data-urlencode 'lead=Head of Children’s Mental Health, NHS' -d status=in-progress -d decided_on=2026-10-02)" 303
check_eq "an entry: not possible, and why" "$(entry -d priority=5 --data-urlencode 'said=Free gym passes for everyone under 18' \
	--data-urlencode 'decided=Free passes for young carers and children in care' -d by=board -d status=not-possible \
	--data-urlencode 'why=There is not enough money for everyone, so we started with the young people who need it most' \
	-d decided_on=2026-10-02)" 303
check_eq "published" "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/c" -d "_csrf=$CC&published=1" "$BASE/staff/consultations/$C/publish")" 303

PAGES="$TMP/pages"
mkdir -p "$PAGES"
save decisions 200 "$TMP/c" "$LOG"
save decision-entry 200 "$TMP/c" "$LOG/1"
save decision-errors 422 "$TMP/c" --data-urlencode "_csrf=$CC" -d priority=2 -d by=lead -d status=not-possible \
	--data-urlencode "said=$(/usr/bin/python3 -c 'print("x" * 601, end="")')" -d decided_on=2026-02-30 "$LOG"
check "  ... the refused form lists its problems" grep -q 'class="error-summary"' "$PAGES/decision-errors.html"

SHOTS=${SHOTS:-$TMP/shots}
mkdir -p "$SHOTS"
node "$HERE/yousaid.mjs" "$BASE/results/$C" "$SHOTS" "$SHOTS/yousaid-a4.pdf" >"$TMP/yousaid.txt" 2>&1
status=$?
grep -v '^ok' "$TMP/yousaid.txt"
check_eq "the public page at 360 and 320 px, under 30 KB (yousaid.mjs)" "$status" 0

audit_saved "$PAGES" "$BASE/results/$C" "$BASE/s/what-matters/thanks" "$BASE/s/what-matters/poster"
bytes=$(jq -r --arg u "$BASE/results/$C" '.results[] | select(.url == $u) | .load.transferBytes' "$TMP/audit.json")
echo "# page-audit: the public page transfers $bytes bytes"
check "page-audit: the public page transfers under 30 KB ($bytes bytes)" test "${bytes:-99999}" -lt 30720
check "the server stops cleanly" stop_server
finish
