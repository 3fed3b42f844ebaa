"""Prints, for each poster PDF named, what PyMuPDF reads back from it.

One JSON object per file: its page count and size; the largest text (the
headline); the smallest text above the sign-off band at the foot of the
page (the sign-off, with the date, approval and reference, may be
smaller); the words above that band; the side of the QR code (the box
round its black squares, quiet zone left out), or 0; and the lowest text's
distance from the paper's bottom edge. Used by tests/testsuite/poster.rs.
"""

import json
import sys

import pymupdf

# The sign-off sits in the bottom 70 pt of the page.
SIGN_OFF_BAND = 70.0


def poster(path):
    doc = pymupdf.open(path)
    page = doc[0]
    height = page.rect.height
    spans = []
    for p in doc:
        for block in p.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    if span["text"].strip():
                        spans.append(span)
    body = [s for s in spans if s["bbox"][3] < height - SIGN_OFF_BAND]
    words = sum(len(s["text"].split()) for s in body)
    # The QR code: the black filled squares, as one box (drawn as one
    # path of many rectangles, or a path each).
    squares = [
        item[1]
        for d in page.get_drawings()
        if d.get("fill") == (0.0, 0.0, 0.0)
        for item in d["items"]
        if item[0] == "re" and item[1].width < 20 and item[1].height < 20
    ]
    side = 0.0
    if len(squares) > 50:
        x0 = min(r.x0 for r in squares)
        y0 = min(r.y0 for r in squares)
        x1 = max(r.x1 for r in squares)
        y1 = max(r.y1 for r in squares)
        side = min(x1 - x0, y1 - y0)
    lowest = max(s["bbox"][3] for s in spans)
    return {
        "path": path,
        "pages": doc.page_count,
        "width": round(page.rect.width, 2),
        "height": round(height, 2),
        "largest": round(max(s["size"] for s in spans), 2),
        "smallest_body": round(min(s["size"] for s in body), 2),
        "words": words,
        "qr_mm": round(side / 72 * 25.4, 1),
        "bottom_clearance": round(height - lowest, 2),
    }


for path in sys.argv[1:]:
    print(json.dumps(poster(path)))
