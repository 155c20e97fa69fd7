#!/usr/bin/python3
# rounds.py - helpers of test_rounds.sh (issue 16; docs/rounds.md,
# docs/equalities.md).
#   rounds.py forms DIR              a forms folder with three rounds of plan
#                                    "cyp-plan" (2018 without the bullying theme),
#                                    one survey each, and a consultation of no plan
#   rounds.py same-cells TREND.csv ROUND=THEMES.json...
#                                    every count of the trend is its round's own
#                                    themes export's, cell for cell, and every row
#                                    of each export is in the trend
#   rounds.py report-cells REPORT.html ROUND=THEMES.json...
#                                    the report's "Compared with earlier rounds"
#                                    table has exactly these rounds as columns, the
#                                    last "(this report)", and each count is that
#                                    round's own themes export's (responses, and
#                                    each priority's total), cell for cell
#   rounds.py public-cells PAGE.html ROUND=THEMES.json...
#                                    the public page's "Each time we asked" lists
#                                    exactly these rounds under each priority, the
#                                    last "(this time)", a number only where the
#                                    round's export publishes that number, "we keep
#                                    this number back" where it shows "<5" or "[c]"
#   rounds.py eq-cells PAGE.html BREAKDOWNS.csv
#                                    the "Took part" column of the equalities view
#                                    is the breakdowns export's count, category by
#                                    category; a share only beside an exact count
import csv
import html
import io
import json
import os
import re
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def forms(out):
    shutil.copytree(f'{ROOT}/forms', out, ignore=shutil.ignore_patterns('surveys', '*.c', '*.h', '*.md'))
    os.mkdir(f'{out}/surveys')
    tax = json.load(open(f'{ROOT}/forms/taxonomy.json', encoding='utf-8'))
    old = dict(tax)
    old['themes'] = [t for t in tax['themes'] if t['id'] != 'bullying']
    json.dump(old, open(f'{out}/taxonomy-2018.json', 'w', encoding='utf-8'))
    cons = []
    for year in ('2018', '2021', '2023'):
        cons.append({'id': f'cyp-{year}', 'title': f"Children and Young People's Plan, round {year}",
                     'taxonomy': 'taxonomy-2018.json' if year == '2018' else 'taxonomy.json',
                     'plan': 'cyp-plan', 'round': year})
    cons.append({'id': 'other', 'title': 'Not a round of a plan', 'taxonomy': 'taxonomy.json'})
    json.dump({'consultations': cons}, open(f'{out}/consultations.json', 'w', encoding='utf-8'))
    wm = json.load(open(f'{ROOT}/forms/surveys/what-matters.json', encoding='utf-8'))
    for year in ('2018', '2021', '2023'):
        s = json.loads(json.dumps(wm))
        s['id'] = f'wm-{year}'
        s['consultation'] = f'cyp-{year}'
        if year == '2018':
            s['questions'][0]['options'] = [o for o in s['questions'][0]['options']
                                            if 'bullying' not in o.get('themes', [])]
        json.dump(s, open(f'{out}/surveys/wm-{year}.json', 'w', encoding='utf-8'))


def read_csv(path):
    return list(csv.DictReader(io.StringIO(open(path, encoding='utf-8').read(), newline='')))


COLS = ('survey', 'focus_group', 'marketplace', 'total', 'free_text')


def text(v):
    return str(v) if not isinstance(v, str) else v


def same_cells(trend_path, pairs):
    trend = read_csv(trend_path)
    bad = 0
    for pair in pairs:
        rnd, path = pair.split('=', 1)
        ex = json.load(open(path, encoding='utf-8'))
        rows = {(r['priority_number'], r['theme']): r for r in ex['rows']}
        subs = {p['priority_number']: p for p in ex['priorities']}
        mine = [r for r in trend if r['round'] == rnd]
        if not mine:
            print(f'round {rnd}: no rows in the trend', file=sys.stderr)
            return 1
        seen = set()
        for r in mine:
            n = int(r['priority_number'])
            if r['theme_id']:
                want = rows.get((n, r['theme']))
                if want is None:
                    if any(r[c] for c in COLS):
                        print(f'{rnd} {r["theme"]}: counts for a theme not in the round', file=sys.stderr)
                        bad += 1
                    continue
                seen.add((n, r['theme']))
            else:
                want = subs[n]
            for c in COLS:
                if r[c] != text(want[c]):
                    print(f'{rnd} {n} {r["theme"]} {c}: trend {r[c]!r}, export {want[c]!r}', file=sys.stderr)
                    bad += 1
            if r['responses'] != text(ex['took_part']['responses']):
                print(f'{rnd}: responses {r["responses"]!r}', file=sys.stderr)
                bad += 1
        if seen != set(rows):
            print(f'{rnd}: export rows missing from the trend: {set(rows) - seen}', file=sys.stderr)
            bad += 1
    return 1 if bad else 0


