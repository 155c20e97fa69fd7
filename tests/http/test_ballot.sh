#!/usr/bin/env bash
# The youth ballot (issue 16; docs/ballot.md), over HTTP with JavaScript off:
# a ranked ballot (the demo forms/surveys/youth-ballot.json, in a copy of forms/)
# answered with one POST, counted per issue and rank and raising its
# issues' themes; an issue chosen twice, or a second choice without a
# first, refused with the error summary (in Urdu too) and nothing stored;
# the page with its stylesheet and script under 30 KB.  Paper returns: a
# form sent twice stores one return, a setting once, votes above the papers
# returned refused, corrected until a commissioner locks it (then 409),
# turnout per setting; CSRF, roles (a youth worker enters and corrects, a
# commissioner also locks, reads the results and imports), methods, audit
# log.  The ranked results: first choices from every source, a points view,
# suppressed (<5 and [c]), online counts moving only in steps of 5.  A Make
# Your Mark results file imported by upload and by `survey-server ballot
# import`, and bad files refused naming the line with nothing stored.
. "$(dirname "$0")/lib.sh"

FORMS="$TMP/forms"
cp -r "$ROOT/forms" "$FORMS"
DATA="$TMP/data"
add_staff "$DATA" kai:youth-worker cleo:commissioner || fail "staff accounts"
start_server "$DATA" "$FORMS" --rate-limit 0 || { fail "server starts"; finish; exit 1; }

S="$BASE/s/youth-ballot"
BALLOT="$BASE/staff/ballots/youth-ballot"
check "the demo's home page lists the youth ballot" bash -c "curl -s '$BASE/' | grep -q '<a href=\"/s/youth-ballot\">'"
DB="$DATA/youthvoice.db"
db() { sqlite3 "$DB" "$1"; }
JC="$TMP/cleo.jar"
JY="$TMP/kai.jar"
CC=$(sign_in "$JC" cleo)
CY=$(sign_in "$JY" kai)
audit() { db "SELECT who || '|' || action || '|' || detail FROM audit ORDER BY id DESC LIMIT 1"; }
online() { db "SELECT coalesce(group_concat(option || ':' || rank || '=' || count, ' '), '') FROM (SELECT * FROM ballot_counts ORDER BY option, rank) b"; }

# --- the ballot page, without JavaScript ------------------------------------------------------
req - "$S"
check_eq "the ballot page: 200" "${R% }" "200"
check "a labelled list for the first choice" grep -q '<label for="issues-choice-1">Your first choice</label>' "$B"
check "  ... the second, optional" grep -q '<label for="issues-choice-2">Your second choice <span class="optional">(optional)</span></label>' "$B"
check "  ... the third, named issues.3" grep -q '<select id="issues-choice-3" name="issues.3">' "$B"
check "the three lists sit in the question's fieldset, its title the legend" \
	grep -q '<legend><h2 class="question-title">Which issues should be worked on first?</h2></legend>' "$B"
check "each list offers every issue, none chosen" test "$(grep -c '<option value="mental-health">' "$B")" = 3
check "nothing to drag: no draggable element" no_match -q 'draggable' "$B"
check "the hint says how to rank" grep -q 'Put up to 3 issues in order, a different one for each choice.' "$B"
page=$(wc -c <"$B")
css=$(curl -s "$BASE/static/style.css" | wc -c)
js=$(curl -s "$BASE/static/respond.js" | wc -c)
check "the page with style.css and respond.js weighs under 30 KB ($((page + css + js)) bytes)" \
	test $((page + css + js)) -lt 30720

# --- answering ---------------------------------------------------------------------------------
T=$(fresh_token youth-ballot)
req - -d "_token=$T" -d issues=mental-health -d issues.2=knife-crime -d issues.3=online "$S"
check_eq "three issues in order: 303 to thanks" "$R" "303 $S/thanks"
check_eq "  ... counted per issue and rank" "$(online)" "knife-crime:2=1 mental-health:1=1 online:3=1"
check_eq "  ... each issue's themes counted" \
	"$(db "SELECT group_concat(theme, ' ') FROM (SELECT theme FROM theme_counts WHERE source = 0 ORDER BY theme) t")" \
	"knife-crime mental-health online-safety"
