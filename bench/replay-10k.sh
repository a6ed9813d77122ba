#!/usr/bin/env bash
# Benchmark: the longest workflow task a journey can need. A journey receives 10,000 events while
# it waits (on Temporal's in-process test server), then its whole history is replayed from scratch,
# as a worker does after a restart or a cache eviction; printed beside the replay of a short
# journey's history (the baseline). Temporal's deadlock detector fails a workflow task whose code
# does not yield for 1 s: the replay must stay far below that.
#   bench/replay-10k.sh [events] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
# Compiles, and writes the test classpath (the reactor resolves the programs module to its classes).
./mvnw -q -B -ntp -pl workflows -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" \
  -Dmdep.includeScope=test
cd workflows
java -Xmx1g -cp "target/test-classes:target/classes:../programs/target/classes:$(cat "$cp_file")" \
  com.nurture.workflows.journey.ReplayBench "${1:-10000}" "${2:-5}" 2>/dev/null | grep -v "^[0-9:.]* \(INFO\|WARN\|DEBUG\)"
