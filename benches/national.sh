#!/usr/bin/env bash
# The national-scale benchmark: every active GP practice in England from the
# NHS ODS epraccur.csv (6,830 practices), imported and built with the release
# binary, then rebuilt with nothing changed. Wall time, CPU and peak memory
# come from GNU time. Results go in BENCHMARKS.md.
#
#   bash benches/national.sh [WORK_DIR]     (default: target/bench-national)
set -euo pipefail
cd "$(dirname "$0")/.."
csv=../shared/data/ods/epraccur.csv
work=$(realpath -m "${1:-target/bench-national}")
cargo build --release -q
bin=$PWD/target/release/policypack
rm -rf "$work" && mkdir -p "$work"
cp practice-configs/doncaster-lmc/_lmc.toml "$work/_lmc.toml"
fmt="%e s wall, %U s user, %S s sys, %M KB peak memory"

/usr/bin/time -f "import:  $fmt" "$bin" import epraccur "$csv" --into "$work/configs" --extends ../_lmc.toml -q
cd "$work"
/usr/bin/time -f "build:   $fmt" "$bin" build configs -o out -q
/usr/bin/time -f "no-op:   $fmt" "$bin" build configs -o out -q
echo "practices: $(ls configs | wc -l); files: $(find out -type f | wc -l); size: $(du -sh out | cut -f1)"