req - -d "_token=$T" -d issues=mental-health -d issues.2=knife-crime -d issues.3=online "$S"
check_eq "  ... sent again with its token: thanks, counted once" "$(online)" "knife-crime:2=1 mental-health:1=1 online:3=1"

T=$(fresh_token youth-ballot)
req - -d "_token=$T" -d issues=bullying -d issues.2=online -d issues.3=bullying "$S"
check_eq "an issue chosen twice: 422" "${R% }" "422"
check "  ... the error summary says so, linking to the first list" \
	grep -q '<li><a href="#issues-choice-1">You chose the same issue more than once – choose a different issue for each choice</a></li>' "$B"
check "  ... beside the question too" grep -q 'id="issues-error"><span class="visually-hidden">Error:</span> You chose the same issue' "$B"
check "  ... the lists marked invalid and described by the error" \
	grep -q '<fieldset class="question" aria-describedby="issues-hint issues-error">' "$B"
check "  ... the choices kept" grep -q '<option value="online" selected>' "$B"
check "  ... the page title starts Error:" grep -q '<title>Error: ' "$B"
check_eq "  ... nothing stored" "$(online)" "knife-crime:2=1 mental-health:1=1 online:3=1"
req - -d "_token=$T" -d issues= -d issues.2=online "$S"
check_eq "a second choice without a first: 422" "${R% }" "422"
check "  ... fill them in order" grep -q 'Fill in your choices in order, starting with your first choice' "$B"
req - -d "_token=$T" -d issues= "$S"
check "no choice at all: choose your first choice" grep -q '>Choose your first choice</a>' "$B"
req - -d "_token=$T" -d _lang=ur -d issues=food -d issues.2=food "$S"
check_eq "in Urdu: 422" "${R% }" "422"
check "  ... the message in Urdu (forms/i18n/ur.json)" grep -q 'آپ نے ایک ہی مسئلہ ایک سے زیادہ بار چنا ہے' "$B"
check "  ... the lists' labels too" grep -q 'آپ کی دوسری پسند' "$B"
req - -d "_token=$T" -d issues=food -d issues.2=nope "$S"
check_eq "an issue not offered: 400" "${R% }" "400"
req - -d "_token=$T" -d issues=food -d issues.2=online -d issues.2=sport "$S"
check_eq "a choice sent twice: 400" "${R% }" "400"
check_eq "  ... nothing stored by any of them" "$(online)" "knife-crime:2=1 mental-health:1=1 online:3=1"
T=$(fresh_token youth-ballot)
req - -d "_token=$T" -d issues=food -d issues.2= -d issues.3= "$S"
check_eq "a first choice alone: 303" "$R" "303 $S/thanks"
check_eq "  ... counted" "$(db "SELECT count FROM ballot_counts WHERE option = 'food'")" "1"

# The export opens them: each rank a column of its own.
"$EXPORT_BIN" --data "$DATA" --passphrase-file "$TEST_PASSPHRASE_FILE" responses --consultation cyp-plan-2027 \
	-o "$TMP/responses.csv" 2>"$TMP/export.err"
check_eq "survey-export responses opens the ballots" "$?" "0"
check "  ... a column per choice" bash -c "head -n 1 '$TMP/responses.csv' | grep -q 'issues.2' && head -n 1 '$TMP/responses.csv' | grep -q 'issues.3'"
check "  ... the ranked ballot's choices in them" grep -q '"Mental health","Tackling knife crime","Staying safe online"' "$TMP/responses.csv"

