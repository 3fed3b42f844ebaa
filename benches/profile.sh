#!/usr/bin/env bash
# Where a practice's CPU goes in a batch build: `perf record` of the release
# binary building N imported practices on one thread, then every sampled
# function put in a group (krilla, deflate, parley, our own code, the
# kernel…). The groups are what BENCHMARKS.md reasons about.
#
#   bash benches/profile.sh [PRACTICES]     (default: 200)
#
# Needs `perf` (Debian: linux-perf) and permission to record
# (root, or kernel.perf_event_paranoid <= 2 for your own processes).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-200}
csv=../shared/data/ods/epraccur.csv
work=$(realpath -m target/bench-profile)
cargo build --release -q
bin=$PWD/target/release/policypack
rm -rf "$work" && mkdir -p "$work/all" "$work/configs"
cp practice-configs/doncaster-lmc/_lmc.toml "$work/all/_lmc.toml"
"$bin" import epraccur "$csv" --into "$work/all" --extends _lmc.toml -q
cp "$work/all/_lmc.toml" "$work/configs/"
find "$work/all" -name '[!_]*.toml' | sort | sed -n "1,${count}p" | xargs cp -t "$work/configs"

cd "$work"
perf record -q -F 5000 -o perf.data "$bin" build configs -o out -q -j 1 2>/dev/null
perf report -i perf.data --no-children --sort symbol -F overhead,sym 2>/dev/null >symbols.txt
python3 - symbols.txt "$count" <<'PY'
import collections, re, sys
groups = [
    ("kernel: creating, writing and renaming files; page faults", lambda k, s: k == "k"),
    ("deflate in krilla (zlib-rs, level 6)", lambda k, s: re.search(r"zlib_rs|flate2|adler", s)),
    ("krilla and pdf-writer: glyph encoding, serialising, subsetting",
     lambda k, s: re.search(r"krilla|pdf_writer|subsetter|ryu|itoa|siphasher", s)),
    ("parley: shaping, line breaking, font selection",
     lambda k, s: re.search(r"parley|harfrust|icu_|fontique|swash|skrifa|read_fonts", s)),
    ("libc: malloc, free, memcpy, memset", lambda k, s: re.search(r"malloc|free|unlink_chunk|mem(move|set|cpy|cmp)|_int_", s)),
    ("sha-256", lambda k, s: "sha2" in s),
    ("Tera", lambda k, s: re.search(r"tera|pest", s)),
    ("Markdown (pulldown-cmark)", lambda k, s: "pulldown" in s),
    ("policypack's own code", lambda k, s: "policypack" in s),
]
share = collections.Counter()
for line in open(sys.argv[1]):
    m = re.match(r"\s*([\d.]+)%\s+\[(.)\]\s+(.*)", line)
    if not m:
        continue
    percent, kind, symbol = float(m.group(1)), m.group(2), m.group(3)
    name = next((n for n, test in groups if test(kind, symbol)), "the rest (std, hashing, collections)")
    share[name] += percent
print(f"{sys.argv[2]} practices, one thread; share of sampled CPU:")
for name, percent in share.most_common():
    print(f"{percent:6.1f} %  {name}")
PY

# With call stacks (fewer practices: DWARF stacks are large), the share
# spent inside a few functions, callees included.
mkdir -p stacks && find configs -name '*.toml' | sort | sed -n "1,50p" | xargs cp -t stacks
perf record -q --call-graph dwarf,16384 -F 1000 -o stacks.data "$bin" build stacks -o out-stacks -q -j 1 2>/dev/null
perf report -i stacks.data --children --sort symbol -g none 2>/dev/null >inclusive.txt
echo "50 practices, with callees:"
for f in policypack::render::pdf::draw::write krilla::stream::deflate_encode \
         krilla::content::ContentBuilder::draw_glyphs krilla::text::cid::CIDFont::serialize \
         policypack::render::pdf::layout::Typesetter::document policypack::render::html::render \
         policypack::content::render policypack::pack::build::file_entry; do
    awk -v name="$f" '$4 == name { printf "%7s  %s\n", $1, name; exit }' inclusive.txt
done
