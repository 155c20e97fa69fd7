#!/usr/bin/env bash
# Exports end to end, read back with other parsers (python3's csv and json):
# - a worked example whose counts are known in advance: planned survey
#   responses, focus-group key messages and marketplace taps give exactly
#   the planned themes table, per-priority subtotals and participation;
# - the responses CSV (one row per response, a column per question and per
#   option, RFC 4180, UTF-8, --bom) and JSON, and the breakdowns;
# - formula injection: free text and staff-entered theme names starting
#   with = + - @ tab (or carriage return) come back defused in CSV (and as
#   text, never formulas, in the XLSX spreadsheets, each equal to its CSV);
# - suppression: no published count from 1 to N-1, "<N" for the threshold
#   used, --round N, and the staff page's CSV equal to the CLI's byte for byte;
# - the decrypting commands: wrong passphrase, usage errors;
# - the staff exports over HTTP: roles, CSRF, a wrong passphrase, the report,
#   the streamed responses CSV, the breakdowns JSON; the passphrase is left
#   in no file and no log.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
mkdir -p "$DATA"
SERVER_LOG="$DATA/server.log"   # searched for the passphrase with the rest
PASSPHRASE="export passphrase $(date +%s%N) for tests"
PASS="$TMP/pass"                # outside the data folder, as in real use
printf '%s\n' "$PASSPHRASE" >"$PASS"
"$SERVER_BIN" keygen --data "$DATA" --passphrase-file "$PASS" >/dev/null </dev/null
check "keygen makes the key" test -f "$DATA/keys/active"
printf '%s\n' "$STAFF_PASSWORD" >"$TMP/pw"
"$SERVER_BIN" user add --data "$DATA" --name kai --role youth-worker --password-file "$TMP/pw" >/dev/null </dev/null
"$SERVER_BIN" user add --data "$DATA" --name cleo --role commissioner --password-file "$TMP/pw" >/dev/null </dev/null
start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server starts"; finish; exit 1; }

# --- the plan, and the checks that read the outputs (python3) ------------------
PY="$TMP/exports.py"
cat >"$PY" <<'PYTHON'
import collections, csv, io, json, os, re, sys

ROOT = os.environ['ROOT']
WM = json.load(open(f'{ROOT}/forms/surveys/what-matters.json', encoding='utf-8'))
TAX = json.load(open(f'{ROOT}/forms/taxonomy.json', encoding='utf-8'))
Q = {q['id']: q for q in WM['questions']}
THEMES_OF = {q['id']: {o['id']: o.get('themes', []) for o in q.get('options', [])} for q in WM['questions']}
LABEL = {q['id']: {o['id']: o['label'] for o in q.get('options', [])} for q in WM['questions']}
AGE_LABEL = {'11-13': '11 to 13', '14-15': '14 or 15', '16-17': '16 or 17', '18-21': '18 to 21',
             'prefer-not-to-say': 'Prefer not to say'}   # forms/form_define.c default_age_bands

# The worked example.  28 what-matters responses:
MOST = ['talk'] * 9 + ['mental-health'] * 7 + ['online'] * 6 + ['safe'] * 3 + ['future'] * 2 + ['bullying']
BETTER = [['sport'], ['sport', 'food'], ['sport', 'transport', 'info'], ['food', 'send'], ['transport'],
          ['sport', 'carers'], ['food', 'housing']]
AGES = ['14-15', '16-17', '11-13', '16-17', 'prefer-not-to-say', '18-21']
DISTRICTS = ['northvale', 'eastbrook', 'eastbrook', 'southmere', 'westfield', 'outside', 'northvale', 'eastbrook']
# Free text: (what is sent, what the responses CSV must hold).  The form
# drops carriage returns as it decodes, so "\r=..." arrives as "=...".
TEXTS = {
    0: ('Parks, "safe" ones, please\nand buses later', 'Parks, "safe" ones, please\nand buses later'),
    1: ('میرے علاقے میں محفوظ پارک چاہیے 🚌😀', 'میرے علاقے میں محفوظ پارک چاہیے 🚌😀'),
    2: ('=1+1 more clubs', "'=1+1 more clubs"),
    3: ('+ more youth clubs', "'+ more youth clubs"),
    4: ('- fewer exams', "'- fewer exams"),
    5: ('@ the youth centre', "'@ the youth centre"),
    6: ('\tindented thought', "'\tindented thought"),
    7: ('\r=after a carriage return', "'=after a carriage return"),
    8: ('plain words, nothing "odd" at all', 'plain words, nothing "odd" at all'),
}
RESPONSES = [dict(mi=MOST[i], mb=BETTER[i % len(BETTER)], age=AGES[i % len(AGES)],
                  district=DISTRICTS[i % len(DISTRICTS)], text=TEXTS.get(i)) for i in range(len(MOST))]
# Themes a commissioner adds in the staff pages: (id the server makes, name, priorities).
ADDED = [('1-1-night-buses', '=1+1 Night buses', [3]), ('safe-routes-home', '@Safe routes home', [2, 4])]
# Key messages of one focus group of 9, and their themes.
PARTICIPANTS = 9
MESSAGES = [('We want late youth clubs and someone to talk to', ['someone-to-talk-to', 'sport-activity']),
            ('Worried about feeling low; school meals matter', ['mental-health', 'healthy-food']),
            ('Phones and knives: nobody feels safe', ['online-safety', 'knife-crime']),
            ('=bullying on the bus, every day', ['bullying']),
            ('The last bus goes too early', ['1-1-night-buses'])]
# Marketplace taps: (stall = priority, theme, taps).
TAPS = [(2, 'online-safety', 7), (2, 'someone-to-talk-to', 3), (5, 'someone-to-talk-to', 6),
        (5, 'sport-activity', 2), (3, 'transport', 5), (1, 'healthy-food', 1), (3, '1-1-night-buses', 2)]
SOURCES = ['survey', 'focus_group', 'marketplace', 'total']
COLUMNS = SOURCES + ['free_text']   # free_text: answers coded in the analysis, none here
DANGER = '=+-@\t\r'


