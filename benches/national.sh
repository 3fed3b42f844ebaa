#!/usr/bin/env bash
# The national-scale benchmark: every active GP practice in England from the
# NHS ODS epraccur.csv (6,830 practices), imported and built with the release
# binary, then rebuilt with nothing changed; and, in the same run, Typst
# compiling the same handbook text as a cold process, so that the ratio
# holds on a noisy machine. Wall time, CPU and peak memory come from GNU
# time. Results go in BENCHMARKS.md.
#
#   bash benches/national.sh [WORK_DIR]     (default: target/bench-national)
#
# Needs Typst (built into target/typst by benches/compare-typst.sh, or
# here on first use: a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
csv=../shared/data/ods/epraccur.csv
work=$(realpath -m "${1:-target/bench-national}")
typst=$PWD/target/typst/bin/typst
[ -x "$typst" ] || cargo install typst-cli --locked --root target/typst
cargo build --release -q
bin=$PWD/target/release/policypack
rm -rf "$work" && mkdir -p "$work"
mkdir -p "$work/configs"
cp practice-configs/doncaster-lmc/_lmc.toml "$work/configs/_lmc.toml"

# GNU time, as: wall user sys peak-KB
measure() { /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@"; cat "$work/time"; }

"$bin" build practice-configs/ashfield-medical-centre.toml -o "$work/typst" -q --docs staff-handbook --formats md
python3 benches/typst/md2typ.py < "$work/typst/ashfield-medical-centre/staff-handbook.md" > "$work/handbook.typ"

read -r iw iu is im < <(measure "$bin" import epraccur "$csv" --into "$work/configs" --extends _lmc.toml -q)
cd "$work"
read -r bw bu bs bm < <(measure "$bin" build configs -o out -q)
read -r nw nu ns nm < <(measure "$bin" build configs -o out -q)
# Typst on one handbook, cold, 20 times.
runs=20
read -r tw tu ts tm < <(measure bash -c "for i in \$(seq $runs); do '$typst' compile --ignore-system-fonts --font-path '$OLDPWD/assets/fonts' handbook.typ handbook.pdf; done")

practices=$(ls configs | wc -l)
cores=$(nproc)
python3 - "$practices" "$cores" "$runs" "$iw $iu $is $im" "$bw $bu $bs $bm" "$nw $nu $ns $nm" "$tw $tu $ts $tm" <<'PY'
import sys
practices, cores, runs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
imp, build, noop, typst = ([float(x) for x in a.split()] for a in sys.argv[4:8])
def line(name, t):
    print(f"{name:8} {t[0]:7.1f} s wall, {t[1]:7.1f} s user, {t[2]:5.1f} s sys, {t[3]/1024:6.0f} MB peak")
line("import:", imp); line("build:", build); line("no-op:", noop)
per_practice = (build[1] + build[2]) / practices * 1000
typst_one = (typst[1] + typst[2]) / runs * 1000
busy = (build[1] + build[2]) / build[0] / cores
print(f"practices: {practices}; CPU per practice: {per_practice:.1f} ms; cores busy: {busy:.0%} of {cores}")
print(f"typst compile of one handbook (cold, mean of {runs}): {typst_one:.1f} ms CPU")
print(f"ratio, a practice's files to one Typst handbook: {per_practice / typst_one:.2f} (goal <= 0.3)")
print(f"peak memory: {build[3]/1024:.0f} MB (goal <= 500); no-op rebuild: {noop[0]:.1f} s (goal <= 2)")
PY
echo "files: $(find out -type f | wc -l); size: $(du -sh out | cut -f1)"