# --- the builder takes a ballot ------------------------------------------------------------
/usr/bin/python3 - "$ROOT/forms/surveys/youth-ballot.json" "$TMP/club.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d['id'] = 'club-ballot'
d['questions'][0]['rank'] = 2
del d['translations']
json.dump(d, open(sys.argv[2], 'w'))
PY
req "$JC" --data-urlencode "_csrf=$CC" -d form=paste --data-urlencode "definition@$TMP/club.json" "$BASE/staff/surveys"
check_eq "a ranked ballot pasted in the builder: 303 to its editor" "$R" "303 $BASE/staff/surveys/club-ballot?saved=draft"
req "$JC" "$BASE/staff/surveys/club-ballot"
check "  ... its question list names the type" grep -q 'A youth ballot' "$B"
req "$JC" "$BASE/staff/surveys/club-ballot/questions"
check "  ... the add-question form offers the type" grep -q 'id="q-type-ballot"' "$B"
req "$JC" "$BASE/staff/surveys/club-ballot/preview"
check "  ... its preview ranks with two lists" bash -c "grep -q 'name=\"issues.2\"' '$B' && no_match -q 'name=\"issues.3\"' '$B'"
sed 's/"rank": 2, //; s/"id": "club-ballot"/"id": "pick-ballot"/' "$TMP/club.json" >"$TMP/pick.json"
req "$JC" --data-urlencode "_csrf=$CC" -d form=paste --data-urlencode "definition@$TMP/pick.json" "$BASE/staff/surveys"
req "$JC" "$BASE/staff/surveys/pick-ballot/preview"
check "a ballot without rank asks for one issue, with radio buttons" \
	grep -q '<input type="radio" id="issues-mental-health" name="issues" value="mental-health">' "$B"
check "  ... and no lists" no_match -q '<select' "$B"
sed 's/"rank": 2/"rank": 4/' "$TMP/club.json" >"$TMP/club-bad.json"
req "$JC" --data-urlencode "_csrf=$CC" -d form=paste --data-urlencode "definition@$TMP/club-bad.json" "$BASE/staff/surveys"
check_eq "  ... a rank of 4 refused: 422" "${R% }" "422"
check "  ... with forms/' own message" grep -q 'questions\[0\].rank' "$B"

# --- who may open what ---------------------------------------------------------------------------
req - "$BASE/staff/ballots"
check_eq "signed out: sent to sign in" "$R" "303 $BASE/staff/login"
req "$JY" "$BASE/staff"
check "the staff home page links to the ballots" grep -q '<a href="/staff/ballots">Youth ballots' "$B"
req "$JY" "$BASE/staff/ballots"
check_eq "a youth worker lists the ballots" "${R% }" "200"
check "  ... the ballot survey, not the others" grep -q 'href="/staff/ballots/youth-ballot"' "$B"
check "  ... (what-matters has no ballot)" no_match -q 'href="/staff/ballots/what-matters"' "$B"
req "$JY" "$BALLOT"
check_eq "  ... and opens its returns" "${R% }" "200"
check "  ... without the results link" no_match -q '/results"' "$B"
check "  ... or the import" no_match -q 'enctype="multipart/form-data"' "$B"
KEY=$(value_of "$B" _key)
check "  ... the form carries a one-time key" test "${#KEY}" = 32
req "$JY" "$BALLOT/results"
check_eq "a youth worker may not read the results" "${R% }" "403"
req "$JY" "$BASE/staff/ballots/what-matters"
check_eq "a survey without a ballot: 404" "${R% }" "404"
req "$JY" "$BASE/staff/ballots/no-such"
check_eq "no such survey: 404" "${R% }" "404"

