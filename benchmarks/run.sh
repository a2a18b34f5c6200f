#!/usr/bin/env bash
# Benchmarks and the performance budget (issue 8). One run, side by side: JMH for the pure core; HTTP load on the
# metrics API in local mode against a real Prometheus holding 10,000 series, and the same questions asked as live
# PromQL queries; JVM start-up and memory; optionally a soak. Prints the tables and writes them, with the machine's
# description, to benchmarks/results/<date>.md. See benchmarks/README.md.
#
#   benchmarks/run.sh              build, run everything (about 6 minutes on 2 quiet cores, builds included)
#   benchmarks/run.sh --no-build   use target/quarkus-app and benchmarks/harness/target as they are
#   benchmarks/run.sh --soak       also the soak: 9 minutes of load with Prometheus killed and restarted twice
#   benchmarks/run.sh --quick      short phases, to check the harness; figures not comparable
#   benchmarks/run.sh --out FILE   write the results there instead of benchmarks/results/<date>.md
# It ends with benchmarks/series.sh (10,000 and 100,000 series per rule at the image's heap), appended to the results.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"
APP_JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
HARNESS_JAR="$BENCH/harness/target/benchmarks.jar"
FLOOR_JAR="$BENCH/floor/target/quarkus-app/quarkus-run.jar"   # an empty Quarkus app with the product's extensions
LUA="$BENCH/http/cycle.lua"

build=true soak=false quick=false out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=false ;;
    --soak) soak=true ;;
    --quick) quick=true ;;
    --out) out="$2"; shift ;;
    -h|--help) sed -n '2,12s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

# Phase lengths in seconds. The fixed rate is the issue's 1,000 req/s: an HPA asks every 15 s per object, so that
# is ~15,000 HPA-scaled objects. Each can be overridden from the environment.
RATE="${RATE:-1000}"
CONNECTIONS="${CONNECTIONS:-16}"          # wrk and the fixed-rate load alike
if $quick; then
  JMH_ARGS="${JMH_ARGS:--f 1 -wi 1 -w 1s -i 2 -r 1s}"
  WARM="${WARM:-3}" FIXED="${FIXED:-5}" FIXED_WARM="${FIXED_WARM:-2}" SAT="${SAT:-4}" PROFILE="${PROFILE:-3}"
else
  JMH_ARGS="${JMH_ARGS:--f 1 -wi 3 -w 1s -i 5 -r 1s}"
  WARM="${WARM:-10}" FIXED="${FIXED:-30}" FIXED_WARM="${FIXED_WARM:-5}" SAT="${SAT:-15}" PROFILE="${PROFILE:-10}"
fi
SOAK_RATE="${SOAK_RATE:-200}"
if $quick; then
  SOAK_SECONDS="${SOAK_SECONDS:-120}" OUTAGE_1="${OUTAGE_1:-20}" OUTAGE_2="${OUTAGE_2:-70}" OUTAGE_LEN="${OUTAGE_LEN:-30}"
else
  # Outages longer than the app's max-staleness (2 min), so the 503 path is exercised, not only last-good-data.
  SOAK_SECONDS="${SOAK_SECONDS:-540}" OUTAGE_1="${OUTAGE_1:-60}" OUTAGE_2="${OUTAGE_2:-300}" OUTAGE_LEN="${OUTAGE_LEN:-150}"
fi
APP_JAVA_OPTS="${APP_JAVA_OPTS:-}"        # extra JVM flags for the app; empty = as `java -jar` runs it

say() { printf '\n== %s\n' "$*" >&2; }
die() { echo "benchmarks: $*" >&2; exit 1; }
started_at=$SECONDS

# --- tools --------------------------------------------------------------------------------------------------
apt_install() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
for tool in prometheus:prometheus promtool:prometheus wrk:wrk curl:curl; do
  if ! command -v "${tool%%:*}" >/dev/null; then
    say "installing Debian's ${tool##*:} package"
    apt_install "${tool##*:}" || die "${tool%%:*} is missing; install it as root: apt-get install -y ${tool##*:}"
  fi
done
for tool in java jcmd jfr; do command -v "$tool" >/dev/null || die "$tool is missing (a JDK 17 is needed)"; done

# --- processes and cleanup (the patterns of deploy/local/demo.sh) ---------------------------------------------
RUN_ID="$(date +%Y%m%d-%H%M%S)"
WORK="$BENCH/work/$RUN_ID"          # kept after the run (gitignored): logs, raw outputs, the JFR recording
mkdir -p "$WORK"
declare -A PIDS=()
SOFT=false          # true: a failed start or load step returns non-zero instead of ending the run
cleanup() {
  local name
  for name in "${!PIDS[@]}"; do
    if [ "$name" = app ]; then
      kill -TERM "${PIDS[$name]}" 2>/dev/null || true
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "${PIDS[$name]}" 2>/dev/null || break; sleep 0.5; done
    fi
    kill -KILL "${PIDS[$name]}" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$WORK/tsdb" "$WORK/fleet.om"   # large and re-made every run
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

USED_PORTS=" "
free_port() { # VAR
  local port
  while :; do
    port=$((20000 + RANDOM % 12768))
    case "$USED_PORTS" in *" $port "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      USED_PORTS+="$port "
      printf -v "$1" '%s' "$port"
      return
    fi
  done
}
http_ok() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; }
log_tail() { { echo "--- last lines of $WORK/$1.log"; tail -n "${2:-30}" "$WORK/$1.log" || true; } >&2; }
wait_ready() { # NAME URL SECONDS
  local deadline=$((SECONDS + $3))
  until http_ok "$2"; do
    if ! kill -0 "${PIDS[$1]}" 2>/dev/null; then log_tail "$1"; die "$1 exited during start-up"; fi
    if [ "$SECONDS" -ge "$deadline" ]; then log_tail "$1"; die "$1 not ready at $2 after $3 s"; fi
    sleep 0.1
  done
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
LOADS=()
note_load() { LOADS+=("$1: $(loadavg)"); }
rss_mib() { awk -v k="${2:-VmRSS}:" '$1 == k { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
# Start-up floor: runs CMD... (an empty Quarkus app on $APP_PORT, output to $WORK/NAME.log), times process start to
# /q/health/ready 200 (60 s at most), takes its RSS, stops it. Sets FLOOR_MS and FLOOR_RSS; fails if it never got ready.
floor_start() { # NAME CMD...
  local name="$1" t0 deadline up=true
  shift
  t0=$(date +%s%N)
  "$@" >"$WORK/$name.log" 2>&1 &
  PIDS[floor]=$!
  deadline=$((SECONDS + 60))
  until curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$APP_PORT/q/health/ready" 2>/dev/null; do
    if ! kill -0 "${PIDS[floor]}" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then up=false; break; fi
    sleep 0.02
  done
  FLOOR_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
  FLOOR_RSS=$(rss_mib "${PIDS[floor]}" 2>/dev/null || echo 0)
  kill -TERM "${PIDS[floor]}" 2>/dev/null || true
  wait "${PIDS[floor]}" 2>/dev/null || true
  unset 'PIDS[floor]'
  $up
}

# --- numbers ------------------------------------------------------------------------------------------------
calc() { awk "BEGIN { printf \"%s\", ($1) }"; }   # parenthesised: a bare > in printf would redirect
fmt() { awk -v v="$1" -v d="${2:-1}" 'BEGIN { if (v == "" || v == "nan" || v == "NaN") print "n/a"; else printf "%.*f", d, v }'; }
kv() { grep -o "\b$2=[^ ]*" "$1" | head -1 | cut -d= -f2; }   # FILE KEY: from a FixedRateLoad line
wrk_ms() { # FILE PERCENT|max -> ms
  awk -v p="$2%" 'function ms(x,  u) { u = x; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", x)
      return x * ((u == "us") ? 0.001 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1) }
    p == "max%" && $1 == "Latency" && !done { printf "%.3f", ms($4); done = 1 }
    $1 == p { printf "%.3f", ms($2) }' "$1"
}
wrk_rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
wrk_non2xx() { awk '/Non-2xx or 3xx responses:/ { n = $5 } END { print n + 0 }' "$1"; }
wrk_errors() { awk '/Socket errors:/ { gsub(/,/, ""); n = $4 + $6 + $8 + $10 } END { print n + 0 }' "$1"; }
wrk_requests() { awk '/requests in/ { print $1 }' "$1"; }
jmh() { # BENCHMARK FIELD(score|error|unit)
  awk -F, -v b="\"io.rwautoscaler.bench.jmh.$1\"" -v f="$2" '$1 == b {
    gsub(/"/, "", $7); if (f == "score") print $5; else if (f == "error") print $6; else print $7 }' "$WORK/jmh.csv"
}
# below VALUE LIMIT UNIT -> "met" or how far it missed
below() {
  awk -v v="$1" -v l="$2" -v u="$3" 'BEGIN { if (v == "" || v == "n/a") { print "not measured"; exit }
    if (v + 0 < l + 0) printf "met (%.0f %% of the budget)", 100 * v / l;
    else printf "**missed** by %.4g %s (%.2f× the budget)", v - l, u, v / l }'
}
# atleast VALUE LIMIT UNIT
atleast() {
  awk -v v="$1" -v l="$2" -v u="$3" 'BEGIN { if (v == "" || v == "n/a") { print "not measured"; exit }
    if (v + 0 >= l + 0) printf "met (%.2f× the budget)", v / l;
    else printf "**missed** by %.4g %s (%.0f %% of the budget)", l - v, u, 100 * v / l }'
}

