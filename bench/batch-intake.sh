#!/usr/bin/env bash
# Benchmark: bulk intake against single calls, measured in the same run on the same servers. Starts
# `dev` (embedded PostgreSQL, the temporal CLI's dev server, GreenMail) on free ports in a temporary
# home, enrols N leads (so every event is a signal to a running journey, as in production), then:
#   events: POST /v1/leads/{id}/events from C client threads  vs  POST /v1/events:batch (B a call),
#           to enrolled leads (a signal each) and to leads with no journey (no signal)
#   leads:  PUT /v1/leads/{id} from C client threads          vs  PUT /v1/leads:batch (B a call)
# and prints both rates side by side with their ratio (the target: batch >= 5x single). An event's
# rate counts until every event of the round is at its journey: answered, and gone from the event
# outbox (one answered "delivered": false, left to the outbox while Temporal is late, is delivered by
# the dispatcher after the answer; dev's PostgreSQL is read for that, BENCH_PG_PORT or dev's log). The
# rate at the answers alone is printed beside it. Each round starts with the outbox empty of this
# run's events and the worker idle (no workflow task for 2 s: the journeys have taken the round before).
#   bench/batch-intake.sh [leads=200] [events=2000] [client threads=8] [batch size=500]
#   (needs the jar: ./mvnw -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/dev-on-free-ports.sh
PYTHONPATH=bench python3 - "$NURTURE_PORT" "${1:-200}" "${2:-2000}" "${3:-8}" "${4:-500}" <<'PY'
import os, re, sys, time, uuid
from concurrent.futures import ThreadPoolExecutor
from benchlib import REFUSED, call, call_retrying, metric_sums, psql, result, wait_for_dev
port, n_leads, n_events, threads, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
wait_for_dev()
if not os.environ.get("BENCH_PG_PORT"):
    os.environ["BENCH_PG_PORT"] = re.search(r"jdbc:postgresql://127.0.0.1:(\d+)",
                                            open(os.path.join(os.environ["NURTURE_HOME"], "dev.log")).read()).group(1)
run = uuid.uuid4().hex[:6]
lead = lambda tag, i: {"id": f"b{run}-{tag}-{i}", "email": f"b{run}-{tag}-{i}@example.com", "consent": "opt_in",
                       "first_name": "Pat", "company": "Initech"}
ids = [l["id"] for l in [lead("j", i) for i in range(n_leads)]]
call("PUT", "/v1/leads:batch", {"leads": [lead("j", i) for i in range(n_leads)]})
with ThreadPoolExecutor(threads) as pool:
    list(pool.map(lambda i: call_retrying("POST", f"/v1/leads/{i}/journey", {"program": "onboarding"}), ids))
print(f"{n_leads} leads enrolled in onboarding; every event below is a signal to a running journey")
def queued(tag=""):
    """This run's events still in the event outbox (of the round `tag`; all rounds when empty)."""
    return int(psql(f"SELECT count(*) FROM event_outbox WHERE lead_id LIKE 'b{run}-%' AND event_id LIKE '{tag}%'"))
def drained(tag="", limit=900):
    t = time.perf_counter()
    while queued(tag):
        if time.perf_counter() - t > limit:
            raise SystemExit(f"the event outbox still holds {queued(tag)} events of round {tag!r} after {limit} s")
        time.sleep(0.1)
def settled(limit=180):
    """Waits until the worker has run no workflow task for 2 s: the journeys have taken what earlier rounds
    delivered, so a round does not pay for the one before it (the SDK's task counter on /prometheus)."""
    t, last, still = time.perf_counter(), None, 0
    while still < 2 and time.perf_counter() - t < limit:
        n = sum(v for k, v in metric_sums("temporal_workflow_task_execution_latency",
                                            ("temporal_workflow_task_execution_latency_seconds",)).items() if k.endswith("_count"))
        still, last = (still + 1 if n == last else 0), n
        time.sleep(1)
    if still < 2:
        print(f"  (the worker still ran workflow tasks after {limit} s; the round starts anyway)")
