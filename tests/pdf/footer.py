"""How many lines each PDF's running footer takes, read back.

For each PDF named on the command line, prints one JSON object: the most
lines of text at or below the top of the page number ("Page N of M") on
any page.
"""

import json
import re
import sys

import pymupdf

PAGE_NUMBER = re.compile(r"(?:Page \d+ of|Tudalen \d+ o) \d+")


def lines_of(page):
    lines = [l for b in page.get_text("dict")["blocks"] for l in b.get("lines", [])]
    tops = [
        l["bbox"][1]
        for l in lines
        if PAGE_NUMBER.search("".join(s["text"] for s in l["spans"]))
    ]
    if not tops:
        return 0
    top = min(tops) - 1
    return len({round(l["bbox"][1]) for l in lines if l["bbox"][1] >= top})


for path in sys.argv[1:]:
    doc = pymupdf.open(path)
    print(json.dumps({"path": path, "footer_lines": max(lines_of(p) for p in doc)}))