def defused(s):
    return "'" + s if s and s[0] in DANGER else s


def raised(r):
    s = set(THEMES_OF['most-important'][r['mi']])
    for o in r['mb']:
        s |= set(THEMES_OF['make-better'][o])
    return s


def expected():
    themes = [(t['id'], t['name'], t['priorities']) for t in TAX['themes']] + ADDED
    rows, subs = {}, {}
    for p in TAX['priorities']:
        n = p['number']
        for tid, name, ps in themes:
            if n in ps:
                c = [sum(tid in raised(r) for r in RESPONSES), sum(tid in tags for _, tags in MESSAGES),
                     sum(k for pp, t, k in TAPS if pp == n and t == tid)]
                rows[(n, name)] = dict(zip(SOURCES, c + [sum(c)]), free_text=0, priority=p['name'])
        ids = {tid for tid, _, ps in themes if n in ps}
        c = [sum(bool(raised(r) & ids) for r in RESPONSES), sum(bool(set(tags) & ids) for _, tags in MESSAGES),
             sum(k for pp, _, k in TAPS if pp == n)]
        subs[n] = dict(zip(SOURCES, c + [sum(c)]), free_text=0, priority=p['name'])
    # The demo's three surveys: the plan answers what-matters only.
    took = dict(surveys=[dict(survey='what-matters', responses=len(RESPONSES)), dict(survey='your-area', responses=0),
                         dict(survey='youth-ballot', responses=0)],
                responses=len(RESPONSES), focus_groups=1, participants=PARTICIPANTS,
                messages=len(MESSAGES), events=1, tokens=sum(k for *_, k in TAPS), coded_answers=0)
    return rows, subs, took


def say(*a):
    print(*a, file=sys.stderr)


def plan(out):
    os.makedirs(out, exist_ok=True)
    for i, r in enumerate(RESPONSES):
        args = ['-d', f'most-important={r["mi"]}']
        for o in r['mb']:
            args += ['-d', f'make-better[]={o}']
        if r['text']:
            args += ['--data-urlencode', f'tell-us={r["text"][0]}']
        args += ['-d', f'age={r["age"]}', '-d', f'district={r["district"]}']
        with open(f'{out}/resp-{i:03d}', 'w', encoding='utf-8') as f:
            f.write(''.join(a + '\0' for a in args))
    with open(f'{out}/themes', 'w', encoding='utf-8') as f:
        for tid, name, ps in ADDED:
            f.write(f'{tid}\t{name}\t{" ".join(map(str, ps))}\n')
    with open(f'{out}/messages', 'w', encoding='utf-8') as f:
        for text, tags in MESSAGES:
            f.write(f'{" ".join(tags)}\t{text}\n')
    with open(f'{out}/taps', 'w', encoding='utf-8') as f:
        for p, t, k in TAPS:
            f.write(f'{p} {t} {k}\n')


def table(path, part):
    """The themes JSON (--min-cell 0) against the plan: rows, priorities or took_part."""
    d = json.load(open(path, encoding='utf-8'))
    rows, subs, took = expected()
    bad = []
    if part == 'rows':
        got = {(r['priority_number'], r['theme']): r for r in d['rows']}
        if len(got) != len(d['rows']):
            bad.append('a (priority, theme) row appears twice')
        if set(got) != set(rows):
            bad.append(f'rows differ: extra {sorted(set(got) - set(rows))}, missing {sorted(set(rows) - set(got))}')
        for k in sorted(set(got) & set(rows)):
            g = {c: got[k][c] for c in COLUMNS + ['priority']}
            if g != rows[k]:
                bad.append(f'{k}: got {g}, want {rows[k]}')
    elif part == 'priorities':
        got = {p['priority_number']: {c: p[c] for c in COLUMNS + ['priority']} for p in d['priorities']}
        if got != subs:
            bad.append(f'got {got}, want {subs}')
    else:
        if d['took_part'] != took:
            bad.append(f'got {d["took_part"]}, want {took}')
    for b in bad:
        say(b)
    return not bad


