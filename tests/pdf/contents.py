"""The contents list's page numbers, read back from each PDF.

For each PDF named on the command line, prints one JSON object: every
link inside the document (a contents entry) that has a number at the
right end of its line, as [number shown, page the link goes to], and the
entries whose number is not that page.
"""

import json
import re
import sys

import pymupdf


def read(path):
    doc = pymupdf.open(path)
    entries = []
    seen = set()
    for n, page in enumerate(doc):
        words = page.get_text("words")
        right = page.rect.width * 0.75
        for link in page.get_links():
            # A link to a place in the document: by page, or by a named
            # destination that PyMuPDF resolves to its page.
            if link.get("kind") not in (pymupdf.LINK_GOTO, pymupdf.LINK_NAMED) or link.get("page", -1) < 0:
                continue
            rect = link["from"]
            middle = (rect.y0 + rect.y1) / 2
            # The rightmost word on the entry's line, its leader dots
            # (which some writers join to it) left off.
            line = sorted(
                (w for w in words if w[1] <= middle <= w[3] and w[2] > right),
                key=lambda w: w[2],
            )
            number = re.search(r"(\d+)$", line[-1][4]) if line else None
            # One entry a line, however many links it holds (a writer may
            # link the page number too).
            if number and (n, round(middle)) not in seen:
                seen.add((n, round(middle)))
                entries.append([int(number.group(1)), link["page"] + 1])
    wrong = [e for e in entries if e[0] != e[1]]
    return {"path": path, "entries": entries, "wrong": wrong}


for path in sys.argv[1:]:
    print(json.dumps(read(path)))
