"""Prints, for each PDF named, the text sizes PyMuPDF reads back from it.

One JSON object per file: its path, the smallest and largest size of any
text on any page (footers included), the size of the "Page N of M" text
(which follows the document's reference on the same line, "Ref 3F9A-21C0 ·
Page 1 of 3", or stands alone above it),
whether any span is set in an italic face, and the page count and size.
Used by tests/testsuite/pdf.rs to check clear print and large print.
"""

import json
import re
import sys

import pymupdf


def sizes(path):
    doc = pymupdf.open(path)
    spans = []
    for page in doc:
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    if span["text"].strip():
                        spans.append(span)
    page_numbers = [s["size"] for s in spans if re.search(r"\bPage \d+ of \d+", s["text"])]
    lowest = max(s["bbox"][3] for s in spans)
    return {
        "path": path,
        "pages": doc.page_count,
        "width": round(doc[0].rect.width, 2),
        "height": round(doc[0].rect.height, 2),
        "smallest": round(min(s["size"] for s in spans), 2),
        "largest": round(max(s["size"] for s in spans), 2),
        "page_numbers": sorted({round(size, 2) for size in page_numbers}),
        # How far the lowest text ends above the paper's bottom edge.
        "bottom_clearance": round(doc[0].rect.height - lowest, 2),
        "italic": any(
            "Italic" in s["font"] or "Oblique" in s["font"] or s["flags"] & 2 for s in spans
        ),
    }


for path in sys.argv[1:]:
    print(json.dumps(sizes(path)))
