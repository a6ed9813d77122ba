"""The measures of bench/run that drive a running `dev` over HTTP (python3, standard library only).

  suite.py sleeping N          N leads asleep in a 30-day wait: heap after GC, bytes per journey
  suite.py burst N RATE        N leads whose email falls due at one instant (a send window's opening)
  suite.py first-email BULK    enrol-to-SMTP latency of `immediate` welcomes, alone and while a
                               BULK-lead batch enrolment and a BULK-lead scheduled burst run

Reads NURTURE_PORT, NURTURE_ADMIN_PORT, BENCH_DEV_PID, BENCH_PG_PORT, BENCH_TEMPORAL (dev|postgres),
BENCH_TEMPORAL_TARGET, NURTURE_HOME, BENCH_TEMPORAL_DIR, BENCH_OUT from bench/run. Prints progress and
`RESULT {json}` lines (bench/table.py reads them).
"""
import datetime, glob, json, os, re, subprocess, sys, threading, time
from concurrent.futures import ThreadPoolExecutor

from benchlib import (REFUSED, call, call_retrying, count_sent, log, metric_sums, psql, publish, publish_burst, result,
                      window_opening)

env = os.environ
run = str(int(time.time()))[-6:]


def heap_after_gc():
    """The dev JVM's (API + worker + GreenMail) used heap after a full GC, in bytes."""
    pid = env["BENCH_DEV_PID"]
    subprocess.run(["jcmd", pid, "GC.run"], check=True, capture_output=True)
    out = subprocess.run(["jcmd", pid, "GC.heap_info"], check=True, capture_output=True, text=True).stdout
    m = re.search(r"total \d+K, used (\d+)K", out)
    return int(m.group(1)) * 1024


def temporal_store_bytes():
    if env.get("BENCH_TEMPORAL") == "postgres":
        out = subprocess.run(["bash", "ops/temporal-postgres.sh", "sizes", "--dir", env["BENCH_TEMPORAL_DIR"]],
                             check=True, capture_output=True, text=True).stdout
        return sum(int(line.split()[1]) for line in out.splitlines() if line.strip())
    return sum(os.path.getsize(f) for f in glob.glob(os.path.join(env["NURTURE_HOME"], "temporal.db*")))


def nurture_pg_bytes():
    return int(psql("SELECT pg_database_size('postgres')"))


def retried(fn, tries=4):
    """A batch again after a dropped or cut answer: its items are idempotent (lead id, event id)."""
    for k in range(tries):
        try:
            return fn()
        except Exception as e:
            if k == tries - 1:
                raise
            log(f"retrying a batch after {type(e).__name__}: {str(e)[:120]}")
            time.sleep(2)


def enrol_by_trigger(tag, form, n, size=200, callers=2):
    """n new leads through PUT /v1/leads:batch, then enrolled by a triggering event through POST /v1/events:batch."""
    ids = [f"{tag}-{run}-{i}" for i in range(n)]
    chunks = [ids[k:k + size] for k in range(0, n, size)]

    def leads(chunk):
        _, r = retried(lambda: call("PUT", "/v1/leads:batch", {"leads": [
            {"id": i, "email": f"{i}@example.com", "first_name": "Pat", "timezone": "UTC", "consent": "opt_in"}
            for i in chunk]}))
        assert r["failed"] == 0, r

    def events(chunk):
        _, r = retried(lambda: call("POST", "/v1/events:batch", {"events": [
            {"lead_id": i, "id": f"enrol-{i}", "type": "form_submitted", "properties": {"form": form}} for i in chunk]}))
        assert r["failed"] == 0, r

    with ThreadPoolExecutor(callers) as pool:
        list(pool.map(leads, chunks))
        list(pool.map(events, chunks))
    return ids