# --- paper returns ---------------------------------------------------------------------------------
ret() { # ret JAR CSRF KEY CURL_ARGS...: a return for Northvale Academy, any argument first
	local jar=$1 csrf=$2 key=$3
	shift 3
	req "$jar" --data-urlencode "_csrf=$csrf" -d "_key=$key" "$@" --data-urlencode "setting=Northvale Academy" \
		-d handed_out=120 -d returned=97 -d v-mental-health=40 -d v-food=30 -d v-jobs= "$BALLOT"
}
papers() { db "SELECT coalesce(sum(votes), 0) FROM ballot_return_votes"; }
ret "$JY" "" "$KEY"
check_eq "a return without the form token: 403" "${R% }" "403"
ret "$JY" "$(forged_of "$CY")" "$KEY"
check_eq "  ... with a forged one: 403" "${R% }" "403"
check_eq "  ... nothing stored" "$(db "SELECT count(*) FROM ballot_returns")" "0"
ret "$JY" "$CY" "$KEY"
check_eq "a youth worker enters a return: 303" "$R" "303 $BALLOT?done=saved#r1"
ret "$JY" "$CY" "$KEY"
check_eq "  ... the same form sent again: the same answer" "$R" "303 $BALLOT?done=saved#r1"
check_eq "  ... one return" "$(db "SELECT count(*) FROM ballot_returns")" "1"
check_eq "  ... its votes counted once" "$(papers)" "70"
check_eq "  ... audit-logged once" "$(db "SELECT count(*) FROM audit WHERE action = 'entered a paper ballot return'")" "1"
check "  ... saying what" bash -c "sqlite3 -cmd '.timeout 5000' '$DB' \"SELECT detail FROM audit WHERE action = 'entered a paper ballot return'\" | grep -q 'youth-ballot: return 1, Northvale Academy: 97 of 120 papers returned'"
req "$JY" "$BALLOT?done=saved"
check "the list shows it with its turnout" grep -q '<tr id="r1"><th scope="row">Northvale Academy</th><td class="numeric">120</td><td class="numeric">97</td><td class="numeric">81%</td><td class="numeric">70</td>' "$B"
check "  ... and says it was saved" grep -q 'The return is saved.' "$B"
KEY2=$(value_of "$B" _key)
check "  ... a new form has a new key" test "$KEY2" != "$KEY"
ret "$JY" "$CY" "$KEY2"
check_eq "the same setting from a new form: 422" "${R% }" "422"
check "  ... correct that one instead" grep -q 'Northvale Academy has a return already: correct that one instead' "$B"
check "  ... the refused form keeps its key" grep -q "name=\"_key\" value=\"$KEY2\"" "$B"
req "$JY" --data-urlencode "_csrf=$CY" -d "_key=$KEY2" --data-urlencode "setting=Southbank Youth Club" \
	-d handed_out=20 -d returned=10 -d v-mental-health=8 -d v-food=5 "$BALLOT"
check_eq "votes above the papers returned: 422" "${R% }" "422"
check "  ... saying by how much" grep -q 'The votes add up to 13, more than the 10 papers returned: check them' "$B"
req "$JY" --data-urlencode "_csrf=$CY" -d "_key=$KEY2" --data-urlencode "setting=Southbank Youth Club" \
	-d handed_out=20 -d returned=25 -d v-food=x "$BALLOT"
check_eq "more returned than handed out, a vote not a number: 422" "${R% }" "422"
check "  ... both said, each linked to its field" bash -c "grep -q 'href=\"#r-returned\"' '$B' && grep -q 'href=\"#r-v-food\"' '$B'"
req "$JY" --data-urlencode "_csrf=$CY" -d "_key=$KEY2" -d setting= -d handed_out= "$BALLOT"
check "no name, no papers: both said" bash -c "grep -q 'href=\"#r-setting\"' '$B' && grep -q 'href=\"#r-handed-out\"' '$B'"
check_eq "  ... nothing stored by any of them" "$(db "SELECT count(*) FROM ballot_returns")" "1"
req "$JY" --data-urlencode "_csrf=$CY" -d "_key=$KEY2" --data-urlencode "setting=Southbank Youth Club" \
	-d handed_out=20 -d returned=14 -d v-mental-health=8 -d v-food=5 "$BALLOT"
check_eq "a second setting: 303" "$R" "303 $BALLOT?done=saved#r2"
check_eq "  ... the votes add up" "$(papers)" "83"
req "$JY" "$BALLOT"
check "all settings' turnout" grep -q '<tfoot><tr><th scope="row">All settings</th><td class="numeric">140</td><td class="numeric">111</td><td class="numeric">79%</td><td class="numeric">83</td>' "$B"

