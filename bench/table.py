"""Prints bench/run's closing table from its RESULT lines: figure, Nurture, baseline, ratio, target, met?
  python3 bench/table.py results.jsonl [burst N] [sleeping N]
Each row pairs a Nurture figure with its baseline from the same run; `ratio` is Nurture's rate over the
baseline's (for times: the baseline's time over Nurture's), so >= 1 is as fast as the baseline.
"""
import json, math, sys

r = {}
for line in open(sys.argv[1]):
    if line.strip():
        x = json.loads(line)
        r[x["figure"]] = x
burst_default, sleeping_default = 50000, 100000


def v(key):
    x = r.get(key)
    return None if x is None or x["value"] is None else float(x["value"])


def show(key, fmt="{:.1f}"):
    x = r.get(key)
    if x is None:
        return "not measured"
    if x.get("text"):
        return x["text"]
    return (fmt.format(float(x["value"])) + " " + x["unit"]).strip() if x["value"] is not None else "n/a"


rows = []


def row(figure, nurture, baseline, ratio, target, met):
    rows.append((figure, nurture, baseline, ratio, target, met))


def ratio_row(figure, n_key, b_key, target, times=False):
    n, b = v(n_key), v(b_key)
    ratio = None if n is None or b is None or n == 0 or b == 0 else (b / n if times else n / b)
    row(figure, show(n_key), show(b_key), "-" if ratio is None else f"{ratio:.2f}x", f">= {target}x",
        "-" if ratio is None else ("yes" if ratio >= target else "NO"))


ratio_row("enrol: API vs raw WorkflowClient start", "intake.api_enrol", "intake.raw_start", 0.9)
if "intake.api_enrol_taken" in r:  # until the journeys took their first steps, against the same journey started raw
    ratio_row("enrol until the journeys took their first steps: API vs raw start of the same journey",
              "intake.api_enrol_taken", "intake.raw_journey_taken", 0.9)
    rows[-1] = rows[-1][:4] + ("(second measure)", "-")
ratio_row("events: API vs raw signals", "intake.api_event", "intake.raw_signal", 0.9)
if "intake.api_event_taken" in r:  # the same calls, timed until the worker was idle again (IntakeBench)
    ratio_row("events until the journeys took them: API vs raw signals", "intake.api_event_taken",
              "intake.raw_signal_taken", 0.9)
    rows[-1] = rows[-1][:4] + ("(second measure)", "-")
ratio_row("batch events vs single calls (running journeys)", "batch.events_batch", "batch.events_single", 5)
ratio_row("batch events vs single calls (no journey)", "batch.quiet_batch", "batch.quiet_single", 5)
ratio_row("batch leads vs single calls", "batch.leads_batch", "batch.leads_single", 5)
ratio_row("SMTP stage: SendEmail (4 threads) vs raw pooled loop", "smtp.nurture4", "smtp.raw_pooled4", 0.5)
ratio_row("SMTP stage: SendEmail (16 threads) vs raw pooled loop (16 threads)", "smtp.nurture16", "smtp.raw_pooled16",
          0.5)
n_burst = r.get("burst.nurture", r.get("burst.bare", {})).get("note", "")
ratio_row(f"burst drain ({n_burst}) vs bare workflow", "burst.nurture", "burst.bare", 0.8, times=True)
ratio_row(f"burst drain ({n_burst}) vs raw pooled SMTP loop", "burst.nurture", "burst.raw", 0, times=True)
rows[-1] = rows[-1][:4] + ("(none)", "-")
b = v("burst.nurture")
n = int(n_burst[2:]) if n_burst.startswith("n=") else 0
if b is None:
    row("50,000-lead burst drained", "not measured", "", "", "< 600 s", "-")
elif n >= burst_default:
    row("50,000-lead burst drained", f"{b:.0f} s", "", "", "< 600 s", "yes" if b < 600 else "NO")
else:
    est = b * burst_default / max(n, 1)
    row("50,000-lead burst drained", f"{b:.0f} s at {n:,} (linear: {est:.0f} s)", "", "", "< 600 s",
        "NO (extrapolated)" if est >= 600 else "likely (extrapolated)")
h, sn = v("sleeping.heap"), v("sleeping.n")
if h is None:
    row("sleeping journeys: heap after GC", "not measured", "", "", "< 512 MiB at 100,000", "-")
else:
    met = ("yes" if h < 512 else "NO") if sn >= sleeping_default else ("so far" if h < 512 else "NO") + f" (at {sn:,.0f})"
    row(f"sleeping journeys ({sn:,.0f}): heap after GC", f"{h:.0f} MiB", show("sleeping.heap_before", "{:.0f}") + " before",
        "", "< 512 MiB at 100,000", met)
row("sleeping: Temporal store per journey", show("sleeping.temporal_bytes", "{:,.0f}"), "", "", "(measure)", "-")
row("sleeping: Nurture PostgreSQL per journey", show("sleeping.pg_bytes", "{:,.0f}"), "", "", "(measure)", "-")
row("timer lateness at one instant (burst timers)", show("lateness.nurture"), show("lateness.bare") + " (bare)", "",
    "(measure)", "-")
fe = v("first_email.loaded")
row("first email (immediate) under bulk", show("first_email.loaded"), show("first_email.alone") + " (alone)", "",
    "p95 < 10 s", "-" if fe is None or math.isnan(fe) else ("yes" if fe < 10 else "NO"))
p50, p99 = v("preview.p50"), v("preview.p99")
row("preview latency", show("preview.p50") + " p50 / " + show("preview.p99") + " p99",
    show("preview.baseline.p50") + " / " + show("preview.baseline.p99") + " (GET)", "",
    "p50 <= 50 ms, p99 <= 200 ms", "-" if p50 is None else ("yes" if p50 <= 50 and p99 <= 200 else "NO"))

print("| figure | Nurture | baseline | ratio | target | met? |")
print("|---|---|---|---|---|---|")
for x in rows:
    print("| " + " | ".join(str(c) for c in x) + " |")