# --- build --------------------------------------------------------------------------------------------------
note_load "start"
if $build; then
  say "building the app (./mvnw -B -q package -DskipTests)"
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
  say "building the benchmark harness (benchmarks/harness)"
  (cd "$ROOT" && ./mvnw -B -q -f benchmarks/harness/pom.xml package)
  say "building the start-up floor (benchmarks/floor: an empty Quarkus app with the product's extensions)"
  (cd "$ROOT" && ./mvnw -B -q -f benchmarks/floor/pom.xml package)
fi
[ -f "$APP_JAR" ] || die "$APP_JAR not found: build it (./mvnw -B package -DskipTests) or drop --no-build"
[ -f "$FLOOR_JAR" ] || die "$FLOOR_JAR not found: ./mvnw -B -f benchmarks/floor/pom.xml package"
[ -f "$HARNESS_JAR" ] || die "$HARNESS_JAR not found: ./mvnw -B -f benchmarks/harness/pom.xml package"
build_seconds=$((SECONDS - started_at))

# --- JMH ----------------------------------------------------------------------------------------------------
say "JMH: the pure core ($JMH_ARGS)"
note_load "before JMH"
# shellcheck disable=SC2086
java -jar "$HARNESS_JAR" $JMH_ARGS -rf csv -rff "$WORK/jmh.csv" >"$WORK/jmh.log" 2>&1 \
  || { tail -n 40 "$WORK/jmh.log" >&2; die "JMH failed; log: $WORK/jmh.log"; }
sed -n '/^Benchmark  /,$p' "$WORK/jmh.log" >&2
java -cp "$HARNESS_JAR" io.rwautoscaler.bench.Describe >"$WORK/data.md"

# --- Prometheus with 10,000 series ----------------------------------------------------------------------------
say "Prometheus: backfilling 10,000 queue series and the pods' up series"
now=$(date +%s)
# Samples every 4 min (inside PromQL's 5 min look-back) from 5 min ago to 2 h ahead: the data stays "current" for
# the whole run without anything scraping during the measurements.
java -cp "$HARNESS_JAR" io.rwautoscaler.bench.FleetFiles "$WORK" $((now - 300)) $((now + 7200)) 240 >&2
promtool tsdb create-blocks-from openmetrics "$WORK/fleet.om" "$WORK/tsdb" >"$WORK/promtool.log" 2>&1 \
  || { tail "$WORK/promtool.log" >&2; die "promtool failed"; }
printf 'global:\n  scrape_interval: 15s\nscrape_configs: []\n' >"$WORK/prometheus.yml"
free_port PROM_PORT
free_port APP_PORT
start_prometheus() {
  prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
    --storage.tsdb.retention.time=3650d --web.listen-address="127.0.0.1:$PROM_PORT" >>"$WORK/prometheus.log" 2>&1 &
  PIDS[prometheus]=$!
  wait_ready prometheus "http://127.0.0.1:$PROM_PORT/-/ready" 60
}
start_prometheus
series=$(curl -fsS -G --data-urlencode 'query=count(prometheus_remote_storage_samples_pending)' \
  "http://127.0.0.1:$PROM_PORT/api/v1/query" | grep -o '"[0-9]*"\]' | tr -dc 0-9)
[ "$series" = 10000 ] || die "Prometheus holds $series queue series, expected 10000"