def rounded(v, n):
    return (v + n // 2) // n * n if n > 1 else v


class Verdicts:
    """Checks each published count against its true value."""
    def __init__(self, n, rnd):
        self.n, self.rnd, self.bad, self.seen = n, rnd, [], {'shown': 0, 'small': 0, 'hidden': 0}

    def cell(self, where, v, p, known=False):
        """known: published exactly elsewhere, so shown: focus-group counts (the
        report lists the key messages) and marketplace counts (the big screen)."""
        n = self.n
        if v == 0 and n and p == '[x]':
            ok = True   # withheld: the answers of a group of fewer than n
            self.seen['hidden'] += 1
        elif n == 0 or v == 0 or known:
            # a true 0 is 0; below the rounding base a count is left as it is
            ok = p == (v if v < self.rnd else rounded(v, self.rnd))
            self.seen['shown'] += 1
        elif v < n:
            # "<N", or hidden ("[c]") or withheld ("[x]") to protect it
            ok = p in (f'<{n}', '[c]', '[x]')
            self.seen['small'] += 1
        elif isinstance(p, int):
            ok = p == rounded(v, self.rnd) and p >= n and (self.rnd <= 1 or p % self.rnd == 0)
            self.seen['shown'] += 1
        else:
            ok = p in ('[c]', '[x]')
            self.seen['hidden'] += 1
        if not ok:
            self.bad.append(f'{where}: true {v}, published {p!r}')

    def leak(self, where, total, parts, true):
        """A shown total and all its parts but one shown: that one is worked
        out.  A true 0 may be (disclosure.h: no young person is behind it)."""
        hidden = [k for k, p in enumerate(parts) if not isinstance(p, int)]
        if isinstance(total, int) and len(hidden) == 1 and 0 < true[hidden[0]] < self.n:
            self.bad.append(f'{where}: the "<{self.n}" standing for {true[hidden[0]]} is the total minus the rest')

    def done(self, want_small=True):
        if self.n and want_small and not self.seen['small']:
            self.bad.append('no cell was suppressed at all (the check tests nothing)')
        if not self.seen['shown']:
            self.bad.append('no cell was shown at all')
        for b in self.bad[:20]:
            say(b)
        return not self.bad


def num(s):
    return int(s) if re.fullmatch(r'[0-9]+', s) else s


def themes_suppressed(raw, pub, n, rnd, part):
    """part "table": rows and per-priority subtotals; "took": participation."""
    raw = json.load(open(raw, encoding='utf-8'))
    pub = json.load(open(pub, encoding='utf-8'))
    v = Verdicts(int(n), int(rnd))
    if pub['min_cell'] != int(n):
        v.bad.append(f'min_cell says {pub["min_cell"]}')
    if part == 'took':
        for k in ('responses', 'participants', 'messages', 'tokens', 'coded_answers'):
            v.cell(f'took_part {k}', raw['took_part'][k], pub['took_part'][k], known=k in ('messages', 'tokens'))
        for k in ('focus_groups', 'events'):   # not people: published as they are
            if pub['took_part'][k] != raw['took_part'][k]:
                v.bad.append(f'took_part {k} changed')
        return v.done(want_small=False)
    if len(raw['rows']) != len(pub['rows']) or len(raw['priorities']) != len(pub['priorities']):
        v.bad.append('the published table has other rows')
    for a, b in zip(raw['rows'], pub['rows']):
        where = (a['priority_number'], a['theme'])
        if (b['priority_number'], b['theme']) != where:
            v.bad.append(f'row {where} published as {(b["priority_number"], b["theme"])}')
        for c in COLUMNS:
            v.cell(f'{where} {c}', a[c], b[c], known=c in ('focus_group', 'marketplace'))
        if v.n and v.rnd <= 1:
            v.leak(f'{where}', b['total'], [b[c] for c in SOURCES[:3]], [a[c] for c in SOURCES[:3]])
    for a, b in zip(raw['priorities'], pub['priorities']):
        for c in COLUMNS:
            v.cell(f'priority {a["priority_number"]} {c}', a[c], b[c], known=c in ('focus_group', 'marketplace'))
    return v.done()


def themes_csv(path, pub):
    """The themes CSV cell for cell against the JSON of the same export."""
    with open(path, encoding='utf-8', newline='') as f:
        rows = list(csv.reader(f, strict=True))
    d = json.load(open(pub, encoding='utf-8'))
    bad = []
    head = ['priority_number', 'priority', 'theme'] + COLUMNS
    if rows[0] != head:
        bad.append(f'header {rows[0]}')
    if len(rows) - 1 != len(d['rows']):
        bad.append(f'{len(rows) - 1} CSV rows, {len(d["rows"])} JSON rows')
    for r, j in zip(rows[1:], d['rows']):
        want = [str(j['priority_number']), defused(j['priority']), defused(j['theme'])] + [str(j[c]) for c in COLUMNS]
        if r != want:
            bad.append(f'CSV {r} != JSON {want}')
    for b in bad[:20]:
        say(b)
    return not bad


def read_csv(path):
    with open(path, encoding='utf-8-sig', newline='') as f:
        return list(csv.reader(f, strict=True))


def responses_csv(path):
    rows = read_csv(path)
    head, body = rows[0], rows[1:]
    bad = []
    cols = []
    for q in WM['questions']:
        cols += [f'{q["id"]}:{o["id"]}' for o in q['options']] if q['type'] == 'multiple' else [q['id']]
    if head[:3] != ['response_id', 'survey', 'day']:
        bad.append(f'header starts {head[:3]}')
    at = head.index(cols[0]) if cols[0] in head else -1
    if at < 0 or head[at:at + len(cols)] != cols:
        bad.append(f'no columns {cols} in {head}')
    if 'more-of:sport' not in head:
        bad.append('the other survey\'s multiple-choice question has no per-option columns')
    if len(body) != len(RESPONSES):
        bad.append(f'{len(body)} rows for {len(RESPONSES)} responses')
    # Response ids are random (no order of arrival): each row must be one
    # planned response, each planned response exactly one row.
    def planned(want):
        exp = {'survey': 'what-matters', 'most-important': LABEL['most-important'][want['mi']],
               'tell-us': want['text'][1] if want['text'] else '', 'age': AGE_LABEL[want['age']],
               'district': LABEL['district'][want['district']]}
        for o in Q['make-better']['options']:
            exp[f'make-better:{o["id"]}'] = '1' if o['id'] in want['mb'] else '0'
        for k in [h for h in head if h.startswith('more-of')]:
            exp[k] = ''   # a question of another survey: unanswered
        return tuple(sorted(exp.items()))
    left = collections.Counter(planned(w) for w in RESPONSES)
    keys = [k for k, _ in planned(RESPONSES[0])] if RESPONSES else []
    for r in body:
        if len(r) != len(head):
            bad.append(f'row {r[0]} has {len(r)} cells for {len(head)} columns')
            continue
        c = dict(zip(head, r))
        got = tuple((k, c.get(k)) for k in keys)
        if left[got] > 0:
            left[got] -= 1
        else:
            bad.append(f'response {r[0]} is none of the planned ones left: {got}')
        if not re.fullmatch(r'\d{4}-\d\d-\d\d', c['day']):
            bad.append(f'response {r[0]} day {c["day"]!r}')
        for k, x in c.items():
            if x and x[0] in DANGER:
                bad.append(f'response {r[0]} {k} starts with {x[0]!r}')
    for b in bad[:20]:
        say(b)
    return not bad


def responses_json(path):
    d = json.load(open(path, encoding='utf-8'))
    bad = []
    if len(d) != len(RESPONSES):
        bad.append(f'{len(d)} objects for {len(RESPONSES)} responses')
    # Ids are random: match each object to a planned response, each once.
    left = collections.Counter(repr(('what-matters', want['mi'], sorted(want['mb']),
                               want['text'][0].replace('\r', '') if want['text'] else '', want['age'],
                               want['district'])) for want in RESPONSES)
    for o in d:
        a = o['answers']
        got = repr((o['survey'], a.get('most-important'), sorted(a.get('make-better', [])),
                    a.get('tell-us', ''), a.get('age'), a.get('district')))
        if left[got] > 0:
            left[got] -= 1
        else:
            bad.append(f'response {o["id"]} is none of the planned ones left: {got}')
    for b in bad[:20]:
        say(b)
    return not bad


def same_rows(a, b):
    ra, rb = read_csv(a), read_csv(b)
    if ra[0] != rb[0]:
        say(f'headers differ: {ra[0]} / {rb[0]}')
        return False
    if sorted(ra[1:]) != sorted(rb[1:]) or len(ra) < 2:
        say(f'rows differ ({len(ra) - 1} / {len(rb) - 1})')
        return False
    return True


def same_json(a, b):
    ja, jb = json.load(open(a, encoding='utf-8')), json.load(open(b, encoding='utf-8'))
    if ja != jb:
        say('the JSON documents differ')
        return False
    return True


def breakdowns_exact(path):
    """The breakdowns JSON (--min-cell 0): each choice counted as planned."""
    d = json.load(open(path, encoding='utf-8'))
    bad = []
    if d['responses'] != len(RESPONSES):
        bad.append(f'responses {d["responses"]}')
    qs = {q['id']: q for q in d['questions']}
    for qid in ('most-important', 'make-better'):
        q = qs[qid]
        if q['answered'] != len(RESPONSES):
            bad.append(f'{qid} answered {q["answered"]}')
        for o in q['options']:
            if qid == 'most-important':
                chose = [r for r in RESPONSES if r['mi'] == o['id']]
            else:
                chose = [r for r in RESPONSES if o['id'] in r['mb']]
            if o['count'] != len(chose):
                bad.append(f'{qid}:{o["id"]} count {o["count"]}, want {len(chose)}')
            for by, key in (('by_age_band', 'age'), ('by_district', 'district')):
                for g, n in o[by].items():
                    w = sum(r[key] == g for r in chose)
                    if n != w:
                        bad.append(f'{qid}:{o["id"]} {by} {g}: {n}, want {w}')
    for b in bad[:20]:
        say(b)
    return not bad


def breakdowns_suppressed(raw, pub, n):
    raw = json.load(open(raw, encoding='utf-8'))
    pub = json.load(open(pub, encoding='utf-8'))
    v = Verdicts(int(n), 0)
    v.cell('responses', raw['responses'], pub['responses'])
    if len(raw['questions']) != len(pub['questions']):
        v.bad.append('other questions')
    for qa, qb in zip(raw['questions'], pub['questions']):
        v.cell(f'{qa["id"]} answered', qa['answered'], qb['answered'])
        for oa, ob in zip(qa['options'], qb['options']):
            v.cell(f'{qa["id"]}:{oa["id"]}', oa['count'], ob['count'])
            for by in ('by_age_band', 'by_district'):
                for g in oa.get(by, {}):
                    v.cell(f'{qa["id"]}:{oa["id"]} {by} {g}', oa[by][g], ob.get(by, {}).get(g))
        if qa['type'] == 'single':
            v.leak(f'{qa["id"]} answered', qb['answered'], [o['count'] for o in qb['options']],
                   [o['count'] for o in qa['options']])
    return v.done()


def breakdowns_csv(raw, pub, n, rnd):
    ra, rb = read_csv(raw), read_csv(pub)
    v = Verdicts(int(n), int(rnd))
    if rb[0] != ['by', 'group', 'question_id', 'question', 'option_id', 'option', 'count']:
        v.bad.append(f'header {rb[0]}')
    if len(ra) != len(rb):
        v.bad.append(f'{len(ra)} and {len(rb)} lines')
    for a, b in zip(ra[1:], rb[1:]):
        if a[:6] != b[:6]:
            v.bad.append(f'line {a[:6]} published as {b[:6]}')
        v.cell(' / '.join(a[:3] + a[4:5]), int(a[6]), num(b[6]))
    return v.done()


def csv_numbers(path, n, first, known=''):
    """No count from 1 to n-1 in a CSV's count columns (from column first on),
    but in the columns known, comma-separated (focus-group and marketplace
    counts, published exactly by the report's list and the big screen)."""
    rows = read_csv(path)
    bad = [r for r in rows[1:] for i, x in enumerate(r) if i >= int(first) and
           (not re.fullmatch(r'[0-9]+|<[0-9]+|\[c\]|\[x\]', x) or
            (x.isdigit() and 0 < int(x) < int(n) and str(i) not in known.split(',')))]
    for r in bad[:10]:
        say(f'a small number shown: {r}')
    return not bad


def count(_=None):
    print(len(RESPONSES))
    return True


def taps(_=None):
    print(sum(k for *_, k in TAPS))
    return True


if __name__ == '__main__':
    sys.exit(0 if globals()[sys.argv[1].replace('-', '_')](*sys.argv[2:]) is not False else 1)
PYTHON
export ROOT
PYTHON=$(/usr/bin/python3 -c 'import sys; print(sys.executable)')   # past any version-manager shim: quicker
py() { "$PYTHON" "$PY" "$@"; }
PLAN="$TMP/plan"
py plan "$PLAN"
# cpost JAR URL CURL_ARGS...: one staff request; prints "status redirect", body in $TMP/body.
cpost() { curl -s -o "$TMP/body" -w '%{http_code} %{redirect_url}' --max-time 60 -b "$1" "${@:3}" "$2"; }
ex() { "$EXPORT_BIN" --data "$DATA" "$@" </dev/null; }

# --- the worked example: responses, themes, a focus group ---------------------------
stored=0
for f in "$PLAN"/resp-*; do
	mapfile -d '' args <"$f"
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 -d "_token=$(fresh_token what-matters)" \
		"${args[@]}" "$BASE/s/what-matters")
	[ "$code" = 303 ] && stored=$((stored + 1))