def asleep(program, step):
    """Journeys whose workflow recorded the wait at that step (Nurture's mirror: step and the wait's end)."""
    return int(psql(f"SELECT count(*) FROM journeys WHERE program_id = '{program}' AND current_step = '{step}' "
                    f"AND next_action_at IS NOT NULL"))


def sleeping(n):
    publish("bench-sleep", """id: bench-sleep
trigger: { event: form_submitted, where: { form: bench-sleep } }
steps:
  - { id: nap, wait: 30d }
  - { id: hello, send: onboarding-welcome }
""")
    heap0, store0, pg0 = heap_after_gc(), temporal_store_bytes(), nurture_pg_bytes()
    t0 = time.time()
    enrol_by_trigger("sleep", "bench-sleep", n)
    accepted = time.time() - t0
    log(f"sleeping: {n} leads stored and triggered in {accepted:.0f} s; waiting until every journey is in its wait")
    deadline, last = time.time() + max(600, n / 5), -1
    while True:
        c = asleep("bench-sleep", "nap")
        if c >= n or time.time() > deadline:
            break
        if c != last:
            log(f"sleeping: {c} of {n} in the wait")
            last = c
        time.sleep(5)
    took = time.time() - t0
    log(f"sleeping: {c} of {n} journeys in the wait {took:.0f} s after the first batch ({c / took:.1f}/s)")
    result("enrol.batch_trigger", c / took, "/s", note=f"{n} leads: leads:batch + events:batch trigger, until asleep")
    time.sleep(10)
    heap1, store1, pg1 = heap_after_gc(), temporal_store_bytes(), nurture_pg_bytes()
    result("sleeping.heap", heap1 / 2**20, "MiB", note=f"{c} asleep; {heap0 / 2**20:.0f} MiB before (dev JVM: API, worker, GreenMail)")
    result("sleeping.heap_before", heap0 / 2**20, "MiB")
    result("sleeping.n", c, "journeys")
    result("sleeping.temporal_bytes", (store1 - store0) / max(c, 1), "B/journey",
           note="SQLite file delta" if env.get("BENCH_TEMPORAL") != "postgres" else "temporal + visibility DB size delta")
    result("sleeping.pg_bytes", (pg1 - pg0) / max(c, 1), "B/journey", note="Nurture's PostgreSQL database size delta")


def next_opening(n, rate):
    return window_opening(n / rate * 1.3 + 45)


def drain(program, n, opens, cap):
    """Seconds from the opening until the worker counts n emails sent, and until the first. Each look
    is a scrape of /prometheus, which costs the Nurture JVM CPU the bare workflow's count does not
    (a JFR profile of a 3,000 burst put 11% of the JVM's samples in the admin thread at a look every
    0.5 s), so it looks rarely while most is still to go and every 0.25 s near the end."""
    time.sleep(max(0, opens.timestamp() - time.time()))
    start, first = time.time(), None
    while True:
        s = count_sent(program)
        now = time.time() - start
        if s > 0 and first is None:
            first = now
        if s >= n:
            return now, first
        if now > cap:
            log(f"{program}: only {s:.0f} of {n} sent after {cap} s")
            return None, first
        # A tenth of the time the rest would take at the rate so far, between 0.25 and 5 s.
        time.sleep(min(5.0, max(0.25, (n - s) / (s / now) / 10)) if s > 0 else 0.5)


def until_asleep(program, n, opens):
    """Waits until every journey has taken its first steps (its mirror row at the send, waiting for the
    window) or the opening comes, whichever is first, and says which. The API answers an enrolment once the journey is
    started; its first workflow task may run minutes later behind the others', and on a slow host
    those still running at the opening are drained with the burst (2026-12-07 04:44: 50,000 enrolled
    in 619 s, the worker busy with their first tasks until the opening 8 minutes later)."""
    while True:
        c = asleep(program, "news")
        left = opens.timestamp() - time.time()
        if c >= n:
            log(f"burst: all {n} journeys asleep {left:.0f} s before the opening")
            return
        if left <= 0:
            log(f"burst: {c} of {n} journeys asleep at the opening: the others' first steps ran in the drain "
                f"below, which includes them (a lower BENCH_ENROL_RATE opens the window later)")
            return
        time.sleep(min(5.0, left))


