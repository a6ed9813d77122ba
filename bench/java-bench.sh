#!/usr/bin/env bash
# One bench class on BENCH_CP (set by bench/run), its log lines filtered out: a command of its own, so
# bench/cpu-share.py can run it (a shell function cannot be exec'd). Its stderr goes to
# $BENCH_OUT/java-bench.stderr.
set -o pipefail
java -Xmx1g -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "$BENCH_CP" "$@" 2>>"${BENCH_OUT:-/tmp}/java-bench.stderr" \
  | grep --line-buffered -v "^[0-9:.]* \(INFO\|WARN\|DEBUG\)" || true
