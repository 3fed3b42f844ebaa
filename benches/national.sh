#!/usr/bin/env bash
# The national-scale benchmark: every active GP practice in England from the
# NHS ODS epraccur.csv (6,830 practices), imported and built with the release
# binary, then rebuilt with nothing changed; and, in the same run, Typst
# compiling the same handbook text as a cold process, so that the ratio
# holds on a noisy machine. Wall time, CPU and peak memory come from GNU
# time. Results go in BENCHMARKS.md.
#
#   bash benches/national.sh [WORK_DIR]     (default: target/bench-national)
#   BIN=path/to/policypack bash benches/national.sh   (another build, to compare)
#   bash benches/national.sh /dev/shm/bench-national  (on tmpfs: see below)
#
# The build writes 61,000 files. On this machine's ext4 disk the kernel's
# share of that (system time) went from 4 s to 46 s between runs an hour
# apart, with the same binary; on tmpfs it stays near 5 s. Compare CPU on
# tmpfs, and give the disk's figure beside it.
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
bin=${BIN:-$PWD/target/release/policypack}
rm -rf "$work" && mkdir -p "$work"
# The officer's own record of each output folder, kept with the run.
export XDG_STATE_HOME="$work/state"
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
# Typst on one handbook, cold, 7 times, each timed on its own: the median
# of its CPU (user + system, all its threads) and of its wall time. Read
# from getrusage in microseconds: GNU time prints hundredths of a second,
# too coarse for a run of about 60 ms.
runs=7
python3 - "$typst" "$OLDPWD/assets/fonts" "$runs" > typst-times <<'PY'
import resource, subprocess, sys, time
typst, fonts, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
command = [typst, "compile", "--ignore-system-fonts", "--font-path", fonts, "handbook.typ", "handbook.pdf"]
for _ in range(runs):
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(command, check=True)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{wall:.6f} {after.ru_utime - before.ru_utime:.6f} {after.ru_stime - before.ru_stime:.6f} {after.ru_maxrss}")
PY

practices=$(ls configs | grep -c -v '^_')
cores=$(nproc)
python3 - "$practices" "$cores" "$iw $iu $is $im" "$bw $bu $bs $bm" "$nw $nu $ns $nm" typst-times <<'PY'
import statistics, sys
practices, cores = int(sys.argv[1]), int(sys.argv[2])
imp, build, noop = ([float(x) for x in a.split()] for a in sys.argv[3:6])
typst = [[float(x) for x in line.split()] for line in open(sys.argv[6])]
def line(name, t):
    print(f"{name:8} {t[0]:7.1f} s wall, {t[1]:7.1f} s user, {t[2]:5.1f} s sys, {t[3]/1024:6.0f} MB peak")
line("import:", imp); line("build:", build); line("no-op:", noop)
per_practice = (build[1] + build[2]) / practices * 1000
typst_cpu = statistics.median((t[1] + t[2]) * 1000 for t in typst)
typst_wall = statistics.median(t[0] * 1000 for t in typst)
busy = (build[1] + build[2]) / build[0] / cores
print(f"practices: {practices}; CPU per practice: {per_practice:.1f} ms; cores busy: {busy:.0%} of {cores}")
print(f"typst compile of one handbook (cold, median of {len(typst)}): {typst_cpu:.1f} ms CPU, {typst_wall:.1f} ms wall")
print(f"a practice's nine files / one Typst handbook, CPU / CPU: {per_practice / typst_cpu:.2f} (goal <= 0.2)")
print(f"the same, CPU / Typst's wall (flatters Typst, which uses more than one core): {per_practice / typst_wall:.2f}")
print(f"peak memory: {build[3]/1024:.0f} MB (goal <= 500); no-op rebuild: {noop[0]:.2f} s (goal <= 1)")
PY
echo "files: $(find out -type f | wc -l); size: $(du -sh out | cut -f1)"
