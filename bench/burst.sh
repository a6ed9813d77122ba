#!/usr/bin/env bash
# Benchmark: a scheduled burst. Starts `dev` on free ports, publishes a program whose only email may go
# out from a minute of the clock a little ahead (its send window opens then), enrols N leads before
# it, and times from the window's opening until the SMTP server has accepted every email (the worker's
# nurture_emails_sent_total on the admin port's /prometheus). Beside it, on the same SMTP server in the
# same run: a raw SMTP loop sending N emails of the same size over one connection (Python's smtplib).
#   bench/burst.sh [leads=2000] [enrolment threads=16]    (needs the jar: ./mvnw -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/dev-on-free-ports.sh
PYTHONPATH=bench python3 - "$NURTURE_PORT" "$NURTURE_ADMIN_PORT" "$NURTURE_SMTP_PORT" "${1:-2000}" "${2:-16}" <<'PY'
import smtplib, sys, time
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from benchlib import call, count_sent, publish_burst, wait_for_dev, window_opening
port, admin, smtp_port, n, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
wait_for_dev()
# The window opens at a whole minute after the enrolment is expected to be done (at ~15 leads/s) plus a margin.
opens = window_opening(n / 15 + 60)
publish_burst("bench-burst", opens, name="Burst benchmark")
run = str(int(time.time()))
def enrol(i):
    lead = f"burst-{run}-{i}"
    call("PUT", f"/v1/leads/{lead}", {"email": f"{lead}@example.com", "first_name": "Pat", "timezone": "UTC"})
    call("POST", f"/v1/leads/{lead}/journey", {"program": "bench-burst"})
t0 = time.time()
with ThreadPoolExecutor(threads) as pool:
    list(pool.map(enrol, range(n)))
enrolled = time.time() - t0
print(f"enrolled {n} leads in {enrolled:.0f} s ({n / enrolled:.1f}/s); the window opens at {opens:%H:%M:%S} UTC")
wait = opens.timestamp() - time.time()
if wait < 0:
    sys.exit("the enrolment ran past the window's opening: use fewer leads or more threads")
time.sleep(wait)
start = time.time()
first = None
while True:
    s = count_sent("bench-burst")
    if s > 0 and first is None:
        first = time.time() - start
    if s >= n: break
    if time.time() - start > 3600: sys.exit(f"only {s:.0f} of {n} sent after an hour")
    time.sleep(0.5)
drained = time.time() - start
print(f"burst of {n}: first email {first:.1f} s after the opening, all {n} at the SMTP server in {drained:.1f} s "
      f"({n / drained:.1f} emails/s)")
# Raw baseline: the same number of emails of about the same size over one SMTP connection.
body = "Hi Pat,\n\n" + "A raw baseline email of about the size of a nurture email.\n" * 20
t0 = time.time()
with smtplib.SMTP("127.0.0.1", smtp_port) as s:
    for i in range(n):
        m = EmailMessage(); m["From"] = "ana@acme.example"; m["To"] = f"raw-{i}@example.com"
        m["Subject"] = "Welcome - what to expect"; m.set_content(body); m.add_alternative(f"<p>{body}</p>", subtype="html")
        s.send_message(m)
raw = time.time() - t0
print(f"raw SMTP loop, one connection: {n} in {raw:.1f} s ({n / raw:.1f} emails/s)")
print(f"burst pipeline / raw SMTP loop: {(n / drained) / (n / raw):.2f}x")
PY
