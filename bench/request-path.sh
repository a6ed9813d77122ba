#!/usr/bin/env bash
# Benchmark: the API's request path alone. Starts `dev` on free ports (bench/dev-on-free-ports.sh, the
# temporal CLI's dev server), warms it with 150 enrolments and events, then times 300 enrolments and
# 300 events one at a time: wall time per call, and the CPU of the request threads (`dw-*`, from
# /proc) and of the whole JVM (API, worker, GreenMail) per call. Needs the jar (./mvnw -DskipTests package).
cd "$(dirname "$0")/.."
. bench/dev-on-free-ports.sh
export DEV_PID=$pid
PYTHONPATH=bench python3 - <<'PY'
import os, time
from benchlib import call, one_at_a_time, wait_for_dev
pid = os.environ["DEV_PID"]
wait_for_dev()
def leads(tag, n):
    call("PUT", "/v1/leads:batch", {"leads": [{"id": f"{tag}-{i}", "email": f"{tag}-{i}@example.com", "first_name": "Pat"} for i in range(n)]})
    return [f"{tag}-{i}" for i in range(n)]
run = lambda label, ids, fn: one_at_a_time(label, pid, ids, fn)
enrol = lambda i: call("POST", f"/v1/leads/{i}/journey", {"program": "onboarding"})
event = lambda i: call("POST", f"/v1/leads/{i}/events", {"id": f"e-{time.time_ns()}", "type": "page_visited", "properties": {"page": "blog"}})
w = leads("warm", 150); m = leads("meas", 300)
run("warm-up enrol", w, enrol); time.sleep(20); run("warm-up event", w, event); time.sleep(20)
run("enrol", m, enrol); time.sleep(30); run("event", m, event)
PY
