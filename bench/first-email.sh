#!/usr/bin/env bash
# Benchmark: first-email latency under load. Starts `dev` on free ports, enrols BURST leads in a
# one-email program whose send window opens at a whole minute ahead (a scheduled burst, as
# bench/burst.sh), and from the opening on, while the burst drains, enrols BULK more leads (16
# threads) in a program that starts with a wait (workflow starts and tasks, no email) and, one every
# PROBE_EVERY seconds, a probe lead in a program whose first step is an `immediate` welcome. Each
# probe's latency is from the enrolment call to the welcome's arrival at the SMTP server (GreenMail's
# received time, read through /dev/mailbox). Beside it, in the same run, probes on the idle system
# before the opening. p50 / p95 / max of each.
#   bench/first-email.sh [burst=2000] [bulk=2000] [probes=30]     (needs the jar: ./mvnw -q -DskipTests package)
# NURTURE_JAR=/path/to/nurture.jar measures another build (e.g. one without the priority lane).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/dev-on-free-ports.sh
PYTHONPATH=bench python3 - "$NURTURE_PORT" "${1:-2000}" "${2:-2000}" "${3:-30}" "${PROBE_EVERY:-2}" <<'PY'
import datetime, statistics, sys, threading, time, urllib.parse
from concurrent.futures import ThreadPoolExecutor
from benchlib import call, publish, publish_burst, wait_for_dev, window_opening
port, burst, bulk, probes, every = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
wait_for_dev()
opens = window_opening(burst / 5 + 90)
publish_burst("bench-burst", opens, template="onboarding-problem", name="First-email benchmark, the scheduled burst")
programs = {
    "bench-bulk": """id: bench-bulk
name: First-email benchmark, the bulk enrolment (a wait first)
send_policy: none
steps:
  - { id: settle, wait: 30d }
  - { id: news, send: onboarding-problem }
""",
    "bench-welcome": """id: bench-welcome
name: First-email benchmark, an immediate welcome
send_policy: none
steps:
  - { id: welcome, send: { template: onboarding-welcome, immediate: true } }
  - { id: later, wait: 30d }
""",
}
for pid, yaml in programs.items():
    publish(pid, yaml)
run = str(int(time.time()))
def enrol(lead, program):
    call("PUT", f"/v1/leads/{lead}", {"email": f"{lead}@example.com", "first_name": "Pat", "timezone": "UTC"})
    call("POST", f"/v1/leads/{lead}/journey", {"program": program})
def received(lead):
    _, mailbox = call("GET", "/dev/mailbox?to=" + urllib.parse.quote(f"{lead}@example.com"))
    msgs = mailbox["messages"]
    if not msgs: return None
    at = msgs[0].get("received_at")
    return datetime.datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp() if at else time.time()
latencies = {}
def probe(kind, i):
    lead = f"probe-{run}-{kind}-{i}"
    t0 = time.time()
    enrol(lead, "bench-welcome")
    while True:
        at = received(lead)
        if at is not None:
            latencies.setdefault(kind, []).append(max(0.0, at - t0)); return
        if time.time() - t0 > 1800: latencies.setdefault(kind, []).append(float("inf")); return
        time.sleep(0.2)
def summary(kind):
    xs = sorted(latencies.get(kind, []))
    if not xs: return "no probes"
    p95 = xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]
    return f"n={len(xs)} p50 {statistics.median(xs):.2f} s, p95 {p95:.2f} s, max {xs[-1]:.2f} s"
t0 = time.time()
with ThreadPoolExecutor(16) as pool:
    list(pool.map(lambda i: enrol(f"burst-{run}-{i}", "bench-burst"), range(burst)))
print(f"enrolled {burst} burst leads in {time.time() - t0:.0f} s; the window opens at {opens:%H:%M:%S} UTC")
for i in range(10):
    if opens.timestamp() - time.time() < 30: break  # no idle probe may run into the burst
    probe("idle", i)
print(f"idle:        {summary('idle')}")
wait = opens.timestamp() - time.time()
if wait < 0:
    sys.exit("the enrolment ran past the window's opening: use fewer leads")
time.sleep(wait)
start = time.time()
bulk_done = threading.Event()
def bulk_enrol():
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda i: enrol(f"bulk-{run}-{i}", "bench-bulk"), range(bulk)))
    print(f"bulk enrolment of {bulk} done {time.time() - start:.0f} s after the opening ({bulk / (time.time() - start):.1f}/s)")
    bulk_done.set()
threading.Thread(target=bulk_enrol, daemon=True).start()
with ThreadPoolExecutor(probes) as pool:
    futures = []
    for i in range(probes):
        futures.append(pool.submit(probe, "load", i))
        time.sleep(every)
    for f in futures: f.result()
bulk_done.wait()
print(f"under load:  {summary('load')}  (burst of {burst} draining, bulk enrolment of {bulk} running)")
PY