def eq_cells(page_path, bd_path):
    page = open(page_path, encoding='utf-8').read()
    bd = [r for r in read_csv(bd_path) if r['by'] == 'all']
    bad = checked = 0
    for table in re.findall(r'<h3 id="eq-\d+">(.*?)</h3>.*?<tbody>(.*?)</tbody>', page, re.S):
        for label, count, share in re.findall(
                r'<tr><th scope="row">(.*?)</th><td class="numeric">(.*?)</td><td class="numeric">(.*?)</td>',
                table[1]):
            label, count = html.unescape(label), html.unescape(count)
            want = [r['count'] for r in bd if r['option'] == label]
            if count in ('', 'not offered'):
                continue
            checked += 1
            if count not in want:
                print(f'{table[0]} {label}: page {count!r}, export {want}', file=sys.stderr)
                bad += 1
            if share and not count.isdigit():
                print(f'{table[0]} {label}: a share {share!r} beside {count!r}', file=sys.stderr)
                bad += 1
    return verdict(bad, checked, 5, 'counts on the page')


def verdict(bad, checked, least, what):
    if checked < least:
        print(f'only {checked} {what}', file=sys.stderr)
        return 1
    return 1 if bad else 0


def exports(pairs):
    out = []
    for pair in pairs:
        rnd, path = pair.split('=', 1)
        out.append((rnd, json.load(open(path, encoding='utf-8'))))
    return out


def report_cells(page_path, pairs):
    page = open(page_path, encoding='utf-8').read()
    m = re.search(r'<section id="rounds".*?<thead>(.*?)</thead><tbody>(.*?)</tbody>', page, re.S)
    if not m:
        print('no rounds table in the report', file=sys.stderr)
        return 1
    rounds = exports(pairs)
    heads = [html.unescape(h) for h in re.findall(r'<th scope="col" class="n">(.*?)</th>', m.group(1))]
    want = [r for r, _ in rounds]
    want[-1] += ' (this report)'
    if heads != want:
        print(f'columns {heads}, want {want}', file=sys.stderr)
        return 1
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', m.group(2))
    bad = checked = 0
    for label, cells in rows:
        got = [html.unescape(c) for c in re.findall(r'<td class="n">(.*?)</td>', cells)]
        if label == 'Survey responses':
            exp = [text(ex['took_part']['responses']) for _, ex in rounds]
        else:
            n = int(label.split('.', 1)[0])
            exp = []
            for _, ex in rounds:
                p = [q for q in ex['priorities'] if q['priority_number'] == n]
                exp.append(text(p[0]['total']) if p else 'not in that round')
        checked += 1
        if got != exp:
            print(f'{label}: report {got}, exports {exp}', file=sys.stderr)
            bad += 1
    return verdict(bad, checked, 6, 'rows')


def public_cells(page_path, pairs):
    page = open(page_path, encoding='utf-8').read()
    rounds = exports(pairs)
    sections = re.findall(r'<h2 id="p(\d+)">.*?<ul class="each-time">(.*?)</ul>', page, re.S)
    bad = 0
    if len(sections) != len(rounds[-1][1]['priorities']):
        print(f'{len(sections)} priorities with a trend', file=sys.stderr)
        return 1
    for number, items in sections:
        got = re.findall(r'<li>(.*?): (.*?)</li>', items)
        names = [html.unescape(g[0]) for g in got]
        want = [r for r, _ in rounds]
        want[-1] += ' (this time)'
        if names != want:
            print(f'priority {number}: rounds {names}, want {want}', file=sys.stderr)
            bad += 1
            continue
        for (rnd, ex), (_, said) in zip(rounds, got):
            p = [q for q in ex['priorities'] if q['priority_number'] == int(number)]
            total = text(p[0]['total']) if p else None
            if total is None:
                exp = 'we did not ask about this then'
            elif total.isdigit():
                exp = f'<strong>{total}</strong> time' + ('' if total == '1' else 's')
            else:
                exp = 'we keep this number back'
            if said != exp:
                print(f'priority {number} {rnd}: page {said!r}, want {exp!r}', file=sys.stderr)
                bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'forms':
        forms(sys.argv[2])
    elif cmd == 'same-cells':
        sys.exit(same_cells(sys.argv[2], sys.argv[3:]))
    elif cmd == 'report-cells':
        sys.exit(report_cells(sys.argv[2], sys.argv[3:]))
    elif cmd == 'public-cells':
        sys.exit(public_cells(sys.argv[2], sys.argv[3:]))
    elif cmd == 'eq-cells':
        sys.exit(eq_cells(sys.argv[2], sys.argv[3]))
