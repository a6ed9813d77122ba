#!/usr/bin/env bash
# Benchmark: what a Prometheus scrape costs the process. Starts `dev` from the built jar (NURTURE_JAR to
# measure another build) on free ports (bench/dev-on-free-ports.sh), fills its timers with 300 enrolments
# and 600 events, waits 30 s, then reads the JVM's CPU (/proc, less its idle rate measured just before)
# over 300 scrapes of one counter (`?name[]=`, as the intake phase's idle probe polls it every 500 ms)
# and over 60 whole pages (the baseline: what a scraper that asks for everything pays).
#   bench/scrape-cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/dev-on-free-ports.sh
export DEV_PID=$pid
PYTHONPATH=bench python3 - <<'PY'
import http.client, os, time
from benchlib import call, wait_for_dev
pid, admin = os.environ["DEV_PID"], int(os.environ["NURTURE_ADMIN_PORT"])

def cpu():
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def scrape(query):
    conn = http.client.HTTPConnection("127.0.0.1", admin, timeout=60)
    try:
        conn.request("GET", "/prometheus" + query)
        return len(conn.getresponse().read())
    finally:
        conn.close()

wait_for_dev()
call("PUT", "/v1/leads:batch", {"leads": [{"id": f"scrape-{i}", "email": f"scrape-{i}@example.com", "first_name": "Pat"} for i in range(300)]})
for i in range(300):
    call("POST", f"/v1/leads/scrape-{i}/journey", {"program": "onboarding"})
for k in range(2):
    for i in range(300):
        call("POST", f"/v1/leads/scrape-{i}/events", {"id": f"scrape-{k}-{i}", "type": "page_visited", "properties": {"page": "blog"}})
time.sleep(30)
for label, query, n in [("one counter (name[])", "?name%5B%5D=temporal_workflow_task_execution_latency_seconds", 300),
                        ("the whole page", "", 60)]:
    scrape(query)
    before = cpu(); time.sleep(5); idle = (cpu() - before) / 5
    start, c0 = time.time(), cpu()
    for _ in range(n):
        size = scrape(query)
    took = time.time() - start
    spent = cpu() - c0 - idle * took
    print(f"{label:22s} {n} scrapes of {size} bytes: {1000 * spent / n:.2f} ms of the JVM's CPU a scrape "
          f"(its idle {1000 * idle:.0f} ms a second taken off), {1000 * took / n:.2f} ms a scrape")
PY