# --- the app: start-up ----------------------------------------------------------------------------------------
# start_app NAME FLAGS [VAR=VALUE...]: launches the app, waits for readiness; sets APP_PID and, for NAME, READY_MS, STARTED_S,
# FIRST_REFRESH_S, RSS_READY. GC events go to $WORK/NAME-gc.log (-Xlog:gc to a file costs nothing measurable).
start_app() {
  local name="$1" flags="$2" t0 deadline
  shift 2
  t0=$(date +%s%N)
  if [ -n "${LAUNCH:-}" ]; then
    # through native/run-jvm.sh, the JVM image's entry point (it execs java: the PID is the JVM's)
    # shellcheck disable=SC2086
    env "$@" $LAUNCH APP_DIR="$(dirname "$APP_JAR")" "$ROOT/native/run-jvm.sh" $flags -Xlog:gc:file="$WORK/$name-gc.log" \
      -Dquarkus.profile=local -Dquarkus.http.port="$APP_PORT" -Dquarkus.grpc.server.port=0 \
      -Dautoscaler.prometheus.url="http://127.0.0.1:$PROM_PORT" >"$WORK/$name.log" 2>&1 &
  else
    # shellcheck disable=SC2086
    env "$@" java $flags -Xlog:gc:file="$WORK/$name-gc.log" -Dquarkus.profile=local -Dquarkus.http.port="$APP_PORT" \
      -Dquarkus.grpc.server.port=0 -Dautoscaler.prometheus.url="http://127.0.0.1:$PROM_PORT" -jar "$APP_JAR" >"$WORK/$name.log" 2>&1 &
  fi
  PIDS[app]=$!
  APP_PID=${PIDS[app]}
  deadline=$((SECONDS + 120))
  until curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$APP_PORT/q/health/ready" 2>/dev/null; do
    kill -0 "$APP_PID" 2>/dev/null || { log_tail "$name" 5; $SOFT && return 1; die "the app exited during start-up"; }
    # not ready: stop it before going on, or it keeps the port and every later start fails (and the final wait hangs)
    [ "$SECONDS" -lt "$deadline" ] || { log_tail "$name"; stop_app; $SOFT && return 1; die "the app was not ready after 120 s"; }
    sleep 0.02
  done
  READY_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
  STARTED_S=$(grep -o 'started in [0-9.]*s' "$WORK/$name.log" | head -1 | tr -dc '0-9.')
  FIRST_REFRESH_S=$(curl -fsS "http://127.0.0.1:$APP_PORT/q/metrics" | awk -F' ' \
    '/^rwa_metrics_refresh_duration_seconds_sum\{metric="prometheus_remote_storage_queue_length"/ { print $2 }')
  RSS_READY=$(rss_mib "$APP_PID")
  curl -fsS "http://127.0.0.1:$APP_PORT/q/health/ready" | grep -q '10000 series' \
    || die "the app's snapshot does not hold the 10,000 series: $(curl -s "http://127.0.0.1:$APP_PORT/q/health/ready")"
  echo "ready after ${READY_MS} ms (Quarkus: started in ${STARTED_S}s; first refresh ${FIRST_REFRESH_S}s)" >&2
}
stop_app() {
  kill -TERM "$APP_PID" 2>/dev/null || true
  for _ in $(seq 20); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$APP_PID" 2>/dev/null || true
  wait "$APP_PID" 2>/dev/null || true
  unset 'PIDS[app]'
}
gc_summary() { # NAME -> "N young (max X ms), M full (max Y ms)"
  awk '/Pause Young/ { y++; v = $NF; sub(/ms/, "", v); if (v + 0 > ym) ym = v + 0 }
       /Pause Full/ { f++; v = $NF; sub(/ms/, "", v); if (v + 0 > fm) fm = v + 0 }
       END { printf "%d young (longest %.1f ms), %d full (longest %.1f ms)", y, ym, f, fm }' "$WORK/$1-gc.log"
}

say "the app in local mode on port $APP_PORT ${APP_JAVA_OPTS:+(JVM flags: $APP_JAVA_OPTS)}"
note_load "before the app"
start_app app "$APP_JAVA_OPTS"
ready_ms=$READY_MS quarkus_started=$STARTED_S first_refresh_s=$FIRST_REFRESH_S rss_ready=$RSS_READY

# --- HTTP load ------------------------------------------------------------------------------------------------
APP="http://127.0.0.1:$APP_PORT"
PROM="http://127.0.0.1:$PROM_PORT"
failed_step() { cat "$2" >&2; if $SOFT; then rm -f "$2"; return 1; fi; die "$1 failed"; }
wrk_run() { # NAME BASE PATHS SECONDS
  wrk -t2 -c"$CONNECTIONS" -d"$4s" --latency -s "$LUA" "$2" -- "$3" >"$WORK/$1.wrk" 2>&1 \
    || { failed_step "wrk $1" "$WORK/$1.wrk"; return 1; }
  echo "$1: $(wrk_rps "$WORK/$1.wrk") req/s, p99 $(wrk_ms "$WORK/$1.wrk" 99) ms" >&2
}
fixed_run() { # NAME BASE PATHS
  java -cp "$HARNESS_JAR" io.rwautoscaler.bench.FixedRateLoad "$2" "$3" "$RATE" "$FIXED" --warmup "$FIXED_WARM" \
    --connections "$CONNECTIONS" >"$WORK/$1.fixed" 2>&1 || { failed_step "fixed-rate load $1" "$WORK/$1.fixed"; return 1; }
  echo "$1: $(cat "$WORK/$1.fixed")" >&2
}

say "HTTP: warm-up (${WARM}s of the request mix, not measured)"
note_load "before HTTP"
wrk_run warmup "$APP" "$WORK/app-mix.paths" "$WARM"
wrk_run warmup-prometheus "$PROM" "$WORK/prom-pods.paths" "$WARM"
say "HTTP: ${RATE} req/s for ${FIXED}s (+${FIXED_WARM}s warm-up), one pod per request"
fixed_run app-fixed "$APP" "$WORK/app-pods.paths"
fixed_run prom-fixed "$PROM" "$WORK/prom-pods.paths"
say "HTTP: saturation, wrk -t2 -c$CONNECTIONS for ${SAT}s each"
wrk_run app-sat "$APP" "$WORK/app-pods.paths" "$SAT"
wrk_run app-mix-sat "$APP" "$WORK/app-mix.paths" "$SAT"
wrk_run prom-sat "$PROM" "$WORK/prom-pods.paths" "$SAT"
note_load "after HTTP"
rss_after=$(rss_mib "$APP_PID")
hwm_after=$(rss_mib "$APP_PID" VmHWM)
prom_rss=$(rss_mib "${PIDS[prometheus]}")
gc_after=$(gc_summary app)

