#!/usr/bin/env bash
# Benchmark: the API's request path alone. Starts `dev` on free ports (bench/dev-on-free-ports.sh, the
# temporal CLI's dev server), warms it with 150 enrolments and events, then times 300 enrolments and
# 300 events one at a time: wall time per call, and the CPU of the request threads (`dw-*`, from
# /proc) and of the whole JVM (API, worker, GreenMail) per call. Needs the jar (./mvnw -DskipTests package).
cd "$(dirname "$0")/.."
. bench/dev-on-free-ports.sh
for i in $(seq 1 120); do curl -sf -o /dev/null -H "Authorization: Bearer bench-key" "http://127.0.0.1:$NURTURE_PORT/v1/programs" && break; sleep 1; done
export DEV_PID=$pid
PYTHONPATH=bench python3 - <<'PY'
import os, time
from benchlib import call, process_cpu, thread_cpu
pid = os.environ["DEV_PID"]
cpu = lambda prefix: thread_cpu(pid, prefix)
proc_cpu = lambda: process_cpu(pid)
def leads(tag, n):
    call("PUT", "/v1/leads:batch", {"leads": [{"id": f"{tag}-{i}", "email": f"{tag}-{i}@example.com", "first_name": "Pat"} for i in range(n)]})
    return [f"{tag}-{i}" for i in range(n)]
def run(label, ids, fn):
    c0, p0, t0 = cpu("dw-"), proc_cpu(), time.time()
    lat = []
    for i in ids:
        s = time.time(); fn(i); lat.append(time.time() - s)
    c1, p1, t1 = cpu("dw-"), proc_cpu(), time.time()
    lat.sort()
    print(f"{label}: {len(ids)} calls one at a time, wall p50 {1000*lat[len(lat)//2]:.1f} ms p95 {1000*lat[int(len(lat)*.95)]:.1f} ms; "
          f"request threads {1000*(c1-c0)/len(ids):.1f} ms CPU a call; whole JVM {1000*(p1-p0)/len(ids):.1f} ms a call over {t1-t0:.0f} s", flush=True)
enrol = lambda i: call("POST", f"/v1/leads/{i}/journey", {"program": "onboarding"})
event = lambda i: call("POST", f"/v1/leads/{i}/events", {"id": f"e-{time.time_ns()}", "type": "page_visited", "properties": {"page": "blog"}})
w = leads("warm", 150); m = leads("meas", 300)
run("warm-up enrol", w, enrol); time.sleep(20); run("warm-up event", w, event); time.sleep(20)
run("enrol", m, enrol); time.sleep(30); run("event", m, event)
PY