def burst(n, rate):
    program = f"bench-burst-{run}"
    opens = next_opening(n, rate)
    publish_burst(program, opens, form=program)
    releases = "nurture_worker_sticky_releases_total"
    failed = "temporal_workflow_task_execution_failed_total"
    released0 = metric_sums(releases).get(releases, 0.0)
    failed0 = metric_sums(failed).get(failed, 0.0)
    t0 = time.time()
    ids = enrol_by_trigger("burst", program, n)
    enrolled = time.time() - t0
    log(f"burst: {n} leads enrolled in {enrolled:.0f} s; the window opens at {opens:%H:%M:%S} UTC")
    if time.time() > opens.timestamp():
        log("burst: the enrolment ran past the opening: the drain below includes enrolment")
    else:
        until_asleep(program, n, opens)
    cache0 = metric_sums("temporal_sticky_cache")
    took, first = drain(program, n, opens, 7200)
    # Counters as the drain's difference, the cache's size as it ended.
    cache = {k: v - cache0.get(k, 0.0) if k.endswith("_total") else v
             for k, v in metric_sums("temporal_sticky_cache").items()}
    # The journeys' first tasks run after the enrolment's answers, up to the opening: counted after the drain.
    log(f"burst: workflow tasks that gave up the sticky queue since the enrolment began (worker.sticky_max_sleep): "
        f"{metric_sums(releases).get(releases, 0.0) - released0:.0f}")
    # A workflow task failed and run again: under a backlog on 2 cores, mostly the SDK's deadlock detector
    # finding a workflow thread that waited for a core (worker.deadlock_detection_timeout).
    log(f"burst: workflow tasks failed since the enrolment began: {metric_sums(failed).get(failed, 0.0) - failed0:.0f}")
    log("burst: the worker's workflow cache over the drain: "
        + ", ".join(f"{k.removeprefix('temporal_sticky_cache_')} {v:.0f}" for k, v in sorted(cache.items())))
    if took is not None:
        log(f"burst: all {n} at the SMTP server {took:.1f} s after the opening ({n / took:.1f}/s); first after {first:.1f} s")
        result("burst.nurture", took, "s", note=f"n={n}")
    with open(os.path.join(env["BENCH_OUT"], "burst-ids.txt"), "w") as f:
        f.write("\n".join("lead-" + i for i in ids[:10000]))
    print(f"DUE {int(opens.timestamp() * 1000)}", flush=True)


def trickle(stop, every, out, phase):
    """One enrolment in the shipped onboarding program (its welcome is `immediate`) every `every` seconds;
    each phase's leads its own (a lead enrolled again keeps its first welcome)."""
    k = 0
    while not stop.is_set():
        lead = f"trickle-{run}-{phase}-{k}"
        k += 1
        try:
            call("PUT", f"/v1/leads/{lead}", {"email": f"{lead}@example.com", "first_name": "Pat", "timezone": "UTC"})
            t = time.time()
            # As an MA system does: a 503 is tried again after a second, for up to 60 s (counted in
            # REFUSED); the latency runs from the first try, so refusals count in it.
            status, _ = call_retrying("POST", f"/v1/leads/{lead}/journey", {"program": "onboarding"})
            # the lead, when enrolled, how long the call took, whether it was queued (202: Temporal late;
            # its welcome's latency counts the wait in the outbox)
            out.append((lead, t, time.time() - t, status == 202))
        except Exception as e:  # a refused call is reported, the trickle goes on
            log(f"trickle: {lead}: {e}")
        stop.wait(every)


