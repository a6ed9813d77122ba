#!/usr/bin/env python3
"""The machine's CPU over a stretch of a phase, from bench/cpu-share.py's per-second OUT.jsonl: each
group's CPU seconds, the cores busy, and, given how many emails (or calls) the stretch did, the
milliseconds of CPU each cost, by group and by the Nurture JVM's threads' kind. How a burst's drain is
read apart from its enrolment, which the same phase runs first.

  bench/cpu-window.py OUT.jsonl START END [COUNT]

START and END: epoch seconds, or UTC times as 2026-12-06T20:48:00; END may be +SECONDS after START (a
burst's drain: START its window's opening, printed by the phase, END +the drain). Rows are the
per-second samples that ended within [START, END]."""
import collections, datetime, json, sys


def instant(text):
    try:
        return float(text)
    except ValueError:
        return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc).timestamp()


def window(rows, start, end):
    """(seconds read, CPU seconds by group, the Nurture JVM's by thread kind) over [start, end]."""
    groups, threads, seconds = collections.Counter(), collections.Counter(), 0
    for row in rows:
        if start <= row["t"] <= end:
            seconds += 1
            groups.update({k: v for k, v in row.items() if k not in ("t", "phase", "threads")})
            threads.update(row.get("threads", {}))
    return seconds, groups, threads


def main():
    path, start = sys.argv[1], instant(sys.argv[2])
    end = start + float(sys.argv[3][1:]) if sys.argv[3].startswith("+") else instant(sys.argv[3])
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    with open(path) as f:
        seconds, groups, threads = window(map(json.loads, f), start, end)
    if not seconds:
        sys.exit(f"no rows of {path} between {start} and {end}")
    whole = sum(groups.values())
    per = (lambda v: f" = {1000 * v / count:.2f} ms each") if count else (lambda v: "")
    print(f"{seconds} samples over {end - start:.0f} s: {whole:.1f} CPU-seconds, {whole / (end - start):.2f} cores busy"
          + per(whole))
    for g, v in groups.most_common():
        if v >= 0.05:
            print(f"  {g:22} {v:8.1f} s{per(v)}")
    if threads:
        print("  the Nurture JVM by its threads' kind:")
        for k, v in threads.most_common():
            if v >= 0.05:
                print(f"    {k:20} {v:8.1f} s{per(v)}")


if __name__ == "__main__":
    main()
