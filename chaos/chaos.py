"""The chaos suite's driver (run it as chaos/run; docs/operations.md, "Chaos suite").

Starts, on free ports and under one run directory: Nurture's own PostgreSQL and the real Temporal
server on PostgreSQL (both through ops/temporal-postgres.sh), an SMTP sink (chaos/smtp_sink.py), the
`server` role and two `worker` roles from api/target/nurture.jar (config.example.yml through its
environment variables). Publishes a two-email program, enrols the leads over the fault window, posts
one event per lead, and meanwhile: kill -9 of a worker three times, kill -9 of the API once, two
Temporal restarts, one PostgreSQL restart, the SMTP sink refusing connections for 60 s. Then waits
for every journey to end and checks the ledger, the sink, Temporal and the events. Everything it
started is stopped by PID at the end, whatever happens."""
import argparse, base64, collections, heapq, json, os, random, signal, subprocess, sys, tempfile, threading, time
import urllib.error, urllib.request
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OPS = os.path.join(ROOT, "ops", "temporal-postgres.sh")
JAR = os.path.join(ROOT, "api", "target", "nurture.jar")
KEY = "chaos-suite-api-key"
PROGRAM = "chaos-fast"
STEPS = ("first", "second")
T0 = time.time()


def say(msg):
    print(f"[{time.time() - T0:7.1f}s] {msg}", flush=True)


sys.path.insert(0, os.path.join(ROOT, "ops"))
from free_port import free_ports  # noqa: E402  ports below the kernel's ephemeral range (it says why)


