#!/usr/bin/env bash
# Benchmark (not a test): program statistics over 1,000,000 send-ledger rows. Starts `dev` (embedded
# PostgreSQL, the temporal CLI's dev server, GreenMail) on free ports in a temporary home, loads
# bench/stats-1m.sql into its database for the shipped program `onboarding` (200,000 leads x 5
# emails, with events, tracking hits, hand-offs and journeys; then the rollup rebuilt from them),
# then times over HTTP:
#   baseline  GET /v1/programs/onboarding                        (a database read and JSON)
#   cold      GET /v1/programs/onboarding/stats?from=&to=        (each a new period: computed in SQL)
#   cold, partial days  the same with both ends inside a day with data (the ends read ledger rows)
#   warm      GET /v1/programs/onboarding/stats?from=&to=        (one period again: the kept answer)
# Before the load it times the triggers' write-side cost on the empty database (bench/stats-writes.sql,
# its rows removed after), and it prints a digest of one answer, to compare builds (the same numbers give the same).
#   bench/stats-1m.sh [warm requests] [cold requests]   (needs the jar: ./mvnw -q -DskipTests package)
#   bench/stats-1m.sh writes                            (only the write-side cost)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v psql >/dev/null || { echo "needs psql (apt-get install postgresql-client)" >&2; exit 1; }
. bench/dev-on-free-ports.sh
for _ in $(seq 180); do
  curl -sf -o /dev/null -H "Authorization: Bearer bench-key" "http://127.0.0.1:$NURTURE_PORT/v1/programs/onboarding" && break
  sleep 1
done
pg=$(grep -o 'jdbc:postgresql://127.0.0.1:[0-9]*' "$home/dev.log" | head -1 | sed 's/.*://')
[ -n "$pg" ] || { echo "dev did not start (see $home/dev.log)" >&2; cat "$home/dev.log" >&2; exit 1; }
echo "write-side cost of the statistics' triggers: 2,000 writes of each kind, one per transaction (bench/stats-writes.sql):"
psql -q -h 127.0.0.1 -p "$pg" -U postgres -d postgres -v n=2000 -f bench/stats-writes.sql
[ "${1:-}" = writes ] && exit 0
start=$(date +%s)
psql -q -h 127.0.0.1 -p "$pg" -U postgres -d postgres -v program=onboarding -v leads=200000 -f bench/stats-1m.sql
echo "loaded in $(( $(date +%s) - start )) s: $(psql -tA -h 127.0.0.1 -p "$pg" -U postgres -d postgres \
  -c "SELECT count(*) FROM messages WHERE program_id = 'onboarding'") ledger rows for onboarding"
python3 - "$NURTURE_PORT" "${1:-50}" "${2:-10}" <<'PY'
import hashlib, json, sys, time, urllib.request
port, warm, cold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
base = f"http://127.0.0.1:{port}"
def call(path):
    req = urllib.request.Request(base + path, headers={"Authorization": "Bearer bench-key"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.read()
def report(label, ms):
    ms = sorted(ms)
    p = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]
    print(f"{label}: n={len(ms)} p50 {p(0.50):.1f} ms, p95 {p(0.95):.1f} ms, max {ms[-1]:.1f} ms")
def timed(paths):
    out = []
    for path in paths:
        t = time.perf_counter(); call(path); out.append((time.perf_counter() - t) * 1000)
    return out
stats = "/v1/programs/onboarding/stats?from=2026-08-01T00:00:00Z&to="
body = json.loads(call(stats + "2026-12-01T00:00:00Z"))
answer = {k: v for k, v in body.items() if k != "computed_at"}
print("answer sha256 (without computed_at):", hashlib.sha256(json.dumps(answer, sort_keys=True).encode()).hexdigest()[:16])
print("steps:", ", ".join(f"{s['step']} sent {s['totals']['sent']}" for s in body["steps"]),
      f"| enrolled {body['outcome']['enrolled']}, MQL {body['outcome']['mql']}, holdout {body['holdout']['verdict']}")
timed(["/v1/programs/onboarding"] * 20)
report("baseline GET /v1/programs/onboarding", timed(["/v1/programs/onboarding"] * warm))
report("cold GET .../stats (a new period each: SQL)", timed([stats + f"2026-12-01T00:00:{i:02d}Z" for i in range(1, cold + 1)]))
report("cold GET .../stats, partial days at both ends", timed(
    [f"/v1/programs/onboarding/stats?from=2026-09-15T12:00:{i:02d}Z&to=2026-11-20T12:00:{i:02d}Z" for i in range(1, cold + 1)]))
call(stats + "2026-12-01T00:00:00Z")  # computed more than a minute ago: answered stale, refreshed behind
time.sleep(15)
report("warm GET .../stats (the same period: the kept answer)", timed([stats + "2026-12-01T00:00:00Z"] * warm))
PY