done
check_eq "every planned response is stored (303)" "$stored" "$(py count)"

JC="$TMP/cleo.jar"
CC=$(sign_in "$JC" cleo)
check "the commissioner signs in" test -n "$CC"
added=0
while IFS=$'\t' read -r tid name prios; do
	pargs=()
	for p in $prios; do pargs+=(-d "priorities[]=$p"); done
	r=$(cpost "$JC" "$BASE/staff/consultations/cyp-plan-2027/themes" --data-urlencode "_csrf=$CC" -d action=add \
		--data-urlencode "name=$name" "${pargs[@]}")
	[ "$r" = "303 $BASE/staff/consultations/cyp-plan-2027/themes" ] && added=$((added + 1))
	check "the added theme '$name' has the id $tid" \
		grep -qF "<option value=\"$tid\">$name</option>" <(curl -s -b "$JC" "$BASE/staff/consultations/cyp-plan-2027/themes")
done <"$PLAN/themes"
check_eq "a commissioner adds two themes whose names start with = and @" "$added" "2"

JY="$TMP/kai.jar"
CY=$(sign_in "$JY" kai)
check_eq "a youth worker adds a focus group of 9" \
	"$(cpost "$JY" "$BASE/staff/groups" -d "_csrf=$CY&consultation=cyp-plan-2027&day=2026-11-20&district=Northvale&participants=9&age_from=12&age_to=15")" \
	"303 $BASE/staff/groups/1"
