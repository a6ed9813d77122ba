#!/usr/bin/env python3
"""CPU seconds (and bytes written to disk) by process group while a benchmark runs: what bounds a figure
on this machine.

  bench/cpu-share.py OUT.jsonl -- COMMAND [ARGS...]

Runs COMMAND; every second reads /proc for every process and adds its CPU time (user + system) to
its group: the Nurture JVM (`nurture.jar`), the bench client JVM, the Temporal server (the CLI's dev
server or the Go server), PostgreSQL's backends for Temporal's databases and for Nurture's, its
background processes, or other. Writes one JSON line per second (the time, each group's CPU seconds in
that second, and under "threads" the Nurture JVM's by its threads' kind) to OUT.jsonl (bench/cpu-window.py
reads a stretch of it), and prints each group's share of the whole run, and the
megabytes each group had written (`write_bytes` of /proc/PID/io; PostgreSQL's WAL writer and
checkpointer count as pg-background) beside what the machine's disks took (the sectors written in
/proc/diskstats, every whole non-loop disk). `write_bytes` counts a page each time a process dirties it:
a file page written again after its last write-back (a WAL page that every commit rewrites and
syncs) counts each time, so a group's figure can be many times what reached the disk; the disks'
figure is what reached it, from every process on the machine.
Lines COMMAND prints that start with `PHASE name` (IntakeBench does) mark phases: the summary
gives each group's CPU per phase, and the Nurture JVM's CPU by its threads' kind (`THREADS`: the
request threads, the worker's, the JIT compilers, the garbage collector...), so a phase that pays for
compiling code the phase before it did not run shows it. Python stdlib only; Linux /proc.
"""
import collections, json, os, subprocess, sys, threading, time

TICK = os.sysconf("SC_CLK_TCK")


def group(cmdline):
    if "nurture.jar" in cmdline:
        return "nurture"
    if "com.nurture.api.bench" in cmdline:
        return "bench-client"
    if "temporal" in cmdline and ("server" in cmdline or "start-dev" in cmdline):
        return "temporal"
    if cmdline.startswith("postgres:"):  # a backend names its database: Temporal's two, or Nurture's
        if " temporal" in cmdline:
            return "pg-temporal"
        return "pg-nurture" if "(" in cmdline else "pg-background"  # checkpointer, WAL writer...
    if "postgres" in cmdline.split(" ")[0]:
        return "pg-background"
    first = cmdline.split(" ")[0]
    return "other:" + (os.path.basename(first) if first else "kernel")


# The Nurture JVM's threads by their name's start (/proc/PID/task/TID/comm, 15 characters); the first
# that matches names the kind, and any other thread is "other".
THREADS = [
    ("requests", ("dw-",)),
    # GreenMail, dev's mail server (its threads are named PROTOCOL:ADDRESS:PORT): the mail a phase sends
    # lands in the same JVM, where production's mail server is another machine.
    ("smtp-sink", ("smtp:", "smtps:", "imap:", "imaps:", "pop3:", "pop3s:")),
    ("jit", ("C1 CompilerThre", "C2 CompilerThre")),
    ("gc", ("GC Thread", "G1 ", "VM Thread", "VM Periodic")),
    ("workflow", ("workflow-", "Workflow", "WorkflowPoller", "Host Local")),
    ("activities", ("Activity", "Local Activity", "LocalActivity", "smtp", "send")),
    ("grpc", ("grpc-",)),
    ("outbox", ("event-outbox",)),
]


def cpu_seconds(stat):
    """User + system CPU seconds from the text of a /proc/PID/stat or /proc/PID/task/TID/stat."""
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def thread_kind(name):
    return next((kind for kind, starts in THREADS if name.startswith(starts)), "other")


def nurture_threads(pids):
    """CPU seconds so far of the Nurture JVMs' threads, by (pid, tid, kind)."""
    out = collections.Counter()
    for pid in pids:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            out[(pid, tid, thread_kind(stat[stat.index("(") + 1:stat.rindex(")")]))] = cpu_seconds(stat)
    return out


GROUPS = {}  # pid -> its group as first seen (an exiting process's cmdline reads empty)


