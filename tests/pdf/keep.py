"""What a reader would see split across a line or a page, in each PDF.

For each PDF named on the command line, prints one JSON object:
  splits: lines that end in the first part of a phone number, a postcode,
          "Dr" or "NHS" whose rest starts the next line;
  apart:  a contact's name (a line in bold) left at the foot of a page
          with its details on the next, and a model reply whose sign-off
          ("The team at …") is on another page from its title.
"""

import json
import re
import sys

import pymupdf

SPLITS = [
    (re.compile(r"(?:\b0\d{2,4}|\+44)$"), re.compile(r"^\d")),
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?$"), re.compile(r"^\d[A-Z]{2}\b")),
    (re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Miss|Prof)$"), re.compile(r"^\S")),
    (re.compile(r"\bNHS$"), re.compile(r"^111\b")),
]
REPLY_TITLE = re.compile(r"^[A-Z]\d?\. ")
DETAIL = re.compile(r"^(?:Phone|Email|Website|Address|Ffôn|E-bost|Gwefan|Cyfeiriad):")


LABEL = re.compile(r"^(?:•|\d+\.)$")
PAGE_NUMBER = re.compile(r"(?:Page \d+ of|Tudalen \d+ o) \d+")


def body_lines(page):
    """The page's lines above its footer (which starts level with its
    page number), in reading order, with whether each is all bold."""
    lines = []
    all_lines = [l for b in page.get_text("dict")["blocks"] for l in b.get("lines", [])]
    numbers = [
        l["bbox"][1]
        for l in all_lines
        if PAGE_NUMBER.search("".join(s["text"] for s in l["spans"]))
    ]
    footer = min(numbers, default=page.rect.height) - 1
    for line in all_lines:
        if True:
            spans = [s for s in line["spans"] if s["text"].strip()]
            if not spans or line["bbox"][1] >= footer:
                continue
            text = "".join(s["text"] for s in line["spans"]).strip()
            if LABEL.match(text):
                continue  # a list item's bullet or number, laid apart from its text
            bold = all(s["flags"] & 16 or "Bold" in s["font"] for s in spans)
            lines.append((text, bold))
    return lines


def read(path):
    doc = pymupdf.open(path)
    pages = [body_lines(page) for page in doc]
    splits, apart = [], []
    flat = [text for page in pages for text, _ in page]
    for a, b in zip(flat, flat[1:]):
        for end, start in SPLITS:
            if end.search(a) and start.search(b):
                splits.append(f"{a[-30:]} / {b[:20]}")
    for n, (page, following) in enumerate(zip(pages, pages[1:])):
        if page and following and page[-1][1] and DETAIL.match(following[0][0]):
            apart.append(f"page {n + 1} ends with {page[-1][0]!r}; {following[0][0]!r} starts the next")
    title = None
    for n, page in enumerate(pages):
        for text, bold in page:
            if bold and REPLY_TITLE.match(text):
                title = (n, text)
            elif text.startswith("The team at") and title is not None:
                if title[0] != n:
                    apart.append(f"the reply {title[1]!r} is on page {title[0] + 1}, its sign-off on page {n + 1}")
                title = None
    return {"path": path, "splits": splits, "apart": apart}


for path in sys.argv[1:]:
    print(json.dumps(read(path), ensure_ascii=False))
