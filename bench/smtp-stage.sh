#!/usr/bin/env bash
# Benchmark: the SMTP stage of a send. Nurture's SendEmail activity (ledger claim, render, send over
# the connection pool, ledger outcome) beside raw Simple Java Mail loops to the same SMTP server
# (GreenMail, in the same JVM) in the same run: one pooled connection, four pooled connections, and a
# new connection per email (how Nurture sent before pooling).
#   bench/smtp-stage.sh [emails]   (SmtpStageBench's default, 4,000: at 2,000 the activity's rate was still rising in round 4)
# Every loop mails the same n addresses (GreenMail makes a mailbox per new address, by a scan of all of
# them). BENCH_NO_ROLLUP=1 turns the ledger's rollup triggers off in the bench's own database, to see
# what the analytics' counters cost a send. BENCH_WAITS=1 prints what the database sessions waited on
# during the activity loops (pg_stat_activity sampled every 5 ms). BENCH_DB_RTT_MS=1 puts the database
# behind a proxy adding that round-trip time (a database on another host); BENCH_ONE_SHARD=1 puts every
# session on one counter shard (the rollup's counter rows as before V32). BENCH_CPU_SHARE=1 runs it under
# bench/cpu-share.py: the CPU seconds of the bench's JVM (the activity, its SMTP client and GreenMail) and
# of PostgreSQL per phase (each raw loop, each activity loop), its per-second file in $BENCH_OUT.
# The raw pooled loops (4 connections, from 4 threads and from 16) and the activity's loops (4 and 16
# threads) run in a warm-up round and BENCH_ROUNDS (4) more, in alternating order; the activity's figures
# are its mean rates over the measured rounds, each against the fastest raw pooled loop of the run at the
# same threads (an even BENCH_ROUNDS keeps the order balanced); each loop prints the JVM's CPU an email and
# cores. Each send is to a lead with a journey row, as the API enrols one; BENCH_NO_JOURNEY set to anything
# (even 0) leaves that out (the send's ledger row then also makes the lead the program's entrant).
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
./mvnw -q -B -ntp -pl api -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" \
  -Dmdep.includeScope=test
cd api
share=()
if [[ -n "${BENCH_CPU_SHARE:-}" ]]; then
  out=${BENCH_OUT:-$(mktemp -d)}
  share=(python3 ../bench/cpu-share.py "$out/cpu-smtp-stage.jsonl" --)
  echo "CPU per second in $out/cpu-smtp-stage.jsonl"
fi
${share[@]+"${share[@]}"} java -Xmx1g -cp "target/test-classes:target/classes:../activities/target/classes:../activities/target/test-classes:../worker/target/classes:../workflows/target/classes:../programs/target/classes:$(cat "$cp_file")" \
  com.nurture.api.bench.SmtpStageBench ${1:+"$1"} 2>/dev/null | grep --line-buffered -v "^[0-9:.]* \(INFO\|WARN\|DEBUG\)"
