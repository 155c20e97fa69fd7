#!/usr/bin/python3
# xlsx_same.py CSV XLSX: the spreadsheet is the CSV cell for cell, read back
# with Debian's python3-openpyxl: a quoted CSV field is a string cell with the
# same text (a defused "'=..." included), an unquoted whole number a number,
# an empty field a blank cell; one sheet; no cell is a formula.  Exit 1 and
# the first difference on standard error otherwise.
import csv
import io
import sys

import openpyxl

csv_path, xlsx_path = sys.argv[1:3]
raw = open(csv_path, encoding='utf-8-sig', newline='').read()
rows = list(csv.reader(io.StringIO(raw, newline='')))
book = openpyxl.load_workbook(xlsx_path)
if len(book.worksheets) != 1:
    sys.exit(f'{len(book.worksheets)} sheets, not 1')
sheet = book.worksheets[0]
got = []
for r in sheet.iter_rows():
    line = []
    for c in r:
        if c.data_type == 'f':
            sys.exit(f'{c.coordinate} is a formula: {c.value!r}')
        if c.value is None:
            line.append('')
        elif c.data_type == 'n':
            if not isinstance(c.value, int) and not float(c.value).is_integer():
                sys.exit(f'{c.coordinate} is not a whole number: {c.value!r}')
            line.append(str(int(c.value)))
        else:
            line.append(c.value)
    got.append(line)
width = max([len(r) for r in rows + got] or [0])
rows = [r + [''] * (width - len(r)) for r in rows]
got = [r + [''] * (width - len(r)) for r in got]
if len(rows) != len(got):
    sys.exit(f'{len(got)} rows in the spreadsheet, {len(rows)} in the CSV')
for i, (a, b) in enumerate(zip(rows, got)):
    if a != b:
        sys.exit(f'row {i + 1}: CSV {a} spreadsheet {b}')
print(f'# {len(rows)} rows x {width} columns, equal')