# --- corrected until locked -------------------------------------------------------------------------------
req "$JY" "$BALLOT/returns/1"
check_eq "the correction form: 200" "${R% }" "200"
check "  ... filled in" grep -q 'name="v-mental-health"[^>]* value="40"' "$B"
req "$JY" --data-urlencode "_csrf=$CY" --data-urlencode "setting=Northvale Academy" -d handed_out=120 \
	-d returned=97 -d v-mental-health=45 -d v-food=30 "$BALLOT/returns/1"
check_eq "corrected: 303" "$R" "303 $BALLOT?done=saved#r1"
req "$JY" --data-urlencode "_csrf=$CY" --data-urlencode "setting=Northvale Academy" -d handed_out=120 \
	-d returned=97 -d v-mental-health=45 -d v-food=30 "$BALLOT/returns/1"
check_eq "  ... sent twice: replaced, never added" "$(papers)" "88"
check "  ... audit-logged" bash -c "sqlite3 -cmd '.timeout 5000' '$DB' \"SELECT action FROM audit ORDER BY id DESC LIMIT 1\" | grep -q 'corrected a paper ballot return'"
req "$JY" --data-urlencode "_csrf=$CY" --data-urlencode "setting=Southbank Youth Club" -d handed_out=120 \
	-d returned=97 "$BALLOT/returns/1"
check_eq "renamed onto another setting: 422" "${R% }" "422"
req "$JY" -d "_csrf=$CY&locked=1" "$BALLOT/returns/1/lock"
check_eq "a youth worker may not lock" "${R% }" "403"
req "$JC" -d "locked=1" "$BALLOT/returns/1/lock"
check_eq "lock without the form token: 403" "${R% }" "403"
req "$JC" -d "_csrf=$CC&locked=1" "$BALLOT/returns/1/lock"
check_eq "a commissioner locks it: 303" "$R" "303 $BALLOT?done=saved#r1"
check_eq "  ... locked" "$(db "SELECT locked FROM ballot_returns WHERE id = 1")" "1"
check_eq "  ... audit-logged" "$(audit)" "cleo|locked a paper ballot return|youth-ballot: return 1"
req "$JY" "$BALLOT"
check "  ... the list says so, with no correction link" bash -c "grep -q '<td class=\"numeric\">88</td><td>Locked</td>' '$B' || grep -q '<td>Locked</td>' '$B'"
check "  ... (the other is still open)" grep -q 'href="/staff/ballots/youth-ballot/returns/2">Correct' "$B"
req "$JY" "$BALLOT/returns/1"
check_eq "  ... its correction form: 409" "${R% }" "409"
req "$JY" --data-urlencode "_csrf=$CY" --data-urlencode "setting=Northvale Academy" -d handed_out=120 \
	-d returned=97 -d v-mental-health=1 "$BALLOT/returns/1"
check_eq "  ... a correction refused: 409" "${R% }" "409"
check_eq "  ... nothing changed" "$(papers)" "88"
req "$JC" -d "_csrf=$CC&locked=0" "$BALLOT/returns/1/lock"
check_eq "unlocked: 303" "${R%% *}" "303"
check_eq "  ... open again" "$(status_of -b "$JY" "$BALLOT/returns/1")" "200"
req "$JC" -d "_csrf=$CC&locked=1" "$BALLOT/returns/99/lock"
check_eq "no such return: 404" "${R% }" "404"
req "$JC" -d "_csrf=$CC&locked=maybe" "$BALLOT/returns/1/lock"
check_eq "a lock of neither 1 nor 0: 400" "${R% }" "400"

