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
export DEV_PID=$pid BENCH_LEADS=${1:-300}
PYTHONPATH=bench python3 - <<'PY'
import base64, hashlib, hmac, json, os, time
from benchlib import call, one_at_a_time, wait_for_dev
pid, port, n = os.environ["DEV_PID"], int(os.environ["NURTURE_PORT"]), int(os.environ["BENCH_LEADS"])
wait_for_dev()
def hubspot(vid):
    body = json.dumps({"vid": vid, "properties": {"email": {"value": f"ma-{vid}@example.com"},
                                                  "firstname": {"value": "Pat"}}}).encode()
    ts = str(int(time.time() * 1000))
    uri = f"http://127.0.0.1:{port}/v1/intake/hubspot"
    sig = base64.b64encode(hmac.new(b"bench-hubspot-secret", b"POST" + uri.encode() + body + ts.encode(),
                                    hashlib.sha256).digest()).decode()
    # No API key is needed (the signature is the proof); the bench key benchlib.call sends is ignored.
    return call("POST", "/v1/intake/hubspot", body, timeout=60,
                headers={"X-HubSpot-Signature-v3": sig, "X-HubSpot-Request-Timestamp": ts})[1]
def run(label, vids, expect):
    def enrolment(vid):
        status = hubspot(vid)["enrolment"]["status"]
        if status != expect:
            raise SystemExit(f"{label}: lead {vid}: enrolment {status}, expected {expect}")
    one_at_a_time(label, pid, vids, enrolment)
vids = list(range(9_000_001, 9_000_001 + n))
run("first calls (each enrols)", vids, 201)
time.sleep(30)  # the welcomes out, the journeys asleep
run("warm-up, enrolled leads", vids[: n // 2], 200)
run("enrolled leads", vids, 200)
PY
