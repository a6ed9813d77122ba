#!/usr/bin/env bash
# Benchmark: intake throughput beside the raw SDK, on the same servers in the same run. Starts `dev`
# (embedded PostgreSQL, the temporal CLI's dev server, GreenMail) on free ports in a temporary home,
# then: enrolment through the API vs starting a trivial workflow with a raw WorkflowClient, and
# events through the API vs raw signals to the same running journeys (same client threads each).
#   bench/intake.sh [leads] [threads]       (needs the jar and test classes: ./mvnw -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d api/target/test-classes/com/nurture/api/bench ] || { echo "build first: ./mvnw -q -DskipTests package" >&2; exit 1; }
. bench/dev-on-free-ports.sh
for _ in $(seq 180); do
  curl -sf -H "Authorization: Bearer bench-key" "http://127.0.0.1:$NURTURE_PORT/v1/programs" >/dev/null && break
  sleep 1
done
java -cp "$jar:api/target/test-classes" com.nurture.api.bench.IntakeBench "$NURTURE_PORT" bench-key \
  "127.0.0.1:$NURTURE_TEMPORAL_PORT" "${1:-1000}" "${2:-16}" 2>/dev/null | grep --line-buffered -v "^[0-9:.]* \(INFO\|WARN\|DEBUG\)"