# --- methods ---------------------------------------------------------------------------------------------
req "$JC" -X DELETE "$BALLOT"
check_eq "DELETE a ballot: 405" "${R% }" "405"
check "  ... Allow: GET, HEAD, POST" grep -qi '^Allow: GET, HEAD, POST' "$H"
req "$JC" "$BALLOT/returns/1/lock"
check_eq "GET lock: 405" "${R% }" "405"
req "$JC" "$BALLOT/import"
check_eq "GET import: 405" "${R% }" "405"
req "$JC" -d "_csrf=$CC" "$BALLOT/results"
check_eq "POST results: 405" "${R% }" "405"
req "$JC" "$BALLOT/returns/abc"
check_eq "a return that is not a number: 404" "${R% }" "404"

# --- the ranked results ------------------------------------------------------------------------------------
req "$JC" "$BALLOT/results"
check_eq "a commissioner reads the results" "${R% }" "200"
rows() { # the ranked table's rows as "place|issue|online|paper|imported|total"
	/usr/bin/python3 - "$1" "$2" <<'PY'
import re, sys, html
page = open(sys.argv[1], encoding='utf-8').read()
table = re.search(r'<table class="totals" id="%s".*?</table>' % sys.argv[2], page, re.S).group(0)
for row in re.findall(r'<tr>(.*?)</tr>', table.split('<tbody>')[1], re.S):
    cells = [html.unescape(re.sub(r'<[^>]+>', '', c)) for c in re.findall(r'<t[hd][^>]*>(.*?)</t[hd]>', row, re.S)]
    print('|'.join(cells))
PY
}
first_rows() { rows "$1" ranked | sed -n "1,${2}p"; }
check_eq "first choices, most first, suppressed" "$(first_rows "$B" 3)" \
"1. Mental health|<5|[c]|0|54
2. Healthy food and holiday hunger|<5|[c]|0|36
3. Tackling knife crime|0|0|0|0"
check "the points view says whose votes it counts" grep -q 'Points: online votes only' "$B"
check "  ... and how" grep -q 'A first choice scores 3 points, a second choice 2 and a third choice 1.' "$B"
check "the issues with their themes and priorities" grep -q '<dt>Healthy food and holiday hunger</dt><dd>Healthy food and holiday hunger (priority 1 and 5)</dd>' "$B"
counts=$(rows "$B" ranked | cut -d'|' -f2- | tr '|' '\n')
check "no count of 1 to 4 is printed" no_match -qx '[1-4]' - <<<"$counts"
# Five more online first choices for mental health: the page moves only now.
for i in 1 2 3 4; do
	T=$(fresh_token youth-ballot)
	curl -s -o /dev/null -d "_token=$T" -d issues=mental-health "$S"
done
req "$JC" "$BALLOT/results"
check_eq "4 more votes: the counts shown stay as they were" "$(first_rows "$B" 1)" "1. Mental health|<5|[c]|0|54"
T=$(fresh_token youth-ballot)
curl -s -o /dev/null -d "_token=$T" -d issues=mental-health -d issues.2=food "$S"
req "$JC" "$BALLOT/results"
check_eq "  ... a fifth: they move (6 online first choices)" "$(first_rows "$B" 1 | cut -d'|' -f1,5)" "1. Mental health|59"

# --- the ranked results as files: the page's list, cell for cell ----------------------------------------
cp "$B" "$TMP/results.html"
req "$JY" "$BALLOT/results.csv"
check_eq "a youth worker may not download the results" "${R% }" "403"
req "$JC" -d "_csrf=$CC" "$BALLOT/results.csv"
check_eq "POST results.csv: 405" "${R% }" "405"
check "the results page links its files" bash -c "grep -q 'href=\"/staff/ballots/youth-ballot/results.csv\"' '$TMP/results.html' &&
	grep -q 'href=\"/staff/ballots/youth-ballot/results.json\"' '$TMP/results.html'"
req "$JC" "$BALLOT/results.csv"
check_eq "results.csv: 200" "${R% }" "200"
check "  ... an attachment" grep -qi '^Content-Disposition: attachment; filename="ballot-youth-ballot.csv"' "$H"
cp "$B" "$TMP/ballot.csv"
check_eq "  ... audit-logged" "$(audit)" "cleo|exported a ballot's results|youth-ballot"
check_eq "  ... its header" "$(head -n 1 "$TMP/ballot.csv" | tr -d '\r')" \
	"place,issue_id,issue,themes,online,paper,imported,total,second_choices,third_choices,points"
