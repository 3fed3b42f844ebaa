#!/usr/bin/env bash
# The web app's figures (BENCHMARKS.md, "The web app"): the release
# binary serving the example configs plus 43 practices imported from the
# NHS ODS list (an LMC-sized folder), measured from outside with a load
# generator:
#
#   1. one reception user checking replies, one request after another:
#      time a request (goal: 50 ms or less);
#   2. a practice manager saving an edit and opening the practice's page,
#      which rebuilds what changed (goal: 300 ms or less together);
#   3. 50 reception users checking replies at once for 20 s: the 95th
#      percentile (goal: 200 ms or less).
#
#   bash benches/serve.sh [WORK_DIR]        (default: target/bench-serve)
#
# Installs oha (a load generator, from crates.io) into target/oha on first
# use. Set BESIDE=1 to run a national build (benches/national.sh's
# configs) beside the measurements.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(realpath -m "${1:-target/bench-serve}")
oha=$PWD/target/oha/bin/oha
[ -x "$oha" ] || cargo install oha --locked --root target/oha
cargo build --release -q
bin=$PWD/target/release/policypack
rm -rf "$work" && mkdir -p "$work"
cp -r practice-configs "$work/configs"
"$bin" import epraccur ../shared/data/ods/epraccur.csv --into "$work/configs/doncaster-lmc" \
    --postcode-prefix S6 --extends _lmc.toml -q
configs=$(find "$work/configs" -name '*.toml' ! -name '_*' | wc -l)

"$bin" serve "$work/configs" -o "$work/out" --addr 127.0.0.1:0 > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q serving "$work/serve.log" && break; sleep 0.1; done
addr=$(grep -o '127.0.0.1:[0-9]*' "$work/serve.log" | head -1)
csrf=$(curl -s "http://$addr/reply" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
body=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlencode({"csrf": sys.argv[1], "practice": "ashfield-medical-centre", "review": "Waited forty minutes past my appointment and nobody said sorry.", "draft": "Thank you for your feedback, and we are sorry you were kept waiting. Please call our practice manager on 0114 496 0456 so that we can look into it. The Practice Team, Ashfield Medical Centre", "action": "check"}))' "$csrf")
if [ -n "${BESIDE:-}" ]; then
    # In a process group of its own, so the build it runs stops with it.
    setsid bash benches/national.sh "$work/national" > "$work/national.log" 2>&1 &
    beside=$!
    sleep 30
fi
post=(-m POST -H "Content-Type: application/x-www-form-urlencoded" -d "$body" --no-tui --output-format json)
# Warm: the first check parses the templates and finds the practice.
"$oha" -n 5 -c 1 "${post[@]}" "http://$addr/reply" > /dev/null
"$oha" -n 300 -c 1 "${post[@]}" "http://$addr/reply" > "$work/one.json"
"$oha" -z 20s -c 50 "${post[@]}" "http://$addr/reply" > "$work/fifty.json"
python3 benches/serve_edit.py "$addr" 15 > "$work/edit.txt"
[ -n "${BESIDE:-}" ] && { kill -- -"$beside" 2>/dev/null || true; }

python3 - "$work" "$configs" <<'PY'
import json, sys
work, configs = sys.argv[1], sys.argv[2]
def load(name):
    return json.load(open(f"{work}/{name}"))
one, fifty = load("one.json"), load("fifty.json")
ms = lambda s: f"{s * 1000:.1f} ms"
def codes(run):
    return ", ".join(f"{k}: {v}" for k, v in sorted(run["statusCodeDistribution"].items()))
print(f"configs served: {configs}")
print(f"1. one user, reply check: mean {ms(one['summary']['average'])}, median {ms(one['latencyPercentiles']['p50'])}, p95 {ms(one['latencyPercentiles']['p95'])} ({one['summary']['requestsPerSec']:.0f} requests/s; status {codes(one)})")
print(f"3. 50 users at once, 20 s: p95 {ms(fifty['latencyPercentiles']['p95'])}, median {ms(fifty['latencyPercentiles']['p50'])}, {fifty['summary']['requestsPerSec']:.0f} requests/s (status {codes(fifty)})")
print(open(f"{work}/edit.txt").read().strip())
PY
