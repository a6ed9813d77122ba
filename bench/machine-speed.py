#!/usr/bin/env python3
"""How fast this machine's cores are right now, for reading two runs against each other.

The same build on the same 2 cores drained the same 10,000-lead burst in 245 s and, an hour and a half
later, in 127 s, every process's CPU an email lower by about the same share, the garbage collectors'
work too (docs/benchmarks.md, "2026-12-07 01:46-03:40"): the host under the virtual machine, not the
code. A hash's speed did not move between them. So bench/run prints three probes as each phase
starts and once at its end, each a fixed amount of work timed in this process's CPU time (not the wall clock, so a
busy machine's scheduling does not count), the best of three: SHA-256 (the core alone), a copy of
64 MiB (memory bandwidth) and a chase through a shuffled list (cache misses, the servers' kind of
work). Runs to be read against each other should show the same probes; whether the probes follow the
host's slow hours is for the runs that print them to show.
  python3 bench/machine-speed.py [LABEL]
prints one line: `machine LABEL: sha256 MiB/s, copy GiB/s, chase M hops/s (per CPU-second)`.
"""
import hashlib
import random
import sys
import time

CHUNK = bytes(range(256)) * 4096  # 1 MiB
HASHED_MIB = 128
BUFFER = bytearray(64 * 2**20)
TARGET = bytearray(len(BUFFER))  # touched once here, so the copies below fault no pages
COPIES = 16
# A chain of 2 million hops through a shuffled list: each hop a cache miss over some 70 MB of Python
# objects, as the servers' own work (a JVM's, Go's, PostgreSQL's) misses the caches other tenants share.
HOPS = 2_000_000
ORDER = list(range(HOPS))
random.Random(7).shuffle(ORDER)
CHAIN = [0] * HOPS  # one cycle through all of them, in the shuffled order
for k in range(HOPS):
    CHAIN[ORDER[k]] = ORDER[(k + 1) % HOPS]
del ORDER


def best_rate(work, amount):
    best = 0.0
    for _ in range(3):
        t0 = time.process_time()
        work()
        took = time.process_time() - t0
        best = max(best, amount / took) if took > 0 else best
    return best


def hash_work():
    h = hashlib.sha256()
    for _ in range(HASHED_MIB):
        h.update(CHUNK)


def copy_work():
    for _ in range(COPIES):
        TARGET[:] = BUFFER


def chase_work():
    i = 0
    for _ in range(HOPS):
        i = CHAIN[i]


def main():
    label = sys.argv[1] if len(sys.argv) > 1 else ""
    sha = best_rate(hash_work, HASHED_MIB)
    copy = best_rate(copy_work, COPIES * len(BUFFER) / 2**30)
    chase = best_rate(chase_work, HOPS / 1e6)
    print(f"machine {label}: sha256 {sha:.0f} MiB/s, copy {copy:.2f} GiB/s, chase {chase:.1f} M hops/s"
          " (per CPU-second, best of 3)".replace(" :", ":"), flush=True)


if __name__ == "__main__":
    main()
