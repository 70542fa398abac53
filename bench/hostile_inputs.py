"""Worst-case inputs at each of casecheck's size limits (casecheck.inputs.limits), to measure peak
memory and time where a hostile or careless file could push them:

    .venv/bin/python bench/hostile_inputs.py bench/out/hostile
    for f in bench/out/hostile/*; do
      /usr/bin/time -f "$f: %e s, peak %M KB, exit %x" .venv/bin/casecheck check "$f" --as-at 2022-06-01 \
        --format csv -o /dev/null 2>&1 | tail -1
    done

dense.yaml and dense.json: events up to the file limit; longlines.yaml: lines just under the line
limit; census.xml: 100,000 children then one child of 99,000 elements; annex.xlsx: shared strings
just under their limit, 150,000 rows (the limit), and a declared dimension of the whole sheet; log.csv: a
million rows with one cell at the cell limit.
"""
import json
import os
import sys
import zipfile

MB = 1 << 20
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
# YAML: dense events up to just under the 2 MB file limit
lines, size, i = [], 0, 0
while size < 2 * MB - 200:
    c = f"- case: C-{i}\n  team: North\n  events:\n" + "".join(f"    - {{date: 2022-01-{1+j:02d}, type: referral, meeting: m-{j}}}\n" for j in range(20))
    if size + len(c) > 2 * MB - 10: break
    lines.append(c); size += len(c); i += 1
open(f"{out}/dense.yaml", "w").write("".join(lines))
# YAML: a line just under the 1 MB line limit
ev = "{date: 2022-01-01, type: referral}, "
n = (MB - 40) // len(ev)
open(f"{out}/longlines.yaml", "w").write("".join(f"- case: L{k}\n  events: [" + ev * n + "]\n" for k in range(1)))
# JSON: dense, one line, just under 8 MB
cases, size, i = [], 2, 0
while True:
    c = {"case": f"C-{i}", "team": "North", "events": [{"date": f"2022-01-{1+j:02d}", "type": "referral", "meeting": f"m-{j}"} for j in range(20)]}
    t = json.dumps(c)
    if size + len(t) + 2 > 8 * MB - 10: break
    cases.append(t); size += len(t) + 2; i += 1
open(f"{out}/dense.json", "w").write("[" + ", ".join(cases) + "]")
# XML: 100k children streamed, then one child with 99,000 elements
with open(f"{out}/census.xml", "w") as f:
    f.write('<?xml version="1.0"?>\n<Message><Children>\n')
    for k in range(100_000):
        f.write(f"<Child><ChildIdentifiers><LAchildID>K{k}</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>2021-04-01</CINreferralDate></CINdetails></Child>\n")
    f.write("<Child><ChildIdentifiers><LAchildID>BIG</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>2021-04-01</CINreferralDate><ChildProtectionPlans><CPPstartDate>2021-04-20</CPPstartDate><Reviews>")
    f.write("<CPPreviewDate>2021-07-15</CPPreviewDate>\n" * 99_000)
    f.write("</Reviews></ChildProtectionPlans></CINdetails></Child>\n</Children></Message>\n")
# xlsx: shared strings just under 32 MB, 150,000 rows (the row limit), declared dimension the whole sheet
import openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "List 3"
ws.append(["Child Unique ID", "Date of referral"]); ws.append(["K0", "2021-04-01"])
wb.save(f"{out}/annex.xlsx")
with zipfile.ZipFile(f"{out}/annex.xlsx") as z:
    parts = {i.filename: z.read(i) for i in z.infolist()}
nstr = 0
ss = ['<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
size = 0
while size < 32 * MB - 200_000:
    s = f"<si><t>K{nstr}</t></si>"; ss.append(s); size += len(s); nstr += 1
ss.append("</sst>")
rows = ['<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Child Unique ID</t></is></c><c r="B1" t="inlineStr"><is><t>Date of referral</t></is></c></row>']
for r in range(2, 150_002):
    rows.append(f'<row r="{r}"><c r="A{r}" t="s"><v>{r % nstr}</v></c><c r="B{r}" t="inlineStr"><is><t>2021-04-01</t></is></c></row>')
rows.append("</sheetData></worksheet>")
parts["xl/sharedStrings.xml"] = "".join(ss).encode()
parts["xl/worksheets/sheet1.xml"] = "".join(rows).encode()
ct = parts["[Content_Types].xml"].decode()
if "sharedStrings" not in ct:
    ct = ct.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
parts["[Content_Types].xml"] = ct.encode()
rels = parts["xl/_rels/workbook.xml.rels"].decode()
if "sharedStrings" not in rels:
    rels = rels.replace("</Relationships>", '<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
parts["xl/_rels/workbook.xml.rels"] = rels.encode()
with zipfile.ZipFile(f"{out}/annex.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for n, d in parts.items(): z.writestr(n, d)
# CSV: 1M rows grouped, one cell at the limit
with open(f"{out}/log.csv", "w") as f:
    f.write("case,date,type,note\n")
    for k in range(1_000_000):
        f.write(f"C-{k // 5},2022-01-{1 + k % 28:02d},referral,{'x' * 131_000 if k == 500_000 else ''}\n")
for n in sorted(os.listdir(out)): print(n, round(os.path.getsize(f"{out}/{n}") / MB, 1), "MB")
