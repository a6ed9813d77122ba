#!/usr/bin/env bash
# Benchmark: an MA system's call for leads it has enrolled already (a HubSpot workflow webhook, signed
# v3, mapped to an enrolment in onboarding and no event). Starts `dev` on free ports
# (bench/dev-on-free-ports.sh) with the hubspot source configured, enrols N leads through the webhook
# (untimed; their journeys run), waits for them to settle, then times N calls more for the same leads
# one at a time: wall time per call, the CPU of the request threads (`dw-*`, from /proc) and of the
# whole JVM (API, worker, GreenMail) per call. `NURTURE_JAR` picks the build. Needs the jar.
#   bench/ma-intake-path.sh [leads]
cd "$(dirname "$0")/.."
export NURTURE_DEV_JAVA_OPTS="${NURTURE_DEV_JAVA_OPTS:-} -Ddw.intake.hubspot.secret=bench-hubspot-secret \
  -Ddw.intake.hubspot.consent=opt_in -Ddw.intake.hubspot.enrol_program=onboarding"
. bench/dev-on-free-ports.sh
for i in $(seq 1 120); do curl -sf -o /dev/null -H "Authorization: Bearer bench-key" "http://127.0.0.1:$NURTURE_PORT/v1/programs" && break; sleep 1; done
export DEV_PID=$pid BENCH_LEADS=${1:-300}
PYTHONPATH=bench python3 - <<'PY'
import base64, hashlib, hmac, http.client, json, os, time
from benchlib import process_cpu, thread_cpu
pid, port, n = os.environ["DEV_PID"], int(os.environ["NURTURE_PORT"]), int(os.environ["BENCH_LEADS"])
cpu = lambda prefix: thread_cpu(pid, prefix)
proc_cpu = lambda: process_cpu(pid)
def hubspot(vid):
    body = json.dumps({"vid": vid, "properties": {"email": {"value": f"ma-{vid}@example.com"},
                                                  "firstname": {"value": "Pat"}}}).encode()
    ts = str(int(time.time() * 1000))
    uri = f"http://127.0.0.1:{port}/v1/intake/hubspot"
    sig = base64.b64encode(hmac.new(b"bench-hubspot-secret", b"POST" + uri.encode() + body + ts.encode(),
                                    hashlib.sha256).digest()).decode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", "/v1/intake/hubspot", body=body, headers={"Content-Type": "application/json",
                     "X-HubSpot-Signature-v3": sig, "X-HubSpot-Request-Timestamp": ts})
        r = conn.getresponse()
        answer = r.read()
        if r.status != 200:
            raise SystemExit(f"hubspot call for {vid}: {r.status} {answer[:300]!r}")
        return json.loads(answer)
    finally:
        conn.close()
def run(label, vids, expect):
    c0, p0, t0 = cpu("dw-"), proc_cpu(), time.time()
    lat = []
    for v in vids:
        s = time.time()
        status = hubspot(v)["enrolment"]["status"]
        lat.append(time.time() - s)
        if status != expect:
            raise SystemExit(f"{label}: lead {v}: enrolment {status}, expected {expect}")
    c1, p1, t1 = cpu("dw-"), proc_cpu(), time.time()
    lat.sort()
    print(f"{label}: {len(vids)} calls one at a time, wall p50 {1000*lat[len(lat)//2]:.1f} ms p95 "
          f"{1000*lat[int(len(lat)*.95)]:.1f} ms; request threads {1000*(c1-c0)/len(vids):.1f} ms CPU a call; "
          f"whole JVM {1000*(p1-p0)/len(vids):.1f} ms a call over {t1-t0:.0f} s", flush=True)
vids = list(range(9_000_001, 9_000_001 + n))
run("first calls (each enrols)", vids, 201)
time.sleep(30)  # the welcomes out, the journeys asleep
run("warm-up, enrolled leads", vids[: n // 2], 200)
run("enrolled leads", vids, 200)
PY
