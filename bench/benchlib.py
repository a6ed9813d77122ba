"""What the benchmarks that drive a running `dev` over HTTP share (python3, standard library only):
bench/suite.py imports it, the bench/*.sh scripts' Python through PYTHONPATH=bench.

Reads NURTURE_PORT and NURTURE_ADMIN_PORT from the environment (bench/dev-on-free-ports.sh and
bench/run export them). Every call carries the bench's API key, `bench-key`.
"""
import datetime, glob, http.client, json, os, re, sys, time

KEY = "bench-key"


class HttpError(Exception):
    """An answer of 400 or more (the call's status and body), as urllib's HTTPError was."""

    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {body[:300]!r}")
        self.status, self.body = status, body


def psql(sql):
    """One statement on `dev`'s PostgreSQL (BENCH_PG_PORT), its rows as psql's unaligned text."""
    import subprocess
    return subprocess.run(["psql", "-tAq", "-h", "127.0.0.1", "-p", os.environ["BENCH_PG_PORT"], "-U", "postgres",
                           "-d", "postgres", "-c", sql], check=True, capture_output=True, text=True).stdout.strip()


def call(method, path, body=None, ctype="application/json", timeout=300, port=None, headers=None):
    """One API call with the bench key: (status, the answer parsed if it is JSON, else its bytes).

    Over HTTP/1.1 without `Connection: close` (urllib sends that, and then the server's answer has no
    length and ends where the connection does, so an answer cut short reads as a complete, shorter
    one): here every answer has a Content-Length or chunks, and a cut one raises
    http.client.IncompleteRead instead of handing half a document to json.loads.
    """
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    headers = {"Authorization": f"Bearer {KEY}", **(headers or {})}
    if data is not None:
        headers["Content-Type"] = ctype
    conn = http.client.HTTPConnection("127.0.0.1", int(port or os.environ["NURTURE_PORT"]), timeout=timeout)
    try:
        conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        raw = r.read()
        if r.status >= 400:
            raise HttpError(r.status, raw)
        return r.status, (json.loads(raw) if raw and r.headers.get_content_type().endswith("json") else raw)
    finally:
        conn.close()


REFUSED = [0]  # 503s answered to call_retrying before its call was accepted


def call_retrying(method, path, body=None, give_up=60):
    """`call`, a 503 tried again after a second (as an MA system does) for up to `give_up` seconds,
    each counted in REFUSED."""
    started = time.time()
    while True:
        try:
            return call(method, path, body)
        except HttpError as e:
            if e.status != 503 or time.time() - started > give_up:
                raise
            REFUSED[0] += 1
            time.sleep(1)


def wait_for_dev(seconds=180):
    """Until `dev` answers an authenticated call (it starts in the background), or exits saying so."""
    deadline = time.time() + seconds
    while True:
        try:
            call("GET", "/v1/programs", timeout=30)
            return
        except Exception:
            if time.time() > deadline:
                sys.exit(f"dev did not start within {seconds} s (see its log)")
            time.sleep(1)


def publish(program_id, yaml):
    call("PUT", f"/v1/programs/{program_id}", yaml.encode(), "application/yaml")


def window_opening(seconds):
    """The whole minute after `seconds` from now (UTC): when a burst's send window opens."""
    opens = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    opens = opens.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    if opens.hour == 23 and opens.minute >= 50 or opens.hour == 0 and opens.minute < 1:
        sys.exit("the burst's window would cross midnight UTC: run again after 00:01")
    return opens


def publish_burst(program_id, opens, template="onboarding-welcome", name=None, form=None):
    """A one-email program whose email may go out from `opens` on (its send window opens then: a
    scheduled burst); enrolled explicitly, or with `form` by a form_submitted event of that form."""
    publish(program_id, f"""id: {program_id}
""" + (f"name: {name}\n" if name else "") + (f"trigger: {{ event: form_submitted, where: {{ form: {form} }} }}\n" if form else "")
        + f"""send_policy:
  timezone: UTC
  windows: [ {{ days: mon-sun, from: "{opens:%H:%M}", to: "23:59" }} ]
  min_gap: 1m
  max_per_7d: 0
steps:
  - {{ id: news, send: {template} }}
""")


def prometheus(names=()):
    """The admin port's /prometheus, as text; with names, only those metrics (`name[]`: a poll during a
    timed drain then costs the JVM a fraction of the whole page, 534 KB)."""
    conn = http.client.HTTPConnection("127.0.0.1", int(os.environ["NURTURE_ADMIN_PORT"]), timeout=60)
    try:
        query = "&".join("name%5B%5D=" + n for n in names)
        conn.request("GET", "/prometheus" + ("?" + query if query else ""))
        return conn.getresponse().read().decode()
    finally:
        conn.close()


def samples(text):
    """The samples of a /prometheus page: (name, {label: value}, value) each."""
    for name, labels, value in re.findall(r'^(\w+)(?:\{([^}]*)\})? ([0-9.eE+-]+|NaN)$', text, re.M):
        yield name, dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', labels)), float(value)


def metric_sums(prefix, names=()):
    """Each metric whose name starts with prefix, summed over its labels: {name: value} (of the metrics
    named, when names are given)."""
    sums = {}
    for name, _, value in samples(prometheus(names)):
        if name.startswith(prefix):
            sums[name] = sums.get(name, 0.0) + value
    return sums


def count_sent(program):
    """The worker's nurture_emails_sent_total for one program (the admin port's /prometheus)."""
    return sum(value for name, labels, value in samples(prometheus(("nurture_emails_sent",)))
               if name == "nurture_emails_sent_total" and labels.get("program") == program)


def thread_cpu(pid, prefix):
    """CPU seconds (user + system) of process pid's threads whose name starts with prefix, from /proc."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for t in glob.glob(f"/proc/{pid}/task/*"):
        try:
            if open(t + "/comm").read().strip().startswith(prefix):
                f = open(t + "/stat").read().rsplit(")", 1)[1].split()
                total += int(f[11]) + int(f[12])
        except OSError:
            pass  # the thread ended between the listing and the read
    return total / tick


def process_cpu(pid):
    """CPU seconds (user + system) of process pid, all its threads, from /proc."""
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def one_at_a_time(label, pid, items, fn):
    """Calls fn(item) for each item in turn and prints the wall time per call (p50, p95) and the CPU
    per call of process pid's request threads (`dw-*`) and of the whole process, from /proc."""
    c0, p0, t0 = thread_cpu(pid, "dw-"), process_cpu(pid), time.time()
    lat = []
    for item in items:
        s = time.time()
        fn(item)
        lat.append(time.time() - s)
    c1, p1, t1 = thread_cpu(pid, "dw-"), process_cpu(pid), time.time()
    lat.sort()
    n = len(items)
    print(f"{label}: {n} calls one at a time, wall p50 {1000 * lat[n // 2]:.1f} ms p95 {1000 * lat[int(n * .95)]:.1f} ms; "
          f"request threads {1000 * (c1 - c0) / n:.1f} ms CPU a call; whole JVM {1000 * (p1 - p0) / n:.1f} ms a call "
          f"over {t1 - t0:.0f} s", flush=True)


def result(key, value, unit, text="", note=""):
    """A figure for bench/table.py: one `RESULT {json}` line."""
    print("RESULT " + json.dumps({"figure": key, "value": value, "text": text, "unit": unit, "note": note}), flush=True)


def log(msg):
    print(f"{time.strftime('%H:%M:%S')} {msg}", flush=True)