say "profile: JFR over ${PROFILE}s of the request mix at saturation (not measured)"
jcmd "$APP_PID" JFR.start name=bench settings=profile filename="$WORK/app.jfr" >"$WORK/jfr.log" 2>&1
wrk_run profile "$APP" "$WORK/app-mix.paths" "$PROFILE"
jcmd "$APP_PID" JFR.stop name=bench >>"$WORK/jfr.log" 2>&1
jfr print --events jdk.ExecutionSample --stack-depth 64 "$WORK/app.jfr" >"$WORK/samples.txt"
# Self time by method (top of stack); by component, the first frame from the top that is not the JDK's (so a
# HashMap lookup inside Snapshot counts for the product core, a socket write inside Netty for Vert.x/Netty); by
# thread pool.
awk '
  function component(f) {
    if (f ~ /^io\.rwautoscaler\.core\./) return "product core (snapshot lookups, selectors)"
    if (f ~ /^io\.rwautoscaler\.apiserver\./) return "product API layer (resources, DTOs, RequestMetrics)"
    if (f ~ /^io\.rwautoscaler\./) return "product refresh (Prometheus client, snapshot build)"
    if (f ~ /^com\.fasterxml\.jackson\./) return "Jackson (JSON)"
    if (f ~ /^io\.micrometer\./) return "Micrometer"
    if (f ~ /^(org\.jboss\.resteasy|io\.quarkus\.resteasy)/) return "RESTEasy Reactive"
    if (f ~ /^io\.(vertx|netty)\./) return "Vert.x / Netty (HTTP I/O)"
    if (f ~ /^(io\.quarkus|io\.smallrye|org\.jboss)\./) return "Quarkus / SmallRye (other)"
    if (f ~ /^(java|javax|jdk|sun|com\.sun)\./) return ""
    return "other"
  }
  /^jdk.ExecutionSample/ { n++; depth = 0; owner = "" }
  /sampledThread = / { t = $0; sub(/.*sampledThread = "/, "", t); sub(/".*/, "", t); gsub(/[0-9]+$/, "", t); threads[t]++ }
  /stackTrace = \[/ { inStack = 1; next }
  inStack && /^[[:space:]]*\]/ {
    inStack = 0; comp[t " | " (owner == "" ? "JDK only (no framework frame on the stack)" : owner)]++; next
  }
  inStack {
    f = $0; sub(/^[[:space:]]+/, "", f); sub(/[[:space:]]+line:.*/, "", f); sub(/\(.*/, "", f)
    if (depth++ == 0) self[f]++
    if (owner == "") owner = component(f)
  }
  END {
    printf "samples\t%d\n", n
    for (f in self) printf "self\t%d\t%s\n", self[f], f
    for (c in comp) printf "component\t%d\t%s\n", comp[c], c
    for (t in threads) printf "thread\t%d\t%s\n", threads[t], t
  }' "$WORK/samples.txt" >"$WORK/profile.tsv"

# --- soak (optional) -----------------------------------------------------------------------------------------
soak_md=""
if $soak; then
  say "soak: ${SOAK_RATE} req/s of the mix for ${SOAK_SECONDS}s; Prometheus killed at +${OUTAGE_1}s and +${OUTAGE_2}s for ${OUTAGE_LEN}s each"
  java -cp "$HARNESS_JAR" io.rwautoscaler.bench.FixedRateLoad "$APP" "$WORK/app-mix.paths" "$SOAK_RATE" "$SOAK_SECONDS" \
    --connections 4 --timeline "$WORK/soak-timeline.csv" >"$WORK/soak.fixed" 2>&1 &
  PIDS[soak]=$!
  soak_start=$(date +%s)
  : >"$WORK/soak-rss.tsv"
  outages=()
  phase=0
  while kill -0 "${PIDS[soak]}" 2>/dev/null; do
    t=$(( $(date +%s) - soak_start ))
    echo -e "$t\t$(rss_mib "$APP_PID")" >>"$WORK/soak-rss.tsv"
    if { [ $phase = 0 ] && [ "$t" -ge "$OUTAGE_1" ]; } || { [ $phase = 2 ] && [ "$t" -ge "$OUTAGE_2" ]; }; then
      kill -KILL "${PIDS[prometheus]}"; wait "${PIDS[prometheus]}" 2>/dev/null || true
      outage_from=$(date +%s); phase=$((phase + 1)); echo "  +${t}s Prometheus killed" >&2
    elif { [ $phase = 1 ] || [ $phase = 3 ]; } && [ "$(date +%s)" -ge $((outage_from + OUTAGE_LEN)) ]; then
      start_prometheus; outages+=("$outage_from $(date +%s)"); phase=$((phase + 1)); echo "  +${t}s Prometheus back" >&2
    fi
    sleep 5
  done
  wait "${PIDS[soak]}" || die "soak load failed: $(cat "$WORK/soak.fixed")"
  unset 'PIDS[soak]'
  kill -0 "${PIDS[prometheus]}" 2>/dev/null || start_prometheus
  soak_ready=$(curl -s -o /dev/null -w '%{http_code}' "$APP/q/health/ready")
  # Errors are expected only from an outage's start to 30 s after its end (one refresh plus slack).
  windows=$(printf '%s;' "${outages[@]}")
  read -r soak_bad_inside soak_bad_outside <<<"$(awk -F, -v w="$windows" 'NR > 1 {
      bad = $4 + $5; if (bad == 0) next
      n = split(w, ws, ";"); inside = 0
      for (i = 1; i <= n; i++) { if (ws[i] == "") continue; split(ws[i], p, " "); if ($1 >= p[1] && $1 <= p[2] + 30) inside = 1 }
      if (inside) a += bad; else b += bad
    } END { print a + 0, b + 0 }' "$WORK/soak-timeline.csv")"
  # Per outage: when errors started after the kill and stopped after the restart.
  spans=$(awk -F, -v w="$windows" 'NR > 1 && $4 + $5 > 0 {
      n = split(w, ws, ";")
      for (i = 1; i <= n; i++) { if (ws[i] == "") continue; split(ws[i], p, " ")
        if ($1 >= p[1] && $1 <= p[2] + 30) { if (!(i in first)) first[i] = $1 - p[1]; last[i] = $1 - p[2] } }
    } END { for (i = 1; i <= n; i++) if (i in first) printf "outage %d: from %d s after the kill to %d s after the restart; ", i, first[i], last[i] }' \
    "$WORK/soak-timeline.csv")
  read -r rss_min rss_max rss_early rss_late <<<"$(awk -v total="$SOAK_SECONDS" '
      { if (min == "" || $2 < min) min = $2; if ($2 > max) max = $2
        if ($1 >= 60 && $1 < 120) { e += $2; ne++ } if ($1 >= total - 60) { l += $2; nl++ } }
      END { printf "%d %d %.0f %.0f", min, max, ne ? e / ne : 0, nl ? l / nl : 0 }' "$WORK/soak-rss.tsv")"
  rss_drift=$(calc "$rss_early > 0 ? 100 * ($rss_late - $rss_early) / $rss_early : 0")
  soak_md="## Soak

${SOAK_RATE} req/s of the request mix for ${SOAK_SECONDS} s (fixed rate, 4 connections); Prometheus killed (SIGKILL)
at +${OUTAGE_1} s and +${OUTAGE_2} s and restarted ${OUTAGE_LEN} s later each time. $(if [ "$OUTAGE_LEN" -gt 120 ]; then
  echo "The outages are longer than the app's max-staleness (2 min): it serves its last good data for a while, then
503 until the first refresh after the restart."; else
  echo "The outages are shorter than the app's max-staleness (2 min): it should serve its last good data throughout."; fi)