def rate(label, count, fn, key, tag=None):
    """Items a second until fn's calls are answered and, for events (tag: the round's id prefix), delivered."""
    drained()
    settled()
    t = time.perf_counter(); fn(); answered = time.perf_counter() - t
    s, left = answered, 0
    if tag is not None:
        left = queued(tag + "-")
        drained(tag + "-")
        s = time.perf_counter() - t
    more = f" (answered in {answered:.2f} s, {count / answered:.1f}/s; {left} then still in the outbox)" if tag is not None else ""
    print(f"  {label:<48} {count:>6} in {s:6.2f} s = {count / s:8.1f}/s{more}")
    result(key, count / s, "/s", note=f"{count} items" + (f", until delivered; {count / answered:.1f}/s at the answers, "
                                                          f"{left} left to the outbox" if tag is not None else ""))
    return count / s
quiet = [l["id"] for l in [lead("q", i) for i in range(n_leads)]]
call("PUT", "/v1/leads:batch", {"leads": [lead("q", i) for i in range(n_leads)]})
target = ids
def event(tag, k):
    return {"lead_id": target[k % n_leads], "id": f"{tag}-{k}", "type": "page_visited", "properties": {"page": "blog"}}
def single_events(tag):
    def one(k):
        e = event(tag, k); lid = e.pop("lead_id")
        assert call_retrying("POST", f"/v1/leads/{lid}/events", e)[0] == 202
    with ThreadPoolExecutor(threads) as pool: list(pool.map(one, range(n_events)))
def batch_events(tag):
    queued = 0
    for start in range(0, n_events, size):
        _, r = call("POST", "/v1/events:batch", {"events": [event(tag, k) for k in range(start, min(n_events, start + size))]})
        assert r["failed"] == 0, r
        queued += sum(1 for x in r["results"] if not x.get("delivered", True))
    if queued:  # past intake.batch_deadline: stored, and delivered by the outbox after the answer
        print(f"  ({queued} events answered delivered: false, left to the outbox)")
def single_leads(tag):
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda i: call_retrying("PUT", f"/v1/leads/{lead(tag, i)['id']}", {k: v for k, v in lead(tag, i).items() if k != "id"}), range(n_events)))
def batch_leads(tag):
    for start in range(0, n_events, size):
        _, r = call("PUT", "/v1/leads:batch", {"leads": [lead(tag, i) for i in range(start, min(n_events, start + size))]})
        assert r["failed"] == 0, r
single_events("warm"); batch_events("warmb")
print(f"events ({threads} client threads for single calls; batches of {size}, one at a time; each until delivered):")
s = rate("single POST /v1/leads/{id}/events", n_events, lambda: single_events("s"), "batch.events_single", "s")
b = rate("batch POST /v1/events:batch", n_events, lambda: batch_events("b"), "batch.events_batch", "b")
print(f"  ratio batch / single: {b / s:.1f}x")
target = quiet
print("events of leads with no journey (stored and scored, no signal: the API's own cost):")
s = rate("single POST /v1/leads/{id}/events", n_events, lambda: single_events("qs"), "batch.quiet_single", "qs")
b = rate("batch POST /v1/events:batch", n_events, lambda: batch_events("qb"), "batch.quiet_batch", "qb")
print(f"  ratio batch / single: {b / s:.1f}x")
print("new leads:")
s = rate("single PUT /v1/leads/{id}", n_events, lambda: single_leads("s"), "batch.leads_single")
b = rate("batch PUT /v1/leads:batch", n_events, lambda: batch_leads("b"), "batch.leads_batch")
print(f"  ratio batch / single: {b / s:.1f}x")
if REFUSED[0]:
    print(f"  ({REFUSED[0]} single calls answered 503, each tried again after 1 s)")
PY
