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
    if checked < 5:
        print(f'only {checked} counts on the page', file=sys.stderr)
        return 1
    return 1 if bad else 0


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'forms':
        forms(sys.argv[2])
    elif cmd == 'same-cells':
        sys.exit(same_cells(sys.argv[2], sys.argv[3:]))
    elif cmd == 'eq-cells':
        sys.exit(eq_cells(sys.argv[2], sys.argv[3]))