msgs=0
while IFS=$'\t' read -r tags text; do
	targs=()
	for t in $tags; do targs+=(-d "themes[]=$t"); done
	r=$(cpost "$JY" "$BASE/staff/groups/1/messages" --data-urlencode "_csrf=$CY" --data-urlencode "text=$text" "${targs[@]}")
	[ "$r" = "303 $BASE/staff/groups/1" ] && msgs=$((msgs + 1))
done <"$PLAN/messages"
check_eq "  ... with five key messages" "$msgs" "$(wc -l <"$PLAN/messages")"

# --- the decrypting exports ------------------------------------------------------
# These run before the marketplace taps: suppressing the breakdowns jointly
# with a themes table whose marketplace column has counts takes several
# times longer (the linear programs of disclosure.c), and this suite must
# stay quick, also under ASan.
ex --passphrase-file "$PASS" responses -o "$TMP/responses.csv" 2>"$TMP/responses.err"
check_eq "responses -o FILE exits 0" "$?" "0"
check "  ... says how many it wrote" grep -q "^survey-export: $(py count) response(s) written" "$TMP/responses.err"
check "  ... only its owner can read the file" test "$(stat -c %a "$TMP/responses.csv")" = 600
check "the responses CSV (python csv): a row per response, a column per question and per option, each as planned" \
	py responses-csv "$TMP/responses.csv"
check "  ... no byte-order mark without --bom" test "$(head -c 3 "$TMP/responses.csv" | od -An -tx1 | tr -d ' \n')" != efbbbf
check "  ... the Urdu and emoji text is there as UTF-8 bytes" grep -qF 'میرے علاقے میں محفوظ پارک چاہیے 🚌😀' "$TMP/responses.csv"
check "  ... quotes are doubled inside a quoted cell" grep -qF '"Parks, ""safe"" ones, please' "$TMP/responses.csv"
check "  ... lines end CRLF, a newline inside a cell stays LF" \
	"$PYTHON" -c "import sys; b=open(sys.argv[1],'rb').read(); sys.exit(not (b.endswith(b'\r\n') and b'please\nand buses later' in b))" "$TMP/responses.csv"
