"""Reads .docx files with python-docx and prints, for each, one JSON object
of what a Word user would meet: paragraph styles, list numbering, tables,
links, bookmarks, picture descriptions, core properties and languages.

Usage: python3 tests/docx/read.py FILE.docx...

The Rust tests (tests/testsuite/docx.rs) decide what is right; this script
only reads. It fails (exit 1) if python-docx cannot open a file.
"""

import json
import sys

import docx
from docx.oxml.ns import qn


def numbering(p):
    num_pr = p._p.pPr.numPr if p._p.pPr is not None else None
    if num_pr is None or num_pr.numId is None:
        return None
    level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
    return {"num": num_pr.numId.val, "level": level}


def all_paragraphs(document):
    """Every paragraph of the body in reading order, those in table cells
    too (a poster sets its rows as tables)."""
    from docx.text.paragraph import Paragraph

    return [Paragraph(p, document._body) for p in document.element.body.iter(qn("w:p"))]


def paragraphs(document):
    out = []
    for p in all_paragraphs(document):
        out.append(
            {
                "style": p.style.name if p.style is not None else None,
                "text": p.text,
                "numbering": numbering(p),
                "page_break_before": p.paragraph_format.page_break_before,
            }
        )
    return out


def instances(document):
    """Each list instance: its definition's format at level 0 and its restarts."""
    part = document.part.numbering_part.element
    formats = {}
    for definition in part.findall(qn("w:abstractNum")):
        levels = definition.findall(qn("w:lvl"))
        formats[definition.get(qn("w:abstractNumId"))] = [
            lvl.find(qn("w:numFmt")).get(qn("w:val")) for lvl in levels
        ]
    out = {}
    for num in part.findall(qn("w:num")):
        abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        starts = {
            o.get(qn("w:ilvl")): int(o.find(qn("w:startOverride")).get(qn("w:val")))
            for o in num.findall(qn("w:lvlOverride"))
            if o.find(qn("w:startOverride")) is not None
        }
        out[num.get(qn("w:numId"))] = {"formats": formats[abstract], "starts": starts}
    return out


def tables(document):
    out = []
    for table in document.tables:
        rows = table.rows
        out.append(
            {
                "header": [c.text for c in rows[0].cells] if rows else [],
                "header_repeats": bool(rows) and bool(rows[0]._tr.xpath("./w:trPr/w:tblHeader")),
                "rows": len(rows),
                "style": table.style.name if table.style is not None else None,
            }
        )
    return out


def links(document):
    out = []
    for p in all_paragraphs(document):
        for link in p.hyperlinks:
            out.append({"address": link.address, "fragment": link.fragment, "text": link.text})
    return out


def languages(document):
    body = document.element.body
    runs = {}
    for run in body.iter(qn("w:r")):
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        lang = run.find("./" + qn("w:rPr") + "/" + qn("w:lang"))
        value = lang.get(qn("w:val")) if lang is not None else None
        runs.setdefault(str(value), []).append(text)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    default = defaults.find(".//" + qn("w:lang")).get(qn("w:val"))
    return {"default": default, "runs": {k: "".join(v) for k, v in runs.items()}}


def read(path):
    document = docx.Document(path)
    core = document.core_properties
    section = document.sections[0]
    return {
        "path": path,
        "paragraphs": paragraphs(document),
        "lists": instances(document),
        "tables": tables(document),
        "links": links(document),
        "bookmarks": [
            b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))
        ],
        "pictures": [shape._inline.docPr.get("descr") for shape in document.inline_shapes],
        "core": {
            "title": core.title,
            "author": core.author,
            "subject": core.subject,
            "language": core.language,
            "created": core.created.isoformat() if core.created else None,
            "modified": core.modified.isoformat() if core.modified else None,
        },
        "languages": languages(document),
        "footer": [p.text for p in section.footer.paragraphs],
        "page": {
            "width": section.page_width.pt,
            "height": section.page_height.pt,
            "left": section.left_margin.pt,
            "bottom": section.bottom_margin.pt,
        },
    }


def plain_spaces(value):
    """The report with no-break spaces read as spaces, as a reader reads
    them: the tests compare words; `print.rs` checks the no-break spaces
    in the file itself."""
    if isinstance(value, str):
        return value.replace("\u00a0", " ")
    if isinstance(value, list):
        return [plain_spaces(v) for v in value]
    if isinstance(value, dict):
        return {k: plain_spaces(v) for k, v in value.items()}
    return value


def main():
    for path in sys.argv[1:]:
        print(json.dumps(plain_spaces(read(path)), ensure_ascii=False))


if __name__ == "__main__":
    main()