check "  ... every issue the page's, in its order, each count as the page prints it" /usr/bin/python3 - "$TMP/ballot.csv" \
	<(rows "$TMP/results.html" ranked) <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')))
page = [l.rstrip('\n').split('|') for l in open(sys.argv[2], encoding='utf-8') if l.strip()]
mine = [[(r['place'] + '. ' if r['place'] else '') + r['issue'], r['online'], r['paper'], r['imported'], r['total']] for r in rows]
if len(rows) != 10 or mine != page[:len(mine)] or len(page) < len(mine):
    sys.exit(f'csv {mine}\npage {page}')
PY
check "  ... a place only where the page gives one" /usr/bin/python3 - "$TMP/ballot.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')))
if any(bool(r['place']) != r['total'].isdigit() for r in rows):
    sys.exit('a place beside a hidden total, or none beside a shown one')
PY
/usr/bin/python3 - "$TMP/ballot.csv" >"$TMP/ballot-counts" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')):
    for k in ('online', 'paper', 'imported', 'total', 'second_choices', 'third_choices', 'points'):
        print(r[k])
PY
check "  ... no count of 1 to 4" bash -c "grep -q '<5' '$TMP/ballot-counts' && no_match -qx '[1-4]' '$TMP/ballot-counts'"
req "$JC" "$BALLOT/results.json"
check_eq "results.json: 200" "${R% }" "200"
cp "$B" "$TMP/ballot.json"
check "  ... the CSV's counts, a shown one a number, a hidden one its text" /usr/bin/python3 - "$TMP/ballot.csv" "$TMP/ballot.json" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')))
doc = json.load(open(sys.argv[2], encoding='utf-8'))
bad = []
for r, j in zip(rows, doc['issues']):
    for k in ('online', 'paper', 'imported', 'total', 'second_choices', 'third_choices'):
        v = j[k]
        if (str(v) if isinstance(v, int) else v) != r[k] or (r[k].isdigit() != isinstance(v, int)):
            bad.append((r['issue_id'], k, r[k], v))
    if (str(j['place']) if j['place'] else '') != r['place'] or j['id'] != r['issue_id']:
        bad.append((r['issue_id'], 'place', r['place'], j['place']))
if len(rows) != len(doc['issues']) or doc['rank'] != 3 or doc['survey'] != 'youth-ballot' or bad:
    sys.exit(str(bad))
PY
ex() { "$EXPORT_BIN" --data "$DATA" "$@" </dev/null; }
ex ballot --survey youth-ballot >"$TMP/cli.csv"
check_eq "survey-export ballot --survey: exit 0" "$?" "0"
check "  ... byte for byte the page's CSV (no vote since its snapshot)" cmp -s "$TMP/cli.csv" "$TMP/ballot.csv"
ex ballot --survey youth-ballot --format json >"$TMP/cli.json"
check "  ... its JSON the page's" bash -c "[ \"\$(jq -S . '$TMP/cli.json')\" = \"\$(jq -S . '$TMP/ballot.json')\" ]"
ex ballot --survey youth-ballot --format xlsx -o "$TMP/cli.xlsx"
check "  ... XLSX: the CSV cell for cell" /usr/bin/python3 "$ROOT/tests/http/xlsx_same.py" "$TMP/cli.csv" "$TMP/cli.xlsx"
ex ballot --survey what-matters >/dev/null 2>"$TMP/err"
check_eq "a survey with no ballot question: exit 1" "$?" "1"
check "  ... saying so" grep -q 'no survey "what-matters" with a ballot question' "$TMP/err"
ex ballot >/dev/null 2>&1
check_eq "ballot without --survey: exit 2" "$?" "2"

