#!/usr/bin/env python3
"""A/B of policypack binaries on one set of practice configs.

    python3 benches/ab.py CONFIGS ROUNDS JOBS BIN [BIN ...]

Each round builds CONFIGS once with each binary, in a random order, into a
fresh output folder and state folder on tmpfs (/dev/shm), so that the disk
does not decide the result; then prints, for each binary, the median CPU
(user + system, from getrusage) and wall time. Make a set with, e.g.:

    mkdir set && cp target/bench-national/configs/_lmc.toml set/ &&
    ls target/bench-national/configs | grep -v '^_' | head -100 |
        sed 's|^|target/bench-national/configs/|' | xargs cp -t set
"""
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time

configs, rounds, jobs, binaries = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
out, state = "/dev/shm/policypack-ab-out", "/dev/shm/policypack-ab-state"
runs = {binary: [] for binary in binaries}
for _ in range(rounds):
    for binary in random.sample(binaries, len(binaries)):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(state, ignore_errors=True)
        os.makedirs(state)
        env = dict(os.environ, XDG_STATE_HOME=state)
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        command = [binary, "build", configs, "-o", out, "-q", "-j", jobs]
        subprocess.run(command, check=True, env=env)
        wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        runs[binary].append((cpu, wall))
shutil.rmtree(out, ignore_errors=True)
shutil.rmtree(state, ignore_errors=True)
for binary, measured in runs.items():
    cpu = statistics.median(c for c, _ in measured)
    wall = statistics.median(w for _, w in measured)
    print(f"{binary}: CPU {cpu:.3f} s, wall {wall:.3f} s (median of {len(measured)})")
