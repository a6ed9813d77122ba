#!/usr/bin/env bash
# Benchmark: preview a 180-day program (26 weekly emails, a wait_for, a branch) with the
# `simulate` command (the journey core on a virtual clock; no Temporal), several times; prints the
# in-JVM simulation time of each run and the wall time of the whole command.
# Needs the jar: ./mvnw -q -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."
jar=api/target/nurture.jar
[ -f "$jar" ] || { echo "build the jar first: ./mvnw -q -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash bench/program-180d.sh > "$work/program.yaml"
cat > "$work/script.yaml" <<'YAML'
lead: { first_name: Pat, industry: logistics, timezone: America/New_York }
start: 2026-01-06T14:00:00Z
horizon: 200d
events:
  - { at: 30d, type: page_visited, properties: { page: blog } }
  - { at: 90d, type: email_opened }
YAML
runs=${RUNS:-5}
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  line=$(java -jar "$jar" simulate "$work/program.yaml" "$work/script.yaml" | grep "^bench-180d@")
  end=$(date +%s%N)
  took=${line##*simulated in }
  echo "run $i: simulated in ${took%)} | command wall time $(( (end - start) / 1000000 )) ms"
done