def sent_times(enrolled):
    """When each enrolled lead's welcome was accepted by the SMTP server (epoch s), for those sent so far."""
    ids = ",".join(f"'{lead}'" for lead, *_ in enrolled)
    rows = psql(f"SELECT lead_id, extract(epoch FROM sent_at) FROM messages WHERE lead_id IN ({ids}) "
                f"AND step_id = 'welcome' AND sent_at IS NOT NULL")
    return {lead: float(at) for lead, at in (line.split("|") for line in rows.splitlines() if line)}


def history_times(workflow_id):
    """A journey's first events' times (epoch s) by kind, from its history through the temporal CLI."""
    out = subprocess.run(["temporal", "workflow", "show", "--address", env["BENCH_TEMPORAL_TARGET"], "-w", workflow_id,
                          "-o", "json"], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        return {}
    first = {}
    for e in json.loads(out.stdout).get("events", []):
        kind = str(e.get("eventType", "")).upper().replace("EVENT_TYPE_", "").replace("_", "")
        # RFC 3339 in UTC with up to nine fractional digits ("2026-12-05T05:30:01.123456789Z")
        m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$", e["eventTime"])
        at = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
        first.setdefault(kind, at.timestamp() + float("0." + (m.group(2) or "0")))
    return first


def where_the_tail_waits(enrolled, opening, cap=30):
    """For the slowest welcomes (the worst 5%, at most cap), each leg from the enrolment call to the SMTP
    server, read from the journey's history: the start, the first workflow task's wait for a worker, its
    run, the immediate send's wait for a worker, and the send itself (to the ledger's sent time). The
    median of each leg over those sign-ups names where the tail waits."""
    sent = sent_times(enrolled)
    slow = sorted(((sent[lead] - t, lead, t, queued) for lead, t, _, queued in enrolled if lead in sent), reverse=True)
    slow = slow[:max(1, min(cap, len(slow) // 20))]
    legs = {k: [] for k in ("start", "first task waits", "first task runs", "send waits", "send runs")}
    for total, lead, t, queued in slow:
        h = history_times(f"lead-{lead}")
        try:
            row = dict(zip(legs, (h["WORKFLOWEXECUTIONSTARTED"] - t,
                                  h["WORKFLOWTASKSTARTED"] - h["WORKFLOWTASKSCHEDULED"],
                                  h["WORKFLOWTASKCOMPLETED"] - h["WORKFLOWTASKSTARTED"],
                                  h["ACTIVITYTASKSTARTED"] - h["ACTIVITYTASKSCHEDULED"],
                                  sent[lead] - h["ACTIVITYTASKSTARTED"])))
        except KeyError:
            log(f"first email, a slow sign-up ({total:.1f} s): {lead}: no history with an activity task")
            continue
        for k, v in row.items():
            legs[k].append(v)
        log(f"first email, a slow sign-up ({total:.1f} s{', queued' if queued else ''}, enrolled {t - opening:.0f} s "
            f"after the opening): "
            + ", ".join(f"{k} {v:.1f} s" for k, v in row.items()))
    if legs["start"]:
        med = lambda xs: sorted(xs)[len(xs) // 2]
        log(f"first email, where the slowest {len(legs['start'])} waited (medians): "
            + ", ".join(f"{k} {med(v):.1f} s" for k, v in legs.items()))


def latencies(enrolled, wait_cap):
    deadline = time.time() + wait_cap
    while True:
        sent = sent_times(enrolled)
        if len(sent) >= len(enrolled) or time.time() > deadline:
            break
        time.sleep(2)
    lat = sorted(sent[lead] - t for lead, t, *_ in enrolled if lead in sent)
    missing = len(enrolled) - len(lat)
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] if lat else float("nan")
    return p(0.5), p(0.95), (lat[-1] if lat else float("nan")), len(lat), missing


def first_email(bulk, every):
    # Alone: a few enrolments on an otherwise quiet system (after what the phases before left running).
    time.sleep(float(env.get("BENCH_SETTLE", "60")))
    quiet = []
    stop = threading.Event()
    th = threading.Thread(target=trickle, args=(stop, every, quiet, "alone"))
    th.start(); time.sleep(max(10, 10 * every)); stop.set(); th.join()
    p50, p95, mx, got, missing = latencies(quiet, 120)
    log(f"first email alone: p50 {p50:.2f} s, p95 {p95:.2f} s, max {mx:.2f} s ({got} sent, {missing} not)")
    result("first_email.alone", p95, "s", text=f"p50 {p50:.2f} / p95 {p95:.2f} s", note=f"{got} enrolments, 1 per {every} s")
    # Under load: a BULK-lead burst falls due, and at its opening a BULK-lead batch enrolment starts.
    program = f"bench-burst2-{run}"
    opens = next_opening(bulk, float(env.get("BENCH_ENROL_RATE", "30")))
    publish_burst(program, opens, form=program)
    publish("bench-bulk", """id: bench-bulk
trigger: { event: form_submitted, where: { form: bench-bulk } }
steps:
  - { id: welcome, send: { template: onboarding-welcome, immediate: true } }
  - { id: nap, wait: 30d }
""")
    enrol_by_trigger("burst2", program, bulk)
    log(f"first email: a {bulk}-lead burst falls due at {opens:%H:%M:%S} UTC; then a {bulk}-lead batch enrolment and the trickle")
    time.sleep(max(0, opens.timestamp() - time.time()))
    loaded = []
    REFUSED[0] = 0  # 503s the trickle's enrolments were answered before one was accepted
    stop = threading.Event()
    th = threading.Thread(target=trickle, args=(stop, every, loaded, "loaded"))
    th.start()
    t0 = time.time()
    enrol_by_trigger("bulk", "bench-bulk", bulk)
    log(f"first email: bulk enrolment accepted in {time.time() - t0:.0f} s")
    while count_sent(program) < bulk and time.time() - t0 < 3600:
        time.sleep(2)
    stop.set(); th.join()
    log(f"first email: burst drained {time.time() - t0:.0f} s after the opening; {len(loaded)} trickle enrolments")
    p50, p95, mx, got, missing = latencies(loaded, 900)
    log(f"first email under load: p50 {p50:.2f} s, p95 {p95:.2f} s, max {mx:.2f} s ({got} sent, {missing} not within 15 min)")
    calls = sorted(took for _, _, took, _ in loaded)
    if calls:  # the enrolment call's own share of the latency
        queued = [e for e in loaded if e[3]]
        log(f"first email under load: {REFUSED[0]} answers 503 before an enrolment was accepted; "
            f"{len(queued)} enrolments answered 202 (queued while Temporal was late)")
        if queued:
            q50, q95, qmax, qgot, qmissing = latencies(queued, 60)
            log(f"first email under load, the queued enrolments alone: p50 {q50:.2f} s, max {qmax:.2f} s "
                f"({qgot} sent, {qmissing} not)")
        log(f"first email under load: the enrolment call itself took p50 {calls[len(calls) // 2]:.2f} s, "
            f"p95 {calls[min(len(calls) - 1, int(0.95 * len(calls)))]:.2f} s, max {calls[-1]:.2f} s")
    where_the_tail_waits(loaded, opens.timestamp())
    result("first_email.loaded", p95, "s", text=f"p50 {p50:.1f} / p95 {p95:.1f} / max {mx:.1f} s",
           note=f"{got} enrolments (+{missing} unsent) during a {bulk}-lead batch enrolment and a {bulk}-lead burst")


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "sleeping":
        sleeping(int(sys.argv[2]))
    elif what == "burst":
        burst(int(sys.argv[2]), float(sys.argv[3]))
    elif what == "first-email":
        first_email(int(sys.argv[2]), float(sys.argv[3]) if len(sys.argv) > 3 else 1.0)
    else:
        sys.exit(__doc__)