ex --passphrase-file "$PASS" responses --bom -o "$TMP/responses-bom.csv" 2>/dev/null
check_eq "responses --bom exits 0" "$?" "0"
check_eq "  ... the file starts EF BB BF" "$(head -c 3 "$TMP/responses-bom.csv" | od -An -tx1 | tr -d ' \n')" "efbbbf"
check "  ... and python's utf-8-sig reads the same header and rows" py same-rows "$TMP/responses-bom.csv" "$TMP/responses.csv"
check "  ... which are the planned ones" py responses-csv "$TMP/responses-bom.csv"
# Spreadsheets: read back with Debian's python3-openpyxl (/usr/bin/python3,
# past any version manager), each equal to its CSV cell for cell.
xlsx_same() { /usr/bin/python3 "$ROOT/tests/http/xlsx_same.py" "$@"; }
ex --passphrase-file "$PASS" responses --format xlsx -o "$TMP/responses.xlsx" 2>"$TMP/responses-xlsx.err"
check_eq "responses --format xlsx exits 0" "$?" "0"
check "  ... says how many it wrote" grep -q "^survey-export: $(py count) response(s) written" "$TMP/responses-xlsx.err"
check "  ... only its owner can read the file" test "$(stat -c %a "$TMP/responses.xlsx")" = 600
check "  ... a zip (an .xlsx)" bash -c "head -c 2 '$TMP/responses.xlsx' | grep -q PK"
check "  ... the responses CSV cell for cell (openpyxl), no formula" xlsx_same "$TMP/responses.csv" "$TMP/responses.xlsx"
check "  ... text starting = stays text, defused as in the CSV" /usr/bin/python3 -c "
import openpyxl, sys
cells = [c for r in openpyxl.load_workbook(sys.argv[1]).active.iter_rows() for c in r]
hit = [c for c in cells if c.value == \"'=1+1 more clubs\"]
sys.exit(not (hit and all(c.data_type == 's' for c in hit)))" "$TMP/responses.xlsx"
check "  ... and no partial file is left beside it" bash -c "ls -A '$TMP' | no_match -q 'partial' -"
ex --passphrase-file "$PASS" responses --format json -o "$TMP/responses.json" 2>/dev/null
check_eq "responses --format json exits 0" "$?" "0"
check "  ... python's json reads every planned answer (as sent, not defused)" py responses-json "$TMP/responses.json"

ex --passphrase-file "$PASS" breakdowns --min-cell 0 --format json -o "$TMP/bd-raw.json" 2>/dev/null
check_eq "breakdowns --min-cell 0 --format json exits 0" "$?" "0"
check "  ... every choice counted as planned, overall, by age band and by district" py breakdowns-exact "$TMP/bd-raw.json"
ex --passphrase-file "$PASS" breakdowns --min-cell 0 -o "$TMP/bd-raw.csv" 2>/dev/null
check_eq "breakdowns --min-cell 0 (CSV) exits 0" "$?" "0"
check "  ... python's csv reads it, every line with 7 cells" \
	"$PYTHON" -c "import csv,sys; r=list(csv.reader(open(sys.argv[1],encoding='utf-8',newline=''),strict=True)); sys.exit(not (len(r)>50 and all(len(x)==7 for x in r)))" "$TMP/bd-raw.csv"
check_eq "  ... (all, most-important, talk) is 9" \
	"$("$PYTHON" -c "import csv,sys; print([r[6] for r in csv.reader(open(sys.argv[1],encoding='utf-8',newline='')) if r[0]=='all' and r[2]=='most-important' and r[4]=='talk'])" "$TMP/bd-raw.csv")" "['9']"
ex --passphrase-file "$PASS" breakdowns --format json -o "$TMP/bd-pub.json" 2>/dev/null
check_eq "breakdowns --format json exits 0" "$?" "0"
check "  ... every count from 1 to 4 is \"<5\", [c] or [x], 0 is 0, others true or [c]" py breakdowns-suppressed "$TMP/bd-raw.json" "$TMP/bd-pub.json" 5
ex --passphrase-file "$PASS" breakdowns -o "$TMP/bd-pub.csv" 2>/dev/null
check_eq "breakdowns (CSV) exits 0" "$?" "0"
check "  ... line for line the raw one, suppressed" py breakdowns-csv "$TMP/bd-raw.csv" "$TMP/bd-pub.csv" 5 0
check "  ... no count from 1 to 4" py csv-numbers "$TMP/bd-pub.csv" 5 6
ex --passphrase-file "$PASS" breakdowns --format xlsx -o "$TMP/bd-pub.xlsx" 2>/dev/null
check_eq "breakdowns --format xlsx exits 0" "$?" "0"
check "  ... the breakdowns CSV cell for cell: the same suppression and labels" xlsx_same "$TMP/bd-pub.csv" "$TMP/bd-pub.xlsx"

printf 'not the passphrase\n' >"$TMP/wrong"
for cmd in responses report breakdowns; do
	ex --passphrase-file "$TMP/wrong" $cmd -o "$TMP/wrong-$cmd.out" 2>"$TMP/wrong-$cmd.err"
	check_eq "$cmd with a wrong passphrase exits 1" "$?" "1"
	check_eq "  ... with a one-line message" "$(wc -l <"$TMP/wrong-$cmd.err")" "1"
	check "  ... saying so" grep -q 'wrong passphrase' "$TMP/wrong-$cmd.err"
	check "  ... and no output file" bash -c "! ls '$TMP'/wrong-$cmd.out* 2>/dev/null"
done
ex --passphrase-file "$PASS" report -o "$TMP/report.html" 2>/dev/null
check_eq "report with the right passphrase exits 0" "$?" "0"
check "  ... an HTML page with the consultation title" grep -qF "Plan 2027: what matters to you</h1>" "$TMP/report.html"
check "  ... and a key message starting with =, as text" grep -qF '=bullying on the bus, every day' "$TMP/report.html"
usage() { # usage DESCRIPTION ARGS...
	local what=$1
	shift
	ex "$@" >/dev/null 2>"$TMP/usage.err"
	check_eq "$what exits 2" "$?" "2"
	check "  ... saying what was wrong" grep -q '^survey-export: ' "$TMP/usage.err"
}
usage "report --format csv" --passphrase-file "$PASS" report --format csv
usage "themes --format xml" themes --format xml
usage "themes --format xlsx to standard output" themes --format xlsx
usage "themes --min-cell -1" themes --min-cell -1
usage "themes --round 0" themes --round 0
usage "responses with no passphrase file and no terminal" responses
usage "an unknown command" tables

# The same from the staff pages.
check_eq "a youth worker gets 403 on /staff/export" "$(cpost "$JY" "$BASE/staff/export")" "403 "
check "  ... saying who may" grep -q 'Only a commissioner or an admin can do this' "$TMP/body"
check_eq "  ... and on POST /staff/export/decrypted" "$(cpost "$JY" "$BASE/staff/export/decrypted" --data-urlencode "_csrf=$CY" \
	-d consultation=cyp-plan-2027 -d kind=responses-csv --data-urlencode "passphrase=$PASSPHRASE")" "403 "
check "  ... which gives no answer" bash -c "no_match -q 'response_id' '$TMP/body'"
check_eq "a commissioner gets /staff/export" "$(cpost "$JC" "$BASE/staff/export")" "200 "
check "  ... with the passphrase form" grep -q '<form method="post" action="/staff/export/decrypted"' "$TMP/body"
# decrypted KIND PASSPHRASE [CURL ARGS...]: headers in $TMP/dec.h, body in $TMP/dec.body; prints the status.
decrypted() {
	curl -s -D "$TMP/dec.h" -o "$TMP/dec.body" -w '%{http_code}' --max-time 300 -b "$JC" \
		-d consultation=cyp-plan-2027 -d "kind=$1" --data-urlencode "passphrase=$2" "${@:3}" "$BASE/staff/export/decrypted"
}
check_eq "a wrong passphrase is 422" "$(decrypted report "not the passphrase" --data-urlencode "_csrf=$CC")" "422"
check "  ... the page says the passphrase does not open the key" grep -q 'That passphrase does not open the key' "$TMP/dec.body"
check "  ... in an error summary" grep -q 'class="error-summary"' "$TMP/dec.body"
check "  ... and does not show the passphrase typed" bash -c "no_match -q 'not the passphrase' '$TMP/dec.body'"
check_eq "without _csrf: 403" "$(decrypted report "$PASSPHRASE")" "403"
check_eq "with a wrong _csrf: 403" "$(decrypted report "$PASSPHRASE" -d "_csrf=$(printf '%064d' 0)")" "403"
check_eq "the report: 200" "$(decrypted report "$PASSPHRASE" --data-urlencode "_csrf=$CC")" "200"
check "  ... text/html" grep -qi '^Content-Type: text/html' "$TMP/dec.h"
check "  ... an attachment" grep -qi '^Content-Disposition: attachment; filename="report-cyp-plan-2027.html"' "$TMP/dec.h"
check "  ... with the consultation title" grep -qF "Plan 2027: what matters to you</h1>" "$TMP/dec.body"
check_eq "the responses CSV with bom=1: 200" "$(decrypted responses-csv "$PASSPHRASE" --data-urlencode "_csrf=$CC" -d bom=1)" "200"
check "  ... streamed (chunked)" grep -qi '^Transfer-Encoding: chunked' "$TMP/dec.h"
check "  ... as text/csv" grep -qi '^Content-Type: text/csv' "$TMP/dec.h"
check_eq "  ... starting EF BB BF" "$(head -c 3 "$TMP/dec.body" | od -An -tx1 | tr -d ' \n')" "efbbbf"
check "  ... python's csv reads the command line's rows" py same-rows "$TMP/dec.body" "$TMP/responses.csv"
check "the exports page offers the breakdowns as a spreadsheet" grep -q 'value="breakdowns-xlsx"' "$TMP/body"
check "  ... and the themes table" grep -q 'href="/staff/export/themes.xlsx?consultation=cyp-plan-2027"' "$TMP/body"
check_eq "the breakdowns spreadsheet: 200" "$(decrypted breakdowns-xlsx "$PASSPHRASE" --data-urlencode "_csrf=$CC")" "200"
check "  ... as an .xlsx attachment" grep -qi '^Content-Disposition: attachment; filename="breakdowns-cyp-plan-2027.xlsx"' "$TMP/dec.h"
check "  ... of the spreadsheet type" grep -qi '^Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' "$TMP/dec.h"
cp "$TMP/dec.body" "$TMP/dec.xlsx"   # openpyxl goes by the name's ending
check "  ... survey-export breakdowns's CSV cell for cell" xlsx_same "$TMP/bd-pub.csv" "$TMP/dec.xlsx"
check_eq "the breakdowns JSON: 200" "$(decrypted breakdowns-json "$PASSPHRASE" --data-urlencode "_csrf=$CC")" "200"
check "  ... valid JSON, equal to survey-export breakdowns --format json" py same-json "$TMP/dec.body" "$TMP/bd-pub.json"
check_eq "the server still answers after the decrypted exports" "$(status_of "$BASE/healthz")" "200"
check "  ... and its log has no sanitizer report" bash -c "no_match -q 'Sanitizer' '$SERVER_LOG'"
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
	# Show why, keep the log where the passphrase search below looks, and go on.
	grep -m 1 -A 14 'ERROR: .*Sanitizer' "$SERVER_LOG" | sed 's/^/# /'
	cp "$SERVER_LOG" "$DATA/server-crashed.log"
	SERVER_PID=
	start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "the server restarts"; finish; exit 1; }