| figure | value |
| --- | --- |
| requests | $(kv "$WORK/soak.fixed" requests) ($(kv "$WORK/soak.fixed" codes | tr ';' ' ')) |
| non-2xx or failed inside the outage windows (outage start → end + 30 s) | $soak_bad_inside |
| non-2xx or failed outside them (expected 0) | $soak_bad_outside |
| when the errors came | ${spans:-none} |
| p50 / p99 over the whole soak | $(kv "$WORK/soak.fixed" p50_ms) / $(kv "$WORK/soak.fixed" p99_ms) ms |
| readiness after the soak | HTTP $soak_ready |
| RSS min / max | $rss_min / $rss_max MiB |
| RSS mean, minute 2 → last minute | $rss_early → $rss_late MiB ($(fmt "$rss_drift" 1) %) |
"
fi
# --- the same load with a small heap ---------------------------------------------------------------------------
# Diagnostic: a heap too small for the data ends this phase (the JVM exits on OutOfMemoryError), not the run.
# The JVM image's flags (native/Dockerfile.jvm) with -XX:MaxRAM as the Deployment's 512 MiB memory limit.
SMALL_JAVA_OPTS="${SMALL_JAVA_OPTS:--XX:MaxRAM=512m -XX:+UseSerialGC -XX:MaxRAMPercentage=25 -XX:ReservedCodeCacheSize=64m -Xss512k -XX:+ExitOnOutOfMemoryError}"
SMALL_ENV="${SMALL_ENV:-MALLOC_ARENA_MAX=2}"
# Live data: the heap after a full GC, the least of three a few seconds apart (one may catch a refresh in flight).
live_heap=$(for _ in 1 2 3; do jcmd "$APP_PID" GC.run >/dev/null 2>&1; jcmd "$APP_PID" GC.heap_info 2>/dev/null \
  | grep -o 'used [0-9]*K' | head -1; sleep 3; done | awk '{ v = $2 / 1024; if (min == "" || v < min) min = v }
  END { printf "%.0f", min }')
stop_app
SOFT=true
# Start-up with an AppCDS archive (class metadata of a previous start, mapped instead of loaded and verified): one
# training start that writes the archive when the JVM exits, then a measured start that maps it.
say "start-up with an AppCDS archive: a training start, then a measured one ($SMALL_JAVA_OPTS)"
cds_ready_ms="—" cds_started="—"
# shellcheck disable=SC2086
if start_app app-cds-training "$SMALL_JAVA_OPTS -XX:ArchiveClassesAtExit=$WORK/app-cds.jsa" $SMALL_ENV; then
  stop_app
  # shellcheck disable=SC2086
  if [ -s "$WORK/app-cds.jsa" ] && start_app app-cds "$SMALL_JAVA_OPTS -XX:SharedArchiveFile=$WORK/app-cds.jsa" $SMALL_ENV; then
    cds_ready_ms=$READY_MS cds_started=$STARTED_S
    stop_app
  fi
fi
# The framework's own start-up on this machine: the same measurement on an empty Quarkus application with the
# product's extensions and the same flags, three times; the median counts.
say "start-up floor: an empty Quarkus app with the same extensions and flags, 3 starts"
floor_runs=""
for i in 1 2 3; do
  # shellcheck disable=SC2086
  if floor_start "floor-$i" env $SMALL_ENV java $SMALL_JAVA_OPTS -Dquarkus.http.port="$APP_PORT" -jar "$FLOOR_JAR"; then
    floor_runs+="$FLOOR_MS $(grep -o 'started in [0-9.]*s' "$WORK/floor-$i.log" | head -1 | tr -dc '0-9.') $FLOOR_RSS"$'\n'
    echo "empty app ready after $FLOOR_MS ms, RSS $FLOOR_RSS MiB" >&2
  else
    log_tail "floor-$i" 10
  fi
done
read -r floor_ready_ms floor_started floor_rss <<<"$(printf '%s' "$floor_runs" | sort -n | awk '{ v[NR] = $0 } END { print (NR ? v[int((NR + 1) / 2)] : "— — —") }')"
floor_all=$(printf '%s' "$floor_runs" | awk '{ printf "%s%s", sep, $1; sep = ", " }')
say "the same load with the JVM image's flags: $SMALL_JAVA_OPTS, $SMALL_ENV (and -XX:NativeMemoryTracking=summary)"
small_failed=""
# shellcheck disable=SC2086
if start_app app-small "$SMALL_JAVA_OPTS -XX:NativeMemoryTracking=summary" $SMALL_ENV; then
  small_ready_ms=$READY_MS small_rss_ready=$RSS_READY
else
  small_failed="the app exited during start-up: $(grep -m1 -o 'OutOfMemoryError.*' "$WORK/app-small.log" \
    || tail -n 1 "$WORK/app-small.log")"
  small_ready_ms="—" small_rss_ready="—"
  echo "$small_failed" >&2
fi
small_step() { # runs one load step unless the small-heap app has died
  [ -z "$small_failed" ] || return 0
  "$@" || true
  if ! kill -0 "$APP_PID" 2>/dev/null; then
    small_failed="the app exited during \`$2\`: $(grep -m1 -o 'OutOfMemoryError.*' "$WORK/app-small.log" \
      || tail -n 1 "$WORK/app-small.log")"
    echo "$small_failed" >&2
  fi
}
small_step wrk_run small-warmup "$APP" "$WORK/app-mix.paths" "$WARM"
small_step fixed_run small-fixed "$APP" "$WORK/app-pods.paths"
small_step wrk_run small-sat "$APP" "$WORK/app-pods.paths" "$SAT"
small_step wrk_run small-mix-sat "$APP" "$WORK/app-mix.paths" "$SAT"
SOFT=false
small_rss_after=$(rss_mib "$APP_PID" 2>/dev/null || true)
small_gc=$(gc_summary app-small)
# Where the memory is: the JVM's native memory tracking (committed KiB per area); what RSS holds beyond it is the
# JVM's own code (libjvm.so), other shared libraries and malloc's free lists.
nmt_rows=""
if [ -z "$small_failed" ] && jcmd "$APP_PID" VM.native_memory summary >"$WORK/app-small-nmt.txt" 2>&1; then
  nmt_rows=$(awk '/^-/ { name = $0; sub(/^-[[:space:]]*/, "", name); sub(/[[:space:]]*\(.*/, "", name)
      c = $0; sub(/.*committed=/, "", c); sub(/KB.*/, "", c); if (c / 1024 >= 1) printf "| %s | %.1f MiB |\n", name, c / 1024 }' \
    "$WORK/app-small-nmt.txt" | sort -t'|' -k3 -rn
    awk -v rss="${small_rss_after:-0}" '/^Total:/ { t = $0; sub(/.*committed=/, "", t); sub(/KB.*/, "", t)
      printf "| **all the JVM tracks** (native memory tracking itself included) | **%.1f MiB** |\n", t / 1024
      printf "| RSS beyond it (libjvm.so and other libraries, malloc free lists) | %.1f MiB |\n", rss - t / 1024 }' \
    "$WORK/app-small-nmt.txt")