def written(pid):
    try:
        with open(f"/proc/{pid}/io") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("write_bytes:"))
    except (OSError, StopIteration, ValueError):
        return 0


# The machine's whole disks, read once: the set does not change while a benchmark runs.
DISKS = {d for d in os.listdir("/sys/block") if not d.startswith(("loop", "ram", "zram"))}


def disk_written():
    """Bytes written to DISKS so far (sectors of 512 bytes, /proc/diskstats)."""
    with open("/proc/diskstats") as f:
        return sum(int(p[9]) * 512 for p in (l.split() for l in f) if p[2] in DISKS)


def snapshot():
    """CPU seconds and bytes written so far, by (pid, group)."""
    out, disk = collections.Counter(), collections.Counter()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        key = (pid, GROUPS.setdefault(pid, group(cmd)))
        out[key] = cpu_seconds(stat)
        disk[key] = written(pid)
    return out, disk


def main():
    out_path, cmd = sys.argv[1], sys.argv[sys.argv.index("--") + 1:]
    phases = []  # (name, start time)
    per_phase = collections.defaultdict(collections.Counter)
    per_phase_disk = collections.defaultdict(collections.Counter)
    totals = collections.Counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)

    def read():
        for line in proc.stdout:
            sys.stdout.write(line); sys.stdout.flush()
            if line.startswith("PHASE "):
                phases.append((line.split()[1], time.time()))
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    per_phase_threads = collections.defaultdict(collections.Counter)
    prev, prev_disk = snapshot()
    prev_threads = nurture_threads([pid for pid, g in GROUPS.items() if g == "nurture"])
    prev_block = disk_written()
    per_phase_block = collections.Counter()
    with open(out_path, "w") as out:
        while proc.poll() is None:
            time.sleep(1)
            now, now_disk = snapshot()
            second, second_disk = collections.Counter(), collections.Counter()
            for key, cpu in now.items():
                second[key[1]] += max(0.0, cpu - prev.get(key, 0.0))  # a new process: all its CPU so far
                second_disk[key[1]] += max(0, now_disk[key] - prev_disk.get(key, 0))
            prev, prev_disk = now, now_disk
            threads = nurture_threads([pid for pid, g in GROUPS.items() if g == "nurture"])
            phase_threads = per_phase_threads[phases[-1][0] if phases else "-"]
            second_threads = collections.Counter()
            for key, cpu in threads.items():
                second_threads[key[2]] += max(0.0, cpu - prev_threads.get(key, 0.0))
            phase_threads.update(second_threads)
            prev_threads = threads
            block = disk_written()
            phase = phases[-1][0] if phases else "-"
            per_phase_block[phase] += block - prev_block
            prev_block = block
            per_phase[phase].update(second)
            per_phase_disk[phase].update(second_disk)
            totals.update(second)
            out.write(json.dumps({"t": round(time.time(), 1), "phase": phase, **{k: round(v, 2) for k, v in second.items()},
                                  "threads": {k: round(v, 2) for k, v in second_threads.items()}}) + "\n")
    reader.join(timeout=5)
    print("CPU seconds by group (2 cores = 2 CPU-seconds per second):")
    for phase, counts in per_phase.items():
        whole = sum(counts.values()) or 1
        print(f"  {phase:24} " + "  ".join(f"{g} {v:.1f} s ({100 * v / whole:.0f}%)" for g, v in counts.most_common(7)
                                          if v >= 0.05))
    print("The Nurture JVM's CPU seconds by its threads' kind:")
    for phase, counts in per_phase_threads.items():
        if sum(counts.values()) >= 0.05:
            print(f"  {phase:24} " + "  ".join(f"{k} {v:.1f} s" for k, v in counts.most_common() if v >= 0.05))
    print("MB written by group (write_bytes: each dirtying of a page), and to the disks:")
    for phase, counts in per_phase_disk.items():
        print(f"  {phase:24} " + "  ".join(f"{g} {v / 1e6:.1f}" for g, v in counts.most_common(5) if v >= 1e5)
              + f"  | disks {per_phase_block[phase] / 1e6:.1f}")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