fi

# --- the marketplace, then the themes table -----------------------------------------
r=$(cpost "$JY" "$BASE/staff/events" --data-urlencode "_csrf=$CY" -d "name=Export fair" -d day=2026-11-22 -d consultation=cyp-plan-2027)
EV=$(echo "$r" | sed -n "s|^303 $BASE/staff/events/\([0-9][0-9]*\)\$|\1|p")
check "a marketplace event starts" test -n "$EV"
tapped=0
while read -r p theme n; do
	for i in $(seq 1 "$n"); do
		r=$(cpost "$JY" "$BASE/staff/events/${EV:-0}/tally" -H 'Accept: application/json' \
			-d "_csrf=$CY&priority=$p&theme=$theme&delta=1&client_id=tap-$p-$theme-$i")
		[ "$r" = "200 " ] && grep -q "\"count\":$i,\"replayed\":false" "$TMP/body" && tapped=$((tapped + 1))
	done
done <"$PLAN/taps"
check_eq "every planned tap is counted" "$tapped" "$(py taps)"

ex themes --min-cell 0 --format json >"$TMP/raw.json"
check_eq "themes --min-cell 0 --format json exits 0" "$?" "0"
check "the themes table is exactly the planned counts, row by row (0 elsewhere)" py table "$TMP/raw.json" rows
check "the per-priority subtotals are exactly as planned" py table "$TMP/raw.json" priorities
check "who took part is exactly as planned" py table "$TMP/raw.json" took
# A few of the numbers by hand: 9 chose "talk"; one key message; 3 taps at stall 2, 6 at stall 5.
TT="Someone they trust to talk to, who listens"
row() { jq -c --argjson p "$1" --arg t "$2" '.rows[] | select(.priority_number == $p and .theme == $t) | [.survey, .focus_group, .marketplace, .total]' "$3"; }
check_eq "(2, someone to talk to): the stall's own 3 tokens" "$(row 2 "$TT" "$TMP/raw.json")" "[9,1,3,13]"
check_eq "(5, someone to talk to): the same responses and message, its own 6 tokens" "$(row 5 "$TT" "$TMP/raw.json")" "[9,1,6,16]"
check_eq "(5, sport): 16 responses, 1 message, 2 tokens" "$(row 5 "Easier access to sport and physical activity" "$TMP/raw.json")" "[16,1,2,19]"
check_eq "(3, =1+1 Night buses): the added theme counts its message and tokens" "$(row 3 "=1+1 Night buses" "$TMP/raw.json")" "[0,1,2,3]"
check_eq "priority 2: 20 responses (talk, online, safe, bullying, or housing), 3 messages, 10 tokens" \
	"$(jq -c '.priorities[] | select(.priority_number == 2) | [.survey, .focus_group, .marketplace, .total]' "$TMP/raw.json")" "[20,3,10,33]"