fi
# --- JDK 17 and JDK 25 side by side, through native/run-jvm.sh (issue 20) -----------------------------------------
# What ships: the launcher's flags (MEMORY_LIMIT 512Mi, the chart's), on each JDK; on 25 without and with the AOT
# cache (trained first, outside the timing, as the image build does) and with compact object headers. Per
# configuration: 3 starts to ready with the first refresh (the median counts) and the RSS after the benchmark's HTTP
# load (warm-up, fixed rate, saturation) on the third. Then the empty app's floor on JDK 25 through the launcher.
JDK17_HOME="${JDK17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
JDK25_HOME="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -z "${PIDS[app]:-}" ] || stop_app
LX_CONFIGS=(
  "JDK 17|$JDK17_HOME|no|false"
  "JDK 25|$JDK25_HOME|no|false"
  "JDK 25 + AOT cache|$JDK25_HOME|yes|false"
  "JDK 25 + AOT cache + compact headers|$JDK25_HOME|yes|true"
)
LX_ROWS=()
SOFT=true
lx=0
for cfg in "${LX_CONFIGS[@]}"; do
  IFS='|' read -r lx_label lx_jdk lx_aot lx_coh <<<"$cfg"
  lx=$((lx + 1))
  if [ ! -x "$lx_jdk/bin/java" ]; then
    LX_ROWS+=("| $lx_label | not measured: no JDK at $lx_jdk | | | |"); continue
  fi
  LAUNCH="JAVA_HOME=$lx_jdk MEMORY_LIMIT=512Mi COMPACT_HEADERS=$lx_coh"
  if [ "$lx_aot" = yes ]; then
    LAUNCH+=" AOT_CACHE=$WORK/aot-$lx"
    say "launcher: $lx_label: training run for the AOT cache"
    # shellcheck disable=SC2086
    env $LAUNCH APP_DIR="$(dirname "$APP_JAR")" "$ROOT/native/run-jvm.sh" train >"$WORK/lx-$lx-train.log" 2>&1 \
      || { tail -n 5 "$WORK/lx-$lx-train.log" >&2; LX_ROWS+=("| $lx_label | the training run failed | | | |"); continue; }
  fi
  say "launcher: $lx_label: 3 starts to ready, then the HTTP load"
  lx_runs="" lx_rss_after="n/a" lx_started=""
  for i in 1 2 3; do
    start_app "lx-$lx-$i" "" || break
    lx_runs+="$READY_MS $RSS_READY"$'\n'
    lx_started+="${lx_started:+, }${STARTED_S:-?}"
    if [ "$i" = 3 ]; then
      wrk_run "lx-$lx-warmup" "$APP" "$WORK/app-mix.paths" "$WARM" \
        && fixed_run "lx-$lx-fixed" "$APP" "$WORK/app-pods.paths" \
        && wrk_run "lx-$lx-sat" "$APP" "$WORK/app-pods.paths" "$SAT" \
        && wrk_run "lx-$lx-mix-sat" "$APP" "$WORK/app-mix.paths" "$SAT" \
        && lx_rss_after=$(rss_mib "$APP_PID")
    fi
    stop_app
  done
  read -r lx_ready_ms lx_rss_ready <<<"$(printf '%s' "$lx_runs" | sort -n | awk '{ v[NR] = $0 } END { print (NR == 3 ? v[2] : "n/a n/a") }')"
  lx_all=$(printf '%s' "$lx_runs" | awk '{ printf "%s%s", sep, $1; sep = ", " }')
  lx_ready_s=$(awk -v v="$lx_ready_ms" 'BEGIN { print (v ~ /^[0-9]+$/) ? v / 1000 : "n/a" }')
  lx_p99=$( [ -f "$WORK/lx-$lx-fixed.fixed" ] && kv "$WORK/lx-$lx-fixed.fixed" p99_ms || echo n/a)
  lx_sat=$( [ -f "$WORK/lx-$lx-sat.wrk" ] && wrk_rps "$WORK/lx-$lx-sat.wrk" || echo n/a)
  LX_ROWS+=("| $lx_label | $(fmt "$lx_ready_s" 2) s: $(below "$lx_ready_s" 2 s) ($lx_all ms; Quarkus: ${lx_started} s) | ${lx_rss_after} MiB: $(below "$lx_rss_after" 200 MiB) (${lx_rss_ready} MiB at ready) | $lx_p99 ms: $(below "$lx_p99" 5 ms) | $(fmt "$lx_sat" 0) req/s: $(atleast "$lx_sat" 10000 req/s) |")
  echo "${LX_ROWS[-1]}" >&2
done
# The empty app's floor on JDK 25 through the launcher, with an AOT cache of its own.
lx_floor="not measured"
if [ -x "$JDK25_HOME/bin/java" ]; then
  say "launcher: the empty app's floor on JDK 25 + AOT cache + compact headers, 3 starts"
  FLOOR_LAUNCH="JAVA_HOME=$JDK25_HOME MEMORY_LIMIT=512Mi AOT_CACHE=$WORK/aot-floor APP_DIR=$(dirname "$FLOOR_JAR")"
  # shellcheck disable=SC2086
  env $FLOOR_LAUNCH AOT_TRAINING_SETTLE=1 "$ROOT/native/run-jvm.sh" train -Dquarkus.http.port=0 >"$WORK/lx-floor-train.log" 2>&1 || true
  lx_floor_runs=""
  for i in 1 2 3; do
    # shellcheck disable=SC2086
    floor_start "lx-floor-$i" env $FLOOR_LAUNCH "$ROOT/native/run-jvm.sh" -Dquarkus.http.port="$APP_PORT" \
      && lx_floor_runs+="$FLOOR_MS $FLOOR_RSS"$'\n'
  done
  lx_floor=$(printf '%s' "$lx_floor_runs" | sort -n | awk '{ v[NR] = $0; a = a sep $1; sep = ", " }
    END { if (NR == 3) { split(v[2], m, " "); printf "%.2f s (%s ms), RSS %s MiB at ready", m[1] / 1000, a, m[2] } else print "n/a" }')
  echo "empty app on JDK 25 through the launcher: $lx_floor" >&2
fi
SOFT=false
unset LAUNCH
note_load "end"

# --- results ---------------------------------------------------------------------------------------------------
app_p99=$(kv "$WORK/app-fixed.fixed" p99_ms)
prom_p99=$(kv "$WORK/prom-fixed.fixed" p99_ms)
ratio=$(calc "$app_p99 > 0 ? $prom_p99 / $app_p99 : 0")
app_sat=$(wrk_rps "$WORK/app-sat.wrk")
prom_sat=$(wrk_rps "$WORK/prom-sat.wrk")
app_sat_p99=$(wrk_ms "$WORK/app-sat.wrk" 99)
prom_sat_p99=$(wrk_ms "$WORK/prom-sat.wrk" 99)
sat_ratio=$(calc "$app_sat_p99 > 0 ? $prom_sat_p99 / $app_sat_p99 : 0")
cycle_ms=$(jmh ShardCycleBench.cycle1000Queues score)
sizing_ms=$(jmh RightSizingBench.evaluate500Workloads score)
ready_s=$(calc "$ready_ms / 1000")
mem_gib=$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
main_label=$(if [ -n "$APP_JAVA_OPTS" ]; then echo "\`$APP_JAVA_OPTS\`"; else echo "JVM defaults"; fi)
# The same figures for the JVM image's flags; "n/a" where that phase did not get so far.
small_p99=$( [ -f "$WORK/small-fixed.fixed" ] && kv "$WORK/small-fixed.fixed" p99_ms || echo n/a)
small_ratio=$(awk -v a="$small_p99" -v p="$prom_p99" 'BEGIN { print (a == "n/a" || a + 0 <= 0) ? "n/a" : p / a }')
small_sat=$( [ -f "$WORK/small-sat.wrk" ] && wrk_rps "$WORK/small-sat.wrk" || echo n/a)
small_ready_s=$(awk -v v="$small_ready_ms" 'BEGIN { print (v ~ /^[0-9]+$/) ? v / 1000 : "n/a" }')
floor_ready_s=$(awk -v v="$floor_ready_ms" 'BEGIN { print (v ~ /^[0-9]+$/) ? v / 1000 : "n/a" }')
cds_ready_s=$(awk -v v="$cds_ready_ms" 'BEGIN { print (v ~ /^[0-9]+$/) ? v / 1000 : "n/a" }')
load_start=$(echo "${LOADS[0]}" | awk '{ print $2 }')
quiet=$(awk -v l="$load_start" 'BEGIN { print (l < 0.5) ? "yes" : "no" }')

if [ -z "$out" ]; then
  out="$BENCH/results/$(date +%F).md"
  n=2
  while [ -e "$out" ]; do out="$BENCH/results/$(date +%F)-$n.md"; n=$((n + 1)); done
fi
mkdir -p "$(dirname "$out")"

http_row() { # LABEL FILE(.fixed)
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$(kv "$2" requests)" "$(kv "$2" rate)" \
    "$(kv "$2" p50_ms)" "$(kv "$2" p90_ms)" "$(kv "$2" p99_ms)" "$(kv "$2" max_ms)" \
    "$(( $(kv "$2" non2xx) + $(kv "$2" failed) ))"
}
wrk_row() { # LABEL FILE(.wrk)
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$(wrk_requests "$2")" "$(fmt "$(wrk_rps "$2")" 0)" \
    "$(wrk_ms "$2" 50)" "$(wrk_ms "$2" 90)" "$(wrk_ms "$2" 99)" "$(wrk_ms "$2" max)" \
    "$(( $(wrk_non2xx "$2") + $(wrk_errors "$2") ))"
}
jmh_rows() {
  awk -F, 'NR > 1 { gsub(/"/, ""); sub(/io\.rwautoscaler\.bench\.jmh\./, "", $1)
    printf "| %s | %.3f | ± %.3f | %s |\n", $1, $5, $6, $7 }' "$WORK/jmh.csv"
}
profile_rows() { # KIND N
  local total; total=$(awk -F'\t' '$1 == "samples" { print $2 }' "$WORK/profile.tsv")
  awk -F'\t' -v k="$1" -v t="$total" '$1 == k { printf "| %s | %.1f %% |\n", $3, 100 * $2 / (t ? t : 1) }' \
    "$WORK/profile.tsv" | awk -F'|' '{ print $(NF - 1) "\t" $0 }' | sort -t$'\t' -k1 -rn | cut -f2- | head -n "$2"
}

