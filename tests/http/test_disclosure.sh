#!/usr/bin/env bash
# The report as a determined reader reads it (issue 12, item 1), end to end:
# 2 what-matters responses choosing bullying and 6 choosing "someone to talk
# to" (all with sport, 14-15, Northvale); one focus group with 3 key
# messages each tagged bullying; one your-area response (a young carer, "not
# safe at all", buses, 16-17, Westfield); no events.  The report lists each
# key message with its theme (so the focus-group count is known), prints the
# answered count of each required question (so each survey's size is
# known), and 0 events (so the marketplace column is 0).  From those alone a
# reader must not get the bullying survey count (2), the your-area survey's
# size (1), nor anything that one respondent answered.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
mkdir -p "$DATA"
PASS="$TMP/pass"
printf '%s\n' "disclosure test passphrase $(date +%s%N)" >"$PASS"
"$SERVER_BIN" keygen --data "$DATA" --passphrase-file "$PASS" >/dev/null </dev/null
add_staff "$DATA" kai:youth-worker || fail "staff accounts"
start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server starts"; finish; exit 1; }

# --- the scenario -------------------------------------------------------------------
stored=0
for most in bullying bullying talk talk talk talk talk talk; do
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 -d "_token=$(fresh_token what-matters)" \
		-d "most-important=$most" -d 'make-better[]=sport' -d age=14-15 -d district=northvale \
		"$BASE/s/what-matters")
	[ "$code" = 303 ] && stored=$((stored + 1))
done
check_eq "8 what-matters responses are stored" "$stored" 8
check_eq "1 your-area response is stored" "$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 \
	-d "_token=$(fresh_token your-area)" -d _page=5 -d _action=submit -d feel-safe=1 -d young-carer=yes \
	-d 'more-of[]=buses' -d age=16-17 -d district=westfield "$BASE/s/your-area")" 303

cpost() { curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 20 -b "$1" "${@:3}" "$2"; }
JY="$TMP/kai.jar"
CY=$(sign_in "$JY" kai)
check_eq "a focus group is added" \
	"$(cpost "$JY" "$BASE/staff/groups" -d "_csrf=$CY&consultation=cyp-plan-2027&day=2026-11-20&district=Northvale&participants=7&age_from=12&age_to=15")" \
	"303 $BASE/staff/groups/1"
msgs=0
for text in "Bullying on the bus" "Bullying online at night" "Teachers miss the bullying"; do
	r=$(cpost "$JY" "$BASE/staff/groups/1/messages" --data-urlencode "_csrf=$CY" \
		--data-urlencode "text=$text" -d 'themes[]=bullying')
	[ "$r" = "303 $BASE/staff/groups/1" ] && msgs=$((msgs + 1))
done
check_eq "  ... with 3 key messages tagged bullying" "$msgs" 3

ex() { "$EXPORT_BIN" --data "$DATA" --passphrase-file "$PASS" "$@" </dev/null; }
check "survey-export report succeeds" ex report -o "$TMP/report.html"
check "survey-export themes (JSON) succeeds" ex themes --format json -o "$TMP/themes.json"
check "survey-export breakdowns succeeds" ex breakdowns -o "$TMP/breakdowns.csv"

# --- what a reader can work out -------------------------------------------------------
READER="$TMP/reader.py"
cat >"$READER" <<'PYTHON'
import csv, html, json, re, sys

which, report, themes, breakdowns = sys.argv[1:5]
R = html.unescape(re.sub(r'<[^>]+>', '|', open(report, encoding='utf-8').read()))
T = json.load(open(themes, encoding='utf-8'))
B = list(csv.DictReader(open(breakdowns, encoding='utf-8')))


def num(v):
    return isinstance(v, int) or (isinstance(v, str) and v.isdigit())


def row(prio, name):
    return next(r for r in T['rows'] if r['priority_number'] == prio and r['theme'] == name)


bully = row(2, 'Bullying')
part = T['took_part']
sizes = {s['survey']: s['responses'] for s in part.get('surveys', [])}
# What the report's lists and plain figures say: key messages are listed with
# their themes, and "Marketplace events" 0 means no tokens at all.
listed_bullying = len(re.findall(r'\(Bullying\)', R))
no_events = re.search(r'Marketplace events\|+0\|', R) is not None
answered = {r['question_id']: r['count'] for r in B if r['by'] == 'all' and r['option_id'] == ''}


def size(survey, required_question):
    """A survey's size: printed, or a required question's answered count."""
    for v in (sizes.get(survey), answered.get(required_question)):
        if num(v):
            return int(v)
    return None


ok = True
if which == 'bullying':
    # survey = total - focus_group - marketplace.
    focus = int(bully['focus_group']) if num(bully['focus_group']) else listed_bullying
    market = 0 if no_events else (int(bully['marketplace']) if num(bully['marketplace']) else None)
    ok = not num(bully['survey']) and not (num(bully['total']) and market is not None and
                                           listed_bullying == 3)
    if not ok:
        print('bullying survey =', bully['survey'] if num(bully['survey']) else
              int(bully['total']) - focus - market, file=sys.stderr)
elif which == 'focus-known':
    ok = bully['focus_group'] == 3 and bully['marketplace'] == 0 and listed_bullying == 3 and no_events
elif which == 'size':
    # your-area's size = all responses - what-matters's, or printed.
    wm, ya = size('what-matters', 'most-important'), size('your-area', 'feel-safe')
    ok = ya is None and not (num(part['responses']) and wm is not None)
    if not ok:
        print('your-area size =', ya if ya is not None else int(part['responses']) - wm, file=sys.stderr)
elif which == 'answers':
    # No count of the lone respondent's questions is a number other than 0.
    mine = [r for r in B if r['question_id'] in ('feel-safe', 'young-carer', 'more-of')]
    bad = [r for r in mine if num(r['count']) and r['count'] != '0' and r['option_id'] != '']
    ok = bool(mine) and not bad
    if bad:
        print(bad[:3], file=sys.stderr)
elif which == 'groups':
    # The 16-17 and Westfield columns (one person) show no answers.
    mine = [r for r in B if r['by'] != 'all' and r['group'] in ('16 or 17', 'Westfield')
            and r['option_id'] != '']
    ok = bool(mine) and all(r['count'] in ('[x]', '0', '<5', '[c]') for r in mine) and \
        not any(r['count'] == '<5' for r in mine)
elif which == 'report-says':
    ok = 'Their answers are not shown' in R and '[x]' in R and 'Bullying on the bus' in R
sys.exit(0 if ok else 1)
PYTHON
reader() { /usr/bin/python3 "$READER" "$1" "$TMP/report.html" "$TMP/themes.json" "$TMP/breakdowns.csv"; }
check "the listed key messages are published as they are: bullying's focus-group count 3, marketplace 0" \
	reader focus-known
check "the bullying survey count (2) cannot be worked out: survey, or the row total, is kept back" reader bullying
check "your-area's size (1) cannot be worked out from all responses less what-matters's" reader size
check "no count of the lone your-area respondent's answers is published" reader answers
check "the 16-17 and Westfield columns (one person) publish no answer" reader groups
check "the report says the answers of too few people are not shown" reader report-says
check "the report no longer says names were taken out of quotes" \
	bash -c "no_match -q 'with names, contact details and places taken out' '$TMP/report.html'"
finish
