#!/usr/bin/env python3
"""The last step of ./nurture test: no email address and no test secret in any log line of the run.

Reads every log the run wrote (each module's target/test-logs/*.log, the tests' console output kept by
Surefire and Failsafe, the end-to-end suite's process logs), only files written since the marker file
given as the first argument (so an earlier run's leftovers are not judged), and fails listing every
offending line. Email addresses: anything shaped like one, except the Message-IDs we generate (a UUID
or hex digest before the '@'). Secrets: the values of secret-looking settings in the test
configurations (secret, password, signing_key, token) and the string constants named *SECRET*,
*PASSWORD* or *KEY* in the test sources, plus the test API keys.
"""
import glob
import os
import re
import sys

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Message-IDs we generate: <uuid@domain>, <confirm-|reply-|handoff-<hex digest>@domain> (the last two are
# SalesRecorder's notes to a lead's owner, which Simple Java Mail names in its exception when a send fails).
GENERATED_LOCAL = re.compile(r"^(?:confirm-|reply-|handoff-)?[0-9a-f][0-9a-f-]{19,}$", re.IGNORECASE)
SETTING = re.compile(r"^\s*(?:[\w.-]*?(?:secret|password|signing_key|token))\s*:\s*['\"]?([^'\"#\s]{8,})", re.IGNORECASE)
CONSTANT = re.compile(r"\b[A-Z_]*(?:SECRET|PASSWORD|KEY)[A-Z_]*\s*=\s*\"([^\"]{8,})\"")
API_KEYS = ["ma-key", "sales-key", "ops-key"]  # api-test.yml's keys (configured by their SHA-256)


def secrets(root):
    found = set()
    for path in glob.glob(os.path.join(root, "*/src/test/resources/**/*.yml"), recursive=True):
        for line in open(path, encoding="utf-8", errors="replace"):
            m = SETTING.match(line)
            if m and not m.group(1).startswith("${"):
                found.add(m.group(1))
    for path in glob.glob(os.path.join(root, "*/src/test/java/**/*.java"), recursive=True):
        for m in CONSTANT.finditer(open(path, encoding="utf-8", errors="replace").read()):
            found.add(m.group(1))
    found.update(API_KEYS)
    return sorted(found)


def logs(root, since):
    patterns = ["*/target/test-logs/*.log", "*/target/surefire-reports/*-output.txt",
                "*/target/failsafe-reports/*-output.txt", "*/target/*-worker-*.log"]
    for pattern in patterns:
        for path in sorted(glob.glob(os.path.join(root, pattern))):
            if os.path.getmtime(path) >= since:
                yield path


def offences(line, secret_values, secret_patterns):
    found = []
    for m in EMAIL.finditer(line):
        local = m.group(0).split("@", 1)[0]
        if not GENERATED_LOCAL.match(local):
            found.append("email address")
            break
    for value, pattern in zip(secret_values, secret_patterns):
        if pattern.search(line):
            found.append("secret " + value[:3] + "...")
    return found


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    since = os.path.getmtime(sys.argv[1]) if len(sys.argv) > 1 else 0
    secret_values = secrets(root)
    secret_patterns = [re.compile(r"(?<![\w-])" + re.escape(s) + r"(?![\w-])") for s in secret_values]
    bad, files, lines = [], 0, 0
    for path in logs(root, since):
        files += 1
        with open(path, encoding="utf-8", errors="replace") as f:
            for n, line in enumerate(f, 1):
                lines += 1
                what = offences(line, secret_values, secret_patterns)
                if what:
                    bad.append(f"{os.path.relpath(path, root)}:{n}: [{', '.join(what)}] {line.rstrip()[:300]}")
    print(f"check-test-logs: {lines} lines in {files} log files, {len(secret_values)} secrets looked for")
    if bad:
        print(f"check-test-logs: {len(bad)} log lines hold an email address or a secret:", file=sys.stderr)
        for b in bad[:200]:
            print("  " + b, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