ex themes --min-cell 0 >"$TMP/raw.csv"
check "the themes CSV (--min-cell 0) parses with python's csv to the JSON's cells" py themes-csv "$TMP/raw.csv" "$TMP/raw.json"
check "  ... its lines end CRLF" bash -c "[ \$(grep -c \$'\\r\$' '$TMP/raw.csv') -eq \$(wc -l <'$TMP/raw.csv') ]"
check "a staff theme name starting with = is defused in the CSV" grep -qF "\"'=1+1 Night buses\"" "$TMP/raw.csv"
check "  ... and one starting with @, under both its priorities" test "$(grep -cF "\"'@Safe routes home\"" "$TMP/raw.csv")" -eq 2
check "  ... while the JSON keeps the names as typed" \
	test "$(jq '[.rows[] | select(.theme == "=1+1 Night buses" or .theme == "@Safe routes home")] | length' "$TMP/raw.json")" -eq 3

ex themes --format json >"$TMP/pub.json"
ex themes >"$TMP/pub.csv"
check "themes (default --min-cell 5): every count from 1 to 4 is \"<5\", [c] or [x], 0 is 0, others true or [c]" \
	py themes-suppressed "$TMP/raw.json" "$TMP/pub.json" 5 0 table
check "  ... who took part too" py themes-suppressed "$TMP/raw.json" "$TMP/pub.json" 5 0 took
check "  ... the CSV says the same as the JSON" py themes-csv "$TMP/pub.csv" "$TMP/pub.json"
check "  ... no CSV cell shows a count from 1 to 4 (but focus-group and marketplace counts, published exactly elsewhere)" \
	py csv-numbers "$TMP/pub.csv" 5 3 4,5
check "  ... and \"<5\" is there" grep -qF '"<5"' "$TMP/pub.csv"
ex themes --min-cell 3 --format json >"$TMP/pub3.json"
ex themes --min-cell 3 >"$TMP/pub3.csv"
check "themes --min-cell 3: \"<3\" (or [c]) for 1 to 2, 0 for 0, no other" py themes-suppressed "$TMP/raw.json" "$TMP/pub3.json" 3 0 table
check "  ... in the CSV too" py themes-csv "$TMP/pub3.csv" "$TMP/pub3.json"
check "  ... which shows \"<3\" and never \"<5\"" bash -c "grep -qF '\"<3\"' '$TMP/pub3.csv' && no_match -qF '<5' '$TMP/pub3.csv'"
check "  ... and a 3 or a 4 somewhere" bash -c "tr -d '\\r' <'$TMP/pub3.csv' | grep -Eq ',[34](,|\$)'"
ex themes --round 5 --format json >"$TMP/pub-r5.json"
ex themes --round 5 >"$TMP/pub-r5.csv"
check "themes --round 5: each shown count is the true one rounded to a multiple of 5" \
	py themes-suppressed "$TMP/raw.json" "$TMP/pub-r5.json" 5 5 table
check "  ... in the CSV too" py themes-csv "$TMP/pub-r5.csv" "$TMP/pub-r5.json"
check_eq "  ... (5, sport): 16 and a total of 19 are published as 15 and 20, its listed key message and big-screen tokens as they are" \
	"$(row 5 "Easier access to sport and physical activity" "$TMP/pub-r5.json")" '[15,1,2,20]'
check "  ... who took part is rounded too (28 responses as 30, 26 tokens as 25)" \
	py themes-suppressed "$TMP/raw.json" "$TMP/pub-r5.json" 5 5 took
ex themes --min-cell 0 --round 5 --format json >"$TMP/raw-r5.json"
check "themes --min-cell 0 --round 5: every count rounded, totals from the raw sum" \
	py themes-suppressed "$TMP/raw.json" "$TMP/raw-r5.json" 0 5 table

curl -s -o "$TMP/staff-themes.csv" -b "$JC" "$BASE/staff/export/themes.csv?consultation=cyp-plan-2027"
check "GET /staff/export/themes.csv is byte for byte survey-export themes" cmp -s "$TMP/staff-themes.csv" "$TMP/pub.csv"
curl -s -o "$TMP/staff-themes.json" -b "$JC" "$BASE/staff/export/themes.json?consultation=cyp-plan-2027"
check "GET /staff/export/themes.json parses to survey-export themes --format json" py same-json "$TMP/staff-themes.json" "$TMP/pub.json"
ex themes --format xlsx -o "$TMP/pub.xlsx"
check_eq "themes --format xlsx exits 0" "$?" "0"
check "  ... the themes CSV cell for cell: \"<5\", [c], labels, a defused '=1+1 Night buses, as text" \
	xlsx_same "$TMP/pub.csv" "$TMP/pub.xlsx"
curl -s -D "$TMP/staff-xlsx.h" -o "$TMP/staff-themes.xlsx" -b "$JC" "$BASE/staff/export/themes.xlsx?consultation=cyp-plan-2027"
check "GET /staff/export/themes.xlsx is the themes CSV cell for cell" xlsx_same "$TMP/pub.csv" "$TMP/staff-themes.xlsx"
check "  ... as an .xlsx attachment" grep -qi '^Content-Disposition: attachment; filename="themes-cyp-plan-2027.xlsx"' "$TMP/staff-xlsx.h"
check_eq "  ... and not to a youth worker" "$(status_of -b "$JY" "$BASE/staff/export/themes.xlsx?consultation=cyp-plan-2027")" "403"

check "the server stops cleanly" stop_server
check "the server log has no sanitizer report" bash -c "no_match -q 'Sanitizer' '$SERVER_LOG'"
grep -m 1 -A 14 'ERROR: .*Sanitizer' "$SERVER_LOG" | sed 's/^/# /'
check "the passphrase is in no file of the data folder, nor the server log" bash -c "folder_bytes '$DATA' | no_match -qaF '$PASSPHRASE' -"
check "  ... nor the wrong one" bash -c "folder_bytes '$DATA' | no_match -qaF 'not the passphrase' -"
check_eq "the audit log has the four decrypted exports from the staff pages" \
	"$(sqlite3 "$DATA/youthvoice.db" "SELECT count(*) FROM audit WHERE who = 'cleo' AND action LIKE 'exported the %' AND action != 'exported the themes table'")" "4"
finish