{
  echo "# Benchmark results, $(date '+%F %H:%M %Z')"
  echo
  if [ "$quiet" = no ]; then
    echo "> **Noisy run.** The machine was busy when this run started (load average $load_start on $(nproc) cores,"
    echo "> other builds running), so every figure is pessimistic and only roughly comparable. A final run is made"
    echo "> when the machine is quiet (load average below 0.5 at the start)."
    echo
  fi
  $quick && { echo "> **Quick run** (--quick): phases shortened to check the harness; figures are not comparable."; echo; }
  echo "Produced by \`benchmarks/run.sh$($soak && echo ' --soak')$($quick && echo ' --quick')\` in $(( (SECONDS - started_at) / 60 )) min $(( (SECONDS - started_at) % 60 )) s"
  echo "(builds $build_seconds s). How to read it: benchmarks/README.md."
  echo
  echo "## Machine"
  echo
  echo "| | |"
  echo "| --- | --- |"
  echo "| CPU | $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo) |"
  echo "| memory | $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) |"
  echo "| JDK | $(java -version 2>&1 | sed -n 2p) |"
  echo "| OS | $(uname -sr) |"
  echo "| Prometheus | $(prometheus --version 2>&1 | head -1 | sed 's/ (.*//') |"
  echo "| wrk | $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2) |"
  echo "| app JVM flags | ${APP_JAVA_OPTS:-none (as \`java -jar\` runs it)} |"
  echo "| load average (1, 5, 15 min) | $(printf '%s; ' "${LOADS[@]}" | sed 's/; $//') |"
  echo
  echo "## Budget"
  echo
  echo "Two JVM configurations ran the same load: the JVM's defaults (\`java -jar\` on this ${mem_gib:-?} GiB host, G1 and"
  echo "a heap of up to a quarter of the host's memory) and the JVM image's flags (native/Dockerfile.jvm with"
  echo "-XX:MaxRAM as the Deployment's 512 MiB limit: \`$SMALL_JAVA_OPTS\`, $SMALL_ENV)."
  echo
  echo "| figure | budget | $main_label | the JVM image's flags |"
  echo "| --- | --- | --- | --- |"
  echo "| metrics API p99 at $RATE req/s | < 5 ms | $app_p99 ms: $(below "$app_p99" 5 ms) | $small_p99 ms: $(below "$small_p99" 5 ms) |"
  echo "| metrics API throughput at saturation (one pod per request) | ≥ 10,000 req/s | $(fmt "$app_sat" 0) req/s: $(atleast "$app_sat" 10000 req/s) | $(fmt "$small_sat" 0) req/s: $(atleast "$small_sat" 10000 req/s) |"
  echo "| live-query p99 ($prom_p99 ms) ÷ metrics API p99, at $RATE req/s | ≥ 20× | $(fmt "$ratio" 1)×: $(atleast "$ratio" 20 ×) | $(fmt "$small_ratio" 1)×: $(atleast "$small_ratio" 20 ×) |"
  echo "| JVM RSS after the load | < 200 MiB | $rss_after MiB: $(below "$rss_after" 200 MiB) | ${small_rss_after:-n/a} MiB: $(below "${small_rss_after:-n/a}" 200 MiB) |"
  echo "| start to ready (/q/health/ready 200) | < 2 s | $(fmt "$ready_s" 2) s: $(below "$ready_s" 2 s) | $(fmt "$small_ready_s" 2) s: $(below "$small_ready_s" 2 s) |"
  echo "| start to ready with an AppCDS archive of a previous start | < 2 s | — | $(fmt "$cds_ready_s" 2) s: $(below "$cds_ready_s" 2 s) |"
  echo "| start to ready of an empty Quarkus app with the same extensions (the framework's floor; median of 3) | < 2 s | — | $(fmt "$floor_ready_s" 2) s: $(below "$floor_ready_s" 2 s) |"
  echo
  [ -z "$small_failed" ] || { echo "The JVM image's flags run did not complete: $small_failed."; echo; }
  echo "### What ships: native/run-jvm.sh on JDK 17 and JDK 25"
  echo
  echo "The launcher's own flags (\`MEMORY_LIMIT=512Mi\`: \`$(JAVA_HOME="$JDK17_HOME" APP_DIR="$(dirname "$APP_JAR")" "$ROOT/native/run-jvm.sh" flags 2>/dev/null | tr '\n' ' ' | sed 's/ $//')\`,"
  echo "MALLOC_ARENA_MAX=2). Start to ready = process start → /q/health/ready 200 with the first refresh done (median of"
  echo "3); RSS after the same HTTP load as above; the AOT cache trained first, outside the timing, as the image build does."
  echo
  echo "| configuration | start → ready (< 2.0 s) | RSS after the load (< 200 MiB) | metrics API p99 at $RATE req/s (< 5 ms) | saturation (≥ 10,000 req/s) |"
  echo "| --- | --- | --- | --- | --- |"
  printf '%s\n' "${LX_ROWS[@]}"
  echo "| empty Quarkus app (the floor), JDK 25 + AOT cache + compact headers | $lx_floor | | | |"
  echo
  echo "The pure core (JMH, below):"
  echo
  echo "| figure | budget | measured |"
  echo "| --- | --- | --- |"
  echo "| one shard decision cycle, 1,000 queues | < 100 ms | $(fmt "$cycle_ms" 2) ms: $(below "$cycle_ms" 100 ms) |"
  echo "| right-sizing evaluation, 500 workloads | < 1,000 ms | $(fmt "$sizing_ms" 0) ms: $(below "$sizing_ms" 1000 ms) |"
  echo
  echo "## HTTP"
  echo
  echo "Same 10,000 series on both sides: the app answers from its snapshot (refreshed every 15 s from Prometheus);"
  echo "the live path is what a per-request adapter (prometheus-adapter) sends to the same Prometheus for the same"
  echo "question: \`sum by (pod) (prometheus_remote_storage_samples_pending{namespace=\"…\",pod=~\"…\"})\` at"
  echo "\`/api/v1/query\`. Both cycle over the 2,500 agent pods in the same order. Latency in ms; fixed-rate"
  echo "latencies count from each request's due time (no coordinated omission); errors = non-2xx + failed."
  echo
  echo "| run | requests | req/s | p50 | p90 | p99 | max | errors |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  http_row "metrics API, $RATE req/s, one pod" "$WORK/app-fixed.fixed"
  http_row "live PromQL, $RATE req/s, same question" "$WORK/prom-fixed.fixed"
  wrk_row "metrics API, saturation, one pod" "$WORK/app-sat.wrk"
  wrk_row "metrics API, saturation, request mix" "$WORK/app-mix-sat.wrk"
  wrk_row "live PromQL, saturation, same question" "$WORK/prom-sat.wrk"
  echo
  echo "At saturation the live path's p99 is $(fmt "$sat_ratio" 1)× the API's, and its throughput"
  echo "$(fmt "$(calc "$app_sat / ($prom_sat > 0 ? $prom_sat : 1)")" 1)× lower. Saturation uses wrk -t2 -c$CONNECTIONS on the"
  echo "same 2 cores as the server, so it measures the pair; the request mix is 70 % v1beta2 one pod, 10 % v1beta1"
  echo "one pod, 10 % \`pods/*\` by label selector (25 pods), 5 % external by selector, 5 % the receivers' share."
  echo
  echo "## Footprint"
  echo
  echo "| figure | value |"
  echo "| --- | --- |"
  echo "| process start → /q/health/ready 200 | $ready_ms ms |"
  echo "| of which Quarkus start (its log: \"started in\") | ${quarkus_started:-?} s |"
  echo "| first refresh of the 10,000-series rule | $(fmt "$first_refresh_s" 3) s |"
  echo "| RSS when ready | $rss_ready MiB |"
  echo "| RSS after the HTTP load (VmRSS) / peak (VmHWM) | $rss_after / $hwm_after MiB |"
  echo "| heap in use after a full GC at the end (live data; least of three) | ${live_heap:-?} MiB |"
  echo "| GC during the run (-Xlog:gc) | $gc_after |"
  echo "| Prometheus RSS after the load, for scale | $prom_rss MiB |"
  echo
  echo "### The same load with the JVM image's flags (a small heap)"
  echo
  echo "The app started again with \`$SMALL_JAVA_OPTS\` and $SMALL_ENV (plus native memory tracking), warmed up, then the same fixed-rate and"
  echo "saturation runs:"
  echo
  [ -z "$small_failed" ] || { echo "**The small-heap run did not complete:** $small_failed. GC: $small_gc."; echo; }
  if [ -f "$WORK/small-fixed.fixed" ]; then
    echo "| run | requests | req/s | p50 | p90 | p99 | max | errors |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    http_row "metrics API, $RATE req/s, one pod" "$WORK/small-fixed.fixed"
    [ -f "$WORK/small-sat.wrk" ] && wrk_row "metrics API, saturation, one pod" "$WORK/small-sat.wrk"
    [ -f "$WORK/small-mix-sat.wrk" ] && wrk_row "metrics API, saturation, request mix" "$WORK/small-mix-sat.wrk"
    echo
  fi
  echo "| figure | value |"
  echo "| --- | --- |"
  echo "| process start → ready | ${small_ready_ms} ms |"
  echo "| process start → ready with an AppCDS archive (Quarkus \"started in\" ${cds_started} s) | ${cds_ready_ms} ms |"
  echo "| an empty Quarkus app with the same extensions and flags, start → ready (3 starts: ${floor_all:-none}; median's \"started in\" ${floor_started} s) | ${floor_ready_ms} ms |"
  echo "| the empty app's RSS when ready (that start) | ${floor_rss} MiB |"
  echo "| RSS when ready / after the load | $small_rss_ready / ${small_rss_after:-—} MiB |"
  echo "| GC during the run | $small_gc |"
  if [ -n "$nmt_rows" ]; then
    echo
    echo "Where that RSS is, after the load (\`jcmd VM.native_memory summary\`, committed memory by area):"
    echo
    echo "| area | committed |"
    echo "| --- | --- |"
    echo "$nmt_rows"
  fi
  echo
  echo "## JMH (the pure core, no HTTP)"
  echo
  echo "\`$JMH_ARGS\`, average time per operation."
  echo
  echo "| benchmark | score | error (99.9 %) | unit |"
  echo "| --- | --- | --- | --- |"
  jmh_rows
  echo
  echo "Data:"
  echo
  cat "$WORK/data.md"
  echo
  echo "## Profile of the app under the request mix"
  echo
  echo "JFR (settings=profile) over ${PROFILE} s of wrk at saturation with the request mix,"
  echo "$(awk -F'\t' '$1 == "samples" { print $2 }' "$WORK/profile.tsv") execution samples. Each sample is charged to the first frame from the top of its"
  echo "stack that is not the JDK's (a HashMap lookup inside Snapshot counts for the product core):"
  echo
  echo "| thread pool | component | samples |"
  echo "| --- | --- | --- |"
  profile_rows component 14
  echo
  echo "Top methods by self time:"
  echo
  echo "| method | samples |"
  echo "| --- | --- |"
  profile_rows self 15
  echo
  echo "By thread (pool):"
  echo
  echo "| thread | samples |"
  echo "| --- | --- |"
  profile_rows thread 6
  echo
  [ -n "$soak_md" ] && echo "$soak_md"
  echo "Raw outputs of this run: benchmarks/work/$RUN_ID/ (not committed)."
} >"$out"

# --- served series at 10,000 and 100,000 per rule (issue 18) -------------------------------------------------------
# Its own script (a stand-in Prometheus with N series, the image's heap); it appends its section to the results.
say "served series per rule at 10,000 and 100,000: benchmarks/series.sh"
APP_JAR="$APP_JAR" "$BENCH/series.sh" --out "$out" >/dev/null || echo "benchmarks/series.sh failed" >&2

say "results written to ${out#"$ROOT"/}"
cat "$out"
