#!/usr/bin/env bash
# Prints the 180-day program both preview benchmarks use: 26 weekly emails under the best-times send
# policy, then a wait_for on a click and an exit (recycled when silent).
echo "id: bench-180d"
echo "send_policy: best-times"
echo "steps:"
for i in $(seq 1 26); do
  echo "  - { id: email-$i, send: { template: education-framework } }"
  echo "  - { id: week-$i, wait: 7d }"
done
echo "  - id: reacted"
echo "    wait_for: { any: [ { event: email_clicked } ], timeout: 2d }"
echo "    on_event: hot"
echo "  - { id: cold, exit: { reason: silent, recycle: true } }"
echo "  - { id: hot, exit: engaged }"