class Topology:
    """Every process of the run, each with its log in the run directory, stopped by PID in stop()."""

    def __init__(self, run_dir):
        self.dir = run_dir
        self.procs = {}  # name -> Popen
        self.logs = {}
        self.lock = threading.Lock()
        self.temporal_dir = os.path.join(run_dir, "temporal")
        self.pg_dir = os.path.join(run_dir, "postgres")
        self.started_temporal = self.started_pg = False
        self.restarting = set()  # roles killed on purpose, restarted by the fault itself
        self.supervised = collections.Counter()  # roles that exited by themselves and were restarted
        self.stopping = False
        os.environ["PATH"] = subprocess.check_output(
            [sys.executable, "-c", "import sysconfig; print(sysconfig.get_path('scripts'))"], text=True).strip() \
            + os.pathsep + os.environ["PATH"]

    def ops(self, *args, log="ops.log"):
        # TMPDIR: the PostgreSQL data (and, as root, the binaries `nobody` runs) go under the run directory,
        # never beside other runs' in /tmp.
        path = os.path.join(self.dir, log)
        with open(path, "a") as f:
            out = subprocess.run([OPS, *args], stdout=subprocess.PIPE, stderr=f, text=True,
                                 env={**os.environ, "TMPDIR": self.dir})
        if out.returncode != 0:
            say(f"ops/temporal-postgres.sh {' '.join(args)} failed (exit {out.returncode}); the end of {path}:")
            print("".join(open(path).readlines()[-20:]), flush=True)
            raise subprocess.CalledProcessError(out.returncode, [OPS, *args])
        return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""

    def start_infra(self):
        say("the Temporal server's binaries (ops/temporal-postgres.sh build: a first build takes 10-15 minutes)")
        self.ops("build")
        say("binaries ready")
        self.started_pg = True
        jdbc = self.ops("pg-start", "--dir", self.pg_dir)
        self.pg_url = "postgres://postgres@" + jdbc.removeprefix("jdbc:postgresql://").removesuffix("/nurture")
        say(f"Nurture's PostgreSQL: {jdbc}")
        self.started_temporal = True
        self.frontend = self.ops("start", "--dir", self.temporal_dir)
        say(f"Temporal server on PostgreSQL: {self.frontend}")
        # Every port the run's own servers take, in one call, so no two are the same.
        self.smtp_port, *role_ports = free_ports(7)
        self.received = os.path.join(self.dir, "received.jsonl")
        self.spawn("smtp-sink", [sys.executable, os.path.join(ROOT, "chaos", "smtp_sink.py"), "--port",
                                 str(self.smtp_port), "--out", self.received, "--refuse", "60"], {})
        self.role_env = {
            "NURTURE_DB_URL": jdbc, "NURTURE_DB_USER": "postgres", "NURTURE_DB_PASSWORD": "",
            "TEMPORAL_ADDRESS": self.frontend, "TEMPORAL_NAMESPACE": "default",
            "NURTURE_SMTP_HOST": "127.0.0.1", "NURTURE_SMTP_PORT": str(self.smtp_port),
            "NURTURE_SMTP_TRANSPORT": "smtp", "NURTURE_SIGNING_KEY": "chaos-suite-signing-key-0123456789abcdef",
            "NURTURE_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),  # per-lead payload keys
            "NURTURE_API_KEY": KEY, "NURTURE_BIND_HOST": "127.0.0.1", "NURTURE_PUBLIC_URL": "http://127.0.0.1",
        }
        self.ports = {name: (role_ports[2 * i], role_ports[2 * i + 1])
                      for i, name in enumerate(("server", "worker-1", "worker-2"))}
        self.api = f"http://127.0.0.1:{self.ports['server'][0]}"

    def spawn(self, name, cmd, env):
        path = os.path.join(self.dir, name + ".log")
        self.logs[name] = path
        with open(path, "a") as log:
            log.write(f"---- started at {time.strftime('%H:%M:%S')}\n"); log.flush()
            p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                 env={**os.environ, **env}, cwd=ROOT, start_new_session=True)
        with self.lock:
            self.procs[name] = p
        return p

    def start_role(self, name):
        role = "server" if name == "server" else "worker"
        port, admin = self.ports[name]
        env = {**self.role_env, "NURTURE_PORT": str(port), "NURTURE_ADMIN_PORT": str(admin)}
        self.spawn(name, ["java", "-Xmx600m", "-jar", JAR, role, os.path.join(ROOT, "config.example.yml")], env)

    def kill9(self, name):
        with self.lock:
            self.restarting.add(name)
            p = self.procs[name]
        p.send_signal(signal.SIGKILL)
        p.wait()

    def restart_role(self, name):
        self.start_role(name)
        with self.lock:
            self.restarting.discard(name)

    def supervise(self):
        """What systemd's Restart=always does in production: a role that exits by itself (e.g. it started
        while PostgreSQL was down and Flyway could not connect) is started again after 2 s."""
        while not self.stopping:
            time.sleep(2)
            with self.lock:
                dead = [n for n, p in self.procs.items()
                        if n in self.ports and p.poll() is not None and n not in self.restarting]
            for name in dead:
                if self.stopping:
                    return
                say(f"supervisor: {name} exited by itself (status {self.procs[name].returncode}); starting it again")
                self.supervised[name] += 1
                self.start_role(name)

    def stop(self):
        self.stopping = True
        for name, p in list(self.procs.items()):
            if p.poll() is None:
                p.terminate()
        for name, p in list(self.procs.items()):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill(); p.wait()
        for what, flag in (("stop", self.started_temporal), ("pg-stop", self.started_pg)):
            if flag:
                try:
                    self.ops(what, "--dir", self.temporal_dir if what == "stop" else self.pg_dir)
                except subprocess.CalledProcessError as e:
                    say(f"ops {what} failed: {e}")
        for d in (self.temporal_dir, self.pg_dir):  # the PostgreSQL data dirs live outside the run dir as root
            path = os.path.join(d, "pgdata-path")
            if os.path.exists(path):
                subprocess.run(["rm", "-rf", open(path).read().strip()])


class Api:
    def __init__(self, base):
        self.base = base

    def call(self, method, path, body=None, ctype="application/json", timeout=30):
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        headers = {"Authorization": f"Bearer {KEY}", **({"Content-Type": ctype} if data is not None else {})}
        req = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()
        except (urllib.error.URLError, OSError, TimeoutError) as e:
            return "unreachable", str(e).encode()

    def until_ok(self, method, path, body=None, ok=(200, 201), tries=60, ctype="application/json", answers=None):
        """A client that retries: every answer is counted in answers; returns the first ok one."""
        for _ in range(tries):
            status, body_out = self.call(method, path, body, ctype)
            if answers is not None:
                answers[status] += 1
            if status in ok:
                return status, body_out
            time.sleep(2)
        raise RuntimeError(f"{method} {path}: no success after {tries} tries (last {status} {body_out[:300]!r})")