# --- importing Make Your Mark results --------------------------------------------------------------------
imported() { db "SELECT count(*) || ':' || coalesce(sum(votes), 0) FROM ballot_imports"; }
req "$JY" -F "_csrf=$CY" -F "file=@$ROOT/tests/data/mym-results.csv" "$BALLOT/import"
check_eq "a youth worker may not import" "${R% }" "403"
req "$JC" -F "file=@$ROOT/tests/data/mym-results.csv" "$BALLOT/import"
check_eq "an import without the form token: 403" "${R% }" "403"
check_eq "  ... nothing stored" "$(imported)" "0:0"
req "$JC" -F "_csrf=$CC" -F "file=@$ROOT/tests/data/mym-results.csv;type=text/csv" "$BALLOT/import"
check_eq "a commissioner imports the results file: 303" "$R" "303 $BALLOT?done=imported"
check_eq "  ... ten issues, their votes" "$(imported)" "10:5027"
check_eq "  ... audit-logged" "$(audit)" "cleo|imported Make Your Mark results|youth-ballot: 10 issues, 5027 votes"
req "$JC" "$BALLOT/results"
req "$JC" -F "_csrf=$CC" -F "file=@$ROOT/tests/data/mym-results.csv" "$BALLOT/import"
check_eq "  ... imported again: replaced, counted once" "$(imported)" "10:5027"
req "$JC" "$BALLOT/results"
check_eq "  ... in the ranked list as their own source" "$(first_rows "$B" 2)" \
"1. Mental health|[c]|[c]|1204|1263
2. Tackling knife crime|0|0|873|873"
printf 'Issue,Votes\nMental health,12\nEnding bullying,9\nFree buses,40\n' >"$TMP/bad.csv"
req "$JC" -F "_csrf=$CC" -F "file=@$TMP/bad.csv" "$BALLOT/import"
check_eq "a file with an unknown issue: 422" "${R% }" "422"
check "  ... naming the line" grep -q 'Nothing was imported: line 4: &quot;Free buses&quot; is not an issue of this ballot' "$B"
check_eq "  ... nothing stored: the earlier import stands" "$(imported)" "10:5027"
head -c 17000 /dev/zero | tr '\0' 'a' >"$TMP/big.csv"
req "$JC" -F "_csrf=$CC" -F "file=@$TMP/big.csv" "$BALLOT/import"
check_eq "a file over 16 KB: 413" "${R% }" "413"
check_eq "  ... nothing stored" "$(imported)" "10:5027"

# The command line: the same reader, the same store.
printf 'issue,votes\nMental health,100\n' >"$TMP/small.csv"
out=$("$SERVER_BIN" ballot import --data "$DATA" --forms "$FORMS" --survey youth-ballot --file "$TMP/small.csv" 2>&1)
check_eq "survey-server ballot import: exit 0" "$?" "0"
check_eq "  ... says what it did" "$out" "imported 1 issues, 100 votes, into the ballot of youth-ballot (consultation cyp-plan-2027)"
check_eq "  ... replacing the import before" "$(imported)" "1:100"
err=$("$SERVER_BIN" ballot import --data "$DATA" --forms "$FORMS" --survey youth-ballot --file "$TMP/bad.csv" 2>&1 >/dev/null)
check_eq "  ... a bad file: exit 1" "$?" "1"
check_eq "  ... naming the line" "$err" "survey-server: $TMP/bad.csv: line 4: \"Free buses\" is not an issue of this ballot; nothing was imported"
check_eq "  ... nothing stored" "$(imported)" "1:100"
"$SERVER_BIN" ballot import --data "$DATA" --forms "$FORMS" --survey what-matters --file "$TMP/small.csv" 2>/dev/null
check_eq "  ... a survey without a ballot: exit 1" "$?" "1"
"$SERVER_BIN" ballot import --data "$DATA" --survey youth-ballot 2>/dev/null
check_eq "  ... no --file: exit 2" "$?" "2"
"$SERVER_BIN" ballot export --data "$DATA" 2>/dev/null
check_eq "  ... ballot takes import only: exit 2" "$?" "2"

check "the server stops cleanly" stop_server
finish
