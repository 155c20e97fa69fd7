#!/usr/bin/env python3
"""yousaid_top.py - the themes a "you said, we did" page lists, and the ones
the themes export says it should list, as "priority|theme|total" lines.

  yousaid_top.py page PAGE.html        what the public page lists, in order
  yousaid_top.py export THEMES.json    the export's largest totals published
                                       exactly (a number above 0), up to 3
                                       per priority, largest first (ties in
                                       the table's order)
"""
import html
import json
import re
import sys

if sys.argv[1] == "page":
    text = open(sys.argv[2], encoding="utf-8").read()
    for sec in re.finditer(r'<section class="you-said" aria-labelledby="p(\d+)">(.*?)</section>', text, re.S):
        number, body = sec.group(1), sec.group(2)
        ol = re.search(r'<ol class="said-most">(.*?)</ol>', body, re.S)
        for li in re.finditer(r'<li>(.*?) \u2013 <strong>([^<]*)</strong> times</li>',
                              ol.group(1) if ol else ""):
            print(f"{number}|{html.unescape(li.group(1))}|{html.unescape(li.group(2))}")
else:
    rows = json.load(open(sys.argv[2], encoding="utf-8"))["rows"]
    by = {}
    for r in rows:
        if str(r["total"]).isdigit() and int(r["total"]) > 0:
            by.setdefault(r["priority_number"], []).append(r)
    for number in sorted(by):
        top = sorted(by[number], key=lambda r: -int(r["total"]))[:3]  # stable: table order on ties
        for r in top:
            print(f"{number}|{r['theme']}|{r['total']}")
