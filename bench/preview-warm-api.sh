#!/usr/bin/env bash
# Benchmark: the preview's latency in a warm API. Starts `dev` (embedded PostgreSQL, the temporal
# CLI's dev server, GreenMail) on free ports in a temporary home, publishes the 180-day program of
# bench/simulate-180d.sh, warms up, then times POST /v1/programs/{id}/simulate over HTTP, beside a
# raw baseline on the same server: GET /v1/programs/{id} (a database read and JSON, no preview).
#   bench/preview-warm-api.sh [requests]      (needs the jar: ./mvnw -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/dev-on-free-ports.sh
bash bench/program-180d.sh > "$home/program.yaml"
python3 - "$NURTURE_PORT" "$home/program.yaml" "${1:-300}" <<'PY'
import json, statistics, sys, time, urllib.request
port, program, n = sys.argv[1], open(sys.argv[2]).read(), int(sys.argv[3])
base = f"http://127.0.0.1:{port}"
auth = {"Authorization": "Bearer bench-key"}
def call(method, path, body=None, ctype="application/json"):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    headers = dict(auth, **({"Content-Type": ctype} if data else {}))
    with urllib.request.urlopen(urllib.request.Request(base + path, data=data, headers=headers, method=method), timeout=30) as r:
        return r.status, r.read()
deadline = time.time() + 180
while True:
    try:
        call("GET", "/v1/programs"); break
    except Exception:
        if time.time() > deadline: sys.exit("dev did not start within 180 s (see its log)")
        time.sleep(1)
call("PUT", "/v1/programs/bench-180d", program.encode(), "application/yaml")
script = {"lead": {"first_name": "Pat", "industry": "logistics", "timezone": "America/New_York"},
          "start": "2026-01-06T14:00:00Z", "horizon": "200d",
          "events": [{"at": "30d", "type": "page_visited", "properties": {"page": "blog"}},
                     {"at": "90d", "type": "email_opened"}]}
status, body = call("POST", "/v1/programs/bench-180d/simulate", script)
result = json.loads(body)
print(f"one preview: {result['final_status']}, {len(result['timeline'])} timeline entries, "
      f"{sum(1 for e in result['timeline'] if e['kind'] == 'email_sent')} emails")
def timed(label, method, path, body=None, key="preview"):
    for _ in range(50):
        call(method, path, body)
    ms = []
    for _ in range(n):
        t = time.perf_counter(); call(method, path, body); ms.append((time.perf_counter() - t) * 1000)
    ms.sort()
    p = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]
    print(f"{label}: n={n} p50 {p(0.50):.1f} ms, p99 {p(0.99):.1f} ms, max {ms[-1]:.1f} ms")
    for q, name in ((0.50, "p50"), (0.99, "p99")):
        print("RESULT " + json.dumps({"figure": f"{key}.{name}", "value": p(q), "text": "", "unit": "ms", "note": f"n={n}"}))
timed("baseline GET /v1/programs/bench-180d", "GET", "/v1/programs/bench-180d", key="preview.baseline")
timed("preview POST /v1/programs/bench-180d/simulate (180-day program)", "POST", "/v1/programs/bench-180d/simulate", script)
PY
