#!/usr/bin/env python3
"""Converts policypack's handbook Markdown into Typst markup, for the
benchmark that times Typst typesetting the same text (benches/compare-typst.sh).

Handles what the handbook uses: headings, paragraphs, bold, italic, links,
nested lists, block quotes, GFM tables and rules. Not a general converter.
"""
import re
import sys

SPECIAL = re.compile(r'([\\#$@<>\[\]*_`~=+/-])')


def escape(text):
    return SPECIAL.sub(r'\\\1', text)


def inline(md):
    out = []
    i = 0
    token = re.compile(r'\\(.)|\*\*(.+?)\*\*|\*(.+?)\*|\[([^\]]*)\]\(<?([^)>]*)>?\)')
    for m in token.finditer(md):
        out.append(escape(md[i:m.start()]))
        if m.group(1) is not None:
            out.append(escape(m.group(1)))
        elif m.group(2) is not None:
            out.append('*' + inline(m.group(2)) + '*')
        elif m.group(3) is not None:
            out.append('_' + inline(m.group(3)) + '_')
        else:
            out.append('#link("%s")[%s]' % (m.group(5).replace('"', '\\"'), inline(m.group(4))))
        i = m.end()
    out.append(escape(md[i:]))
    return ''.join(out)


def cells(line):
    return [c.strip() for c in line.strip().strip('|').split('|')]


def convert(md):
    lines = md.splitlines()
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith('#'):
            level = len(line) - len(line.lstrip('#'))
            out.append('=' * level + ' ' + inline(line[level:].strip()))
        elif line.startswith('|') and i + 1 < len(lines) and re.match(r'^\|[-:| ]+\|$', lines[i + 1]):
            header = cells(line)
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith('|'):
                rows.append(cells(lines[i]))
                i += 1
            body = ', '.join('[*%s*]' % inline(c) for c in header)
            for row in rows:
                body += ', ' + ', '.join('[%s]' % inline(c) for c in row)
            out.append('#table(columns: %d, %s)' % (len(header), body))
            continue
        elif line.startswith('>'):
            quote = []
            while i < len(lines) and lines[i].startswith('>'):
                quote.append(lines[i][1:].strip())
                i += 1
            out.append('#quote(block: true)[%s]' % inline(' '.join(quote)))
            continue
        elif line.strip() == '---':
            out.append('#line(length: 100%)')
        else:
            m = re.match(r'^(\s*)([-*]|\d+\.)\s+(.*)$', line)
            if m:
                marker = '-' if m.group(2) in '-*' else '+'
                out.append(m.group(1) + marker + ' ' + inline(m.group(3)))
            else:
                out.append(inline(line))
        i += 1
    return '\n'.join(out)


PREAMBLE = '''#set document(title: "Staff guidance: online and social media feedback")
#set page(paper: "a4", margin: 18mm, footer: context [Ashfield Medical Centre #h(1fr) Page #counter(page).display() of #counter(page).final().first()])
#set text(font: "Liberation Sans", size: 10.5pt, lang: "en", region: "GB")
#set par(leading: 0.5em)
'''

if __name__ == '__main__':
    sys.stdout.write(PREAMBLE + convert(sys.stdin.read()) + '\n')