def program_yaml(gap):
    # After the two emails the journey waits for the lead's event (or, when it came already, ends):
    # every event answered 202 must reach a running journey, and the journey ends only once it has
    # (or 10 minutes later, and then the check fails). A fixed linger raced the events the faults
    # delayed: one accepted 20 s before its journey's 90 s wait ended reached the outbox's turn 2 s
    # after it (2026-12-02).
    return f"""id: {PROGRAM}
name: Chaos suite (two emails {gap}s apart, then the lead's event)
send_policy: none
steps:
  - {{ id: first, send: onboarding-welcome }}
  - {{ id: gap, wait: {gap}s }}
  - {{ id: second, send: onboarding-problem }}
  - id: seen
    branch:
      - when: {{ event_seen: {{ type: page_visited, within: 1h }} }}
        goto: done
      - else: linger
  - id: linger
    wait_for:
      any: [ {{ event: page_visited }} ]
      timeout: 10m
    on_event: done
    on_timeout: done
  - {{ id: done, wait: 1s }}
"""


def psql(url, sql):
    out = subprocess.run(["psql", "-tA", "-F", "\t", url + "/nurture", "-c", sql], capture_output=True, text=True,
                         timeout=60)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def temporal_count(frontend, status):
    out = subprocess.run(["temporal", "workflow", "count", "--address", frontend, "--query",
                          f'WorkflowType="LeadJourneyWorkflow" AND ExecutionStatus="{status}"'],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return int(out.stdout.split(":")[-1].strip())


def main():
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("--leads", type=int, default=1000)
    a.add_argument("--quick", action="store_true", help="100 leads, a shorter fault window (development)")
    a.add_argument("--gap", type=int, default=25, help="seconds between the two emails")
    a.add_argument("--window", type=int, default=0, help="seconds over which leads are enrolled and faults injected")
    a.add_argument("--seed", type=int, default=int(time.time()))
    a.add_argument("--dir", default="")
    a.add_argument("--finish-timeout", type=int, default=1200)
    a.add_argument("--no-build", action="store_true", help="use api/target/nurture.jar as it is")
    a.add_argument("--keep", action="store_true", help="keep the run directory after a pass")
    a.add_argument("--max-minutes", type=float, default=50,
                   help="fail (stopping everything) when the whole run, the Temporal server build included, "
                        "takes longer: a hang ends as a failure that says where, not as CI's time-out")
    args = a.parse_args()
    if args.quick:
        args.leads = min(args.leads, 100)
    window = args.window or (150 if args.quick else 300)
    rnd = random.Random(args.seed)
    run_dir = args.dir or tempfile.mkdtemp(prefix="nurture-chaos-")
    os.makedirs(run_dir, exist_ok=True)
    os.chmod(run_dir, 0o755)  # as root, PostgreSQL runs as nobody and must reach its data inside
    say(f"run directory {run_dir}; seed {args.seed}; {args.leads} leads x {len(STEPS)} emails; fault window {window}s")
    if not args.no_build or not os.path.exists(JAR):
        say("building the jar (./mvnw -o package, under /tmp/nurture-mvn.lock)")
        with open(os.path.join(run_dir, "build.log"), "w") as f:
            # -DskipTests, not -Dmaven.test.skip: the api module needs the activities' test jar, which
            # only a build that compiles the tests makes (a fresh ~/.m2 has none).
            built = subprocess.run(["flock", "/tmp/nurture-mvn.lock", "./mvnw", "-q", "-o", "-B", "-ntp",
                                    "-DskipTests", "package"], cwd=ROOT, stdout=f, stderr=subprocess.STDOUT)
        if built.returncode != 0:
            say(f"the jar did not build (exit {built.returncode}); the end of {f.name}:")
            print("".join(open(f.name).readlines()[-15:]), flush=True)
            sys.exit(1)
    topo = Topology(run_dir)
    passed = False

    def give_up():
        say(f"FAIL: the run took longer than {args.max_minutes:g} minutes; the line above says where it was")
        print("logs:", flush=True)
        for name, path in sorted(topo.logs.items()):
            print(f"  {name:10} {path}")
        print(f"  {'':10} {os.path.join(run_dir, 'ops.log')}", flush=True)
        topo.stop()
        os._exit(1)
    # Under CI (.ci/run sets NURTURE_CI_DEADLINE, epoch seconds): never past CI's own limit.
    if os.environ.get("NURTURE_CI_DEADLINE"):
        args.max_minutes = min(args.max_minutes, max(1.0, (int(os.environ["NURTURE_CI_DEADLINE"]) - time.time()) / 60))
        say(f"CI deadline: this run gives up after {args.max_minutes:.0f} minutes")
    watchdog = threading.Timer(args.max_minutes * 60, give_up)
    watchdog.daemon = True
    watchdog.start()

    def on_signal(signum, _frame):
        raise SystemExit(f"stopped by signal {signum}")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        passed = run(topo, args, window, rnd)
    except BaseException as e:
        say(f"run aborted: {e!r}")
    finally:
        if not passed:
            print("logs:", flush=True)
            for name, path in sorted(topo.logs.items()):
                print(f"  {name:10} {path}")
            for name in ("ops.log", "temporal/server.log", "temporal/schema.log", "events.jsonl", "received.jsonl"):
                print(f"  {'':10} {os.path.join(run_dir, name)}")
        topo.stop()
        say("everything this run started is stopped")
        if passed and not args.keep and not args.dir:
            subprocess.run(["rm", "-rf", run_dir])
    sys.stdout.flush()
    os._exit(0 if passed else 1)  # not waiting for client threads still retrying against a stopped API


def run(topo, args, window, rnd):
    topo.start_infra()
    api = Api(topo.api)
    for name in ("server", "worker-1", "worker-2"):
        topo.start_role(name)
    deadline = time.time() + 240
    while api.call("GET", "/v1/programs")[0] != 200:
        if topo.procs["server"].poll() is not None:
            raise RuntimeError(f"the server role exited at start-up; see {topo.logs['server']}")
        if time.time() > deadline:
            raise RuntimeError("the server role did not answer within 240 s")
        time.sleep(1)
    status, body = api.call("PUT", f"/v1/programs/{PROGRAM}", program_yaml(args.gap).encode(), "application/yaml")
    if status not in (200, 201):
        raise RuntimeError(f"publishing the program: {status} {body[:500]!r}")
    say(f"roles up: server {topo.api}, two workers; program {PROGRAM} published")
    threading.Thread(target=topo.supervise, daemon=True).start()

    run_tag = f"c{args.seed % 100000}"
    leads = [f"{run_tag}-{i:05d}" for i in range(args.leads)]
    answers = collections.Counter()        # every answer to an enrolment-side call
    event_answers = collections.Counter()  # every answer to an event POST
    events = {}                            # lead -> {"id", "status", "delivered", "at"}
    events_lock = threading.Lock()
    faults = []
    start = time.time()

    # Faults: each at a random instant of the window; the two Temporal restarts at least 60 s apart.
    plan = [("worker_kill", rnd.uniform(10, window)) for _ in range(3)]
    plan += [("api_kill", rnd.uniform(10, window)), ("pg_restart", rnd.uniform(10, window)),
             ("smtp_outage", rnd.uniform(10, max(11, window - 60)))]
    while True:
        t1, t2 = rnd.uniform(10, window), rnd.uniform(10, window)
        if abs(t1 - t2) >= 60:
            break
    plan += [("temporal_restart", t1), ("temporal_restart", t2)]
    plan.sort(key=lambda p: p[1])
    worker_locks = {w: threading.Lock() for w in ("worker-1", "worker-2")}

    def fault(kind, at):
        time.sleep(max(0, start + at - time.time()))
        t = time.time() - start
        if kind == "worker_kill":
            w = rnd.choice(sorted(worker_locks))
            with worker_locks[w]:
                topo.kill9(w)
                say(f"fault: kill -9 {w}")
                time.sleep(rnd.uniform(3, 8))
                topo.restart_role(w)
                say(f"fault: {w} restarted")
            kind = f"worker_kill({w})"
        elif kind == "api_kill":
            topo.kill9("server"); say("fault: kill -9 server (API)")
            time.sleep(rnd.uniform(3, 8))
            topo.restart_role("server"); say("fault: server restarted")
        elif kind == "temporal_restart":
            say("fault: Temporal server restart")
            topo.ops("server-restart", "--dir", topo.temporal_dir, "--down", "5")
            say("fault: Temporal server back")
        elif kind == "pg_restart":
            say("fault: Nurture's PostgreSQL restart (10 s down)")
            topo.ops("pg-restart", "--dir", topo.pg_dir, "--down", "10")
            say("fault: PostgreSQL back")
        elif kind == "smtp_outage":
            topo.procs["smtp-sink"].send_signal(signal.SIGUSR1); say("fault: SMTP refusing connections for 60 s")
        faults.append((round(t, 1), kind))

    fault_threads = [threading.Thread(target=fault, args=p, daemon=True) for p in plan]
    for t in fault_threads:
        t.start()
    say("faults planned at: " + ", ".join(f"{k}@{t:.0f}s" for k, t in plan))

    ev_pool = ThreadPoolExecutor(8)
    due_events, due_lock, enrolling_done = [], threading.Lock(), threading.Event()

    def dispatch():  # hands each event to the pool at its due time (the pool never sleeps on a later one)
        while True:
            with due_lock:
                now = time.time()
                while due_events and due_events[0][0] <= now:
                    ev_pool.submit(post_event, heapq.heappop(due_events)[1])
                empty = not due_events
            if empty and enrolling_done.is_set():
                return
            time.sleep(0.2)
    dispatcher = threading.Thread(target=dispatch, daemon=True)
    dispatcher.start()
    ev_log = open(os.path.join(topo.dir, "events.jsonl"), "a", buffering=1)

    def post_event(lead):
        eid = f"ev-{lead}"
        body = {"id": eid, "type": "page_visited", "properties": {"page": "blog"}}  # 1 point: no hand-off
        rec = {"id": eid, "status": None, "delivered": None, "answers": []}
        give_up = time.time() + 300
        while time.time() < give_up:  # a client retrying an event is safe: the id makes it idempotent
            status, out = api.call("POST", f"/v1/leads/{lead}/events", body)
            event_answers[status] += 1
            rec["answers"].append(status)
            if status == 202:
                rec["status"] = 202
                answer = json.loads(out)
                rec["delivered"] = answer.get("delivered_to_journey")
                rec["outbox"] = answer.get("delivered") is False  # 202 delivered: false, left to the outbox
                rec["at"] = time.time()
                break
            time.sleep(5)
        with events_lock:
            events[lead] = rec
        ev_log.write(json.dumps({"lead": lead, **rec}) + "\n")

    # Enrolment: paced over 60% of the window, in batches of 20 (an upsert batch, then each enrolment).
    enrol_span = window * 0.6
    batch = 20
    enrolled = []
    with ThreadPoolExecutor(8) as pool:
        for i in range(0, len(leads), batch):
            chunk = leads[i:i + batch]
            time.sleep(max(0, start + enrol_span * i / len(leads) - time.time()))
            body = {"leads": [{"id": l, "email": f"{l}@example.com", "consent": "opt_in", "first_name": "Pat",
                               "company": "Initech", "timezone": "UTC"} for l in chunk]}
            status, out = api.until_ok("PUT", "/v1/leads:batch", body, answers=answers)
            failed = json.loads(out).get("failed", 0)
            if failed:
                api.until_ok("PUT", "/v1/leads:batch", body, answers=answers)
            # 202: Temporal away or late, the enrolment waits in the outbox and starts when it answers
            # (the finish below waits for every enrolled lead's journey).
            list(pool.map(lambda l: api.until_ok("POST", f"/v1/leads/{l}/journey", {"program": PROGRAM},
                                                 ok=(200, 201, 202), answers=answers), chunk))
            enrolled += chunk
            with due_lock:
                for l in chunk:
                    heapq.heappush(due_events, (time.time() + rnd.uniform(3, 60), l))
    say(f"{len(enrolled)} leads enrolled; waiting for the faults and events")
    enrolling_done.set()
    for t in fault_threads:
        t.join()
    dispatcher.join()
    ev_pool.shutdown(wait=True)
    say(f"faults done: {faults}; {len(events)} events posted")

    # Every journey ends (the program ends 90 s after its second email); bounded.
    deadline = time.time() + args.finish_timeout
    while True:
        try:
            running = temporal_count(topo.frontend, "Running")
            total = int(psql(topo.pg_url, f"SELECT count(*) FROM journeys WHERE program_id = '{PROGRAM}'")[0][0])
        except Exception as e:
            running, total = -1, -1
            say(f"not answering yet: {e}")
        if running == 0 and total == len(enrolled):
            break
        if time.time() > deadline:
            say(f"journeys still running after {args.finish_timeout}s: {running}")
            break
        say(f"waiting: {running} journeys running, {total} mirrored")
        time.sleep(15)
    return check(topo, api, enrolled, events, answers, event_answers, faults, time.time() - start)


def check(topo, api, enrolled, events, answers, event_answers, faults, elapsed):
    failures = []
    ledger = psql(topo.pg_url, f"SELECT lead_id, step_id, status, message_id, idempotency_key FROM messages "
                               f"WHERE program_id = '{PROGRAM}'")
    alerts = {r[0] for r in psql(topo.pg_url, "SELECT dedupe_key FROM alerts WHERE kind = 'send_outcome_unknown'")}
    received = collections.Counter()
    with open(topo.received) as f:
        for line in f:
            received[json.loads(line)["message_id"]] += 1
    rows = {(r[0], r[1]): r for r in ledger}
    statuses = collections.Counter(r[2] for r in ledger)
    once = missing = unknown = unknown_alerted = unknown_received = 0
    for lead in enrolled:
        for step in STEPS:
            r = rows.get((lead, step))
            if r is None:
                missing += 1
                failures.append(f"{lead}/{step}: no ledger row (never sent)")
                continue
            _, _, status, mid, key = r
            n = received[mid]
            if status == "unknown":
                unknown += 1
                unknown_received += n
                if f"send_outcome_unknown/{key}" in alerts:
                    unknown_alerted += 1
                else:
                    failures.append(f"{key}: unknown without a send_outcome_unknown alert")
                if n > 1:
                    failures.append(f"{key}: unknown, and received {n} times")
            elif status == "sent" and n == 1:
                once += 1
            else:
                failures.append(f"{key}: ledger {status}, received {n} times")
    ledger_ids = {r[3] for r in ledger}
    twice = {m: n for m, n in received.items() if n > 1}
    for m, n in twice.items():
        failures.append(f"Message-ID {m} received {n} times")
    strays = [m for m in received if m not in ledger_ids]
    if strays:
        failures.append(f"{len(strays)} received messages not in the ledger, e.g. {strays[:3]}")

    wf = {}
    for s in ("Running", "Failed", "TimedOut", "Terminated", "Canceled", "Completed"):
        wf[s] = temporal_count(topo.frontend, s)
        if s not in ("Completed", "Canceled") and wf[s]:
            failures.append(f"{wf[s]} journeys {s}")
    journeys = collections.Counter(r[0] for r in psql(topo.pg_url, f"SELECT status FROM journeys WHERE program_id = '{PROGRAM}'"))

    # Every event answered 202 is in its journey's history (the signal carries its id).
    accepted = {l: e for l, e in events.items() if e["status"] == 202}
    not_answered = [l for l, e in events.items() if e["status"] != 202]
    lost = []

    def reached(lead):
        ev = accepted[lead]["id"]
        cursor = ""
        while True:
            status, body = api.until_ok("GET", f"/v1/leads/{lead}/journey/history?limit=1000{cursor}", ok=(200,))
            page = json.loads(body)
            if ev in body.decode():
                return True
            if not page.get("next_cursor"):
                return False
            cursor = f"&cursor={page['next_cursor']}"
    with ThreadPoolExecutor(8) as pool:
        for lead, ok in zip(accepted, pool.map(reached, list(accepted))):
            if not ok:
                lost.append(lead)
    for lead in lost:
        failures.append(f"event {accepted[lead]['id']} answered 202 (delivered_to_journey "
                        f"{accepted[lead]['delivered']}) is not in its journey's history")
    if not_answered:
        failures.append(f"{len(not_answered)} events never answered 202 in 300 s of retries, e.g. "
                        f"{[(l, events[l]['answers']) for l in not_answered[:3]]}")

    # An outage is answered 503 with Retry-After, never another 5xx (docs/operations.md, "Outages").
    for name, counted in (("enrolment", answers), ("event", event_answers)):
        errors = {s: n for s, n in counted.items() if isinstance(s, int) and s >= 500 and s != 503}
        if errors:
            failures.append(f"{name} calls answered {errors}: a server error, not 503 (see server.log)")

    expected = len(enrolled) * len(STEPS)
    print(f"""
==== chaos suite: {'PASS' if not failures else 'FAIL'} ({elapsed:.0f} s from first enrolment to checked)
leads enrolled                 {len(enrolled)}
emails expected (lead x step)  {expected}
  received exactly once        {once}
  outcome unknown (alerted)    {unknown} ({unknown_alerted} alerted, {unknown_received} of them received)
  missing                      {missing}
  received twice or more       {len(twice)}
  received, not in the ledger  {len(strays)}
ledger statuses                {dict(statuses)}
workflows (Temporal)           {wf}
journeys (mirror)              {dict(journeys)}
events posted                  {len(events)}: answered 202 {len(accepted)} (delivered_to_journey false: {sum(1 for e in accepted.values() if e['delivered'] is False)}, left to the outbox: {sum(1 for e in accepted.values() if e.get('outbox'))}), reached their journey {len(accepted) - len(lost)}
event answers (all tries)      {dict(event_answers)}
enrolment answers (all tries)  {dict(answers)}
faults                         {faults}
roles restarted by supervisor  {dict(topo.supervised)} (exited by themselves)
====""", flush=True)
    for f in failures[:50]:
        print("FAIL", f)
    if len(failures) > 50:
        print(f"... and {len(failures) - 50} more")
    return not failures


if __name__ == "__main__":
    main()
