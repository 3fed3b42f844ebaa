#!/usr/bin/env bash
# Times `reply check` and `reply draft` as reception runs them: a cold
# process per draft, the median of 21 runs (7 for the largest draft), on the
# example practice. Usage: bash benches/reply.sh [BINARY ...]
# (default: the release binary, built first).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
    cargo build --release --quiet
    set -- target/release/policypack
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'Thank you for your feedback, and we are sorry you are unhappy. Please call our Practice Manager on 0114 496 0457.' >"$work/draft.txt"
printf 'Waited 40 minutes on the phone then told no appointments. Shocking.' >"$work/review.txt"
# The largest draft and review the commands take (64 KB): words the rules
# look for, densely, so every rule has work to do.
python3 - "$work" <<'PY'
import random, sys
random.seed(1)
words = ("thank you for your feedback we are sorry to hear about the wait please call our "
         "practice manager on the phone appointment nurse doctor rash Tuesday 3.40 Sarah "
         "voucher priority").split()
text = " ".join(random.choice(words) + ("." if random.random() < 0.1 else "") for _ in range(11000))
open(f"{sys.argv[1]}/big.txt", "w").write(text[:61000])
open(f"{sys.argv[1]}/big-review.txt", "w").write(text[:30000])
PY
python3 - "$work" "$@" <<'PY'
import subprocess, sys, time
work, binaries = sys.argv[1], sys.argv[2:]
config = "practice-configs/ashfield-medical-centre.toml"
def median(args, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True)
        times.append(time.perf_counter() - start)
    return sorted(times)[runs // 2] * 1000
for binary in binaries:
    check = median([binary, "reply", "check", f"{work}/draft.txt", "--review", f"{work}/review.txt", "--config", config], 21)
    draft = median([binary, "reply", "draft", "--review", f"{work}/review.txt", "--config", config], 21)
    big = median([binary, "reply", "check", f"{work}/big.txt", "--review", f"{work}/big-review.txt",
                  "--config", config, "--message-format", "json"], 7)
    print(f"{binary}: check {check:.0f} ms, draft {draft:.0f} ms, 61 KB draft {big:.0f} ms")
PY
