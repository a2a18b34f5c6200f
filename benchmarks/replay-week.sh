#!/usr/bin/env bash
# The replay's budget (issue 17), measured end to end: a 7-day replay at 5 m over 100 agents × 4 queues in under
# 60 s, with the number of Prometheus queries independent of the number of steps. Backfills the week (ReplayWeekFiles:
# every series the shard tuner and the default receiver policy read, with a surge on day 5) into a real Prometheus,
# starts the app in local mode against it, asks GET /api/v1/replay for the week at 5 m and at 10 m, and writes what
# the replay reports (took, queries, queues, decisions) with the load average to benchmarks/results/<date>-replay.md.
#
#   benchmarks/replay-week.sh              build the app and the harness, then measure
#   benchmarks/replay-week.sh --no-build   use target/quarkus-app and benchmarks/harness/target as they are
#
# Queue series are sampled every 15 min to keep the text (~4.6 M samples) and promtool's work small on 2 cores;
# Prometheus' look-back and the tuner's rate window are widened to match (--query.lookback-delta=20m,
# autoscaler.shards.observe.rate-window=35m). The range queries evaluate every 5 m step of every series either way.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"
APP_JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
HARNESS_JAR="$BENCH/harness/target/benchmarks.jar"
build=true
[ "${1:-}" = --no-build ] && build=false

die() { echo "replay-week: $*" >&2; exit 1; }
say() { printf '\n== %s\n' "$*" >&2; }
for tool in java prometheus promtool curl jq; do command -v "$tool" >/dev/null || die "$tool is missing"; done

WORK="$BENCH/work/replay-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$WORK"
declare -A PIDS=()
cleanup() {
  local name
  for name in "${!PIDS[@]}"; do kill -TERM "${PIDS[$name]}" 2>/dev/null || true; done
  sleep 2
  for name in "${!PIDS[@]}"; do kill -KILL "${PIDS[$name]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK/tsdb" "$WORK/week.om"
}
trap cleanup EXIT
free_port() { local p; while :; do p=$((20000 + RANDOM % 12768)); (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; }
wait_ready() { # NAME URL SECONDS
  local deadline=$((SECONDS + $3))
  until curl -fs -o /dev/null --max-time 2 "$2"; do
    kill -0 "${PIDS[$1]}" 2>/dev/null || { tail -n 20 "$WORK/$1.log" >&2; die "$1 exited"; }
    [ "$SECONDS" -lt "$deadline" ] || { tail -n 20 "$WORK/$1.log" >&2; die "$1 not ready after $3 s"; }
    sleep 0.2
  done
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

if $build; then
  say "building the app and the harness"
  (cd "$ROOT" && ./mvnw -B -q -o package -DskipTests && ./mvnw -B -q -o -f benchmarks/harness/pom.xml package)
fi
[ -f "$APP_JAR" ] && [ -f "$HARNESS_JAR" ] || die "build first (or drop --no-build)"

load_start="$(loadavg)"
end=$(( $(date +%s) / 3600 * 3600 - 3600 ))
from=$((end - 7 * 86400))
say "writing the week (100 agents × 4 queues, 3 receivers) ending $(date -u -d @"$end" +%FT%TZ)"
t0=$SECONDS
java -cp "$HARNESS_JAR" io.rwautoscaler.bench.ReplayWeekFiles "$WORK/week.om" "$end" 900 120 | tee "$WORK/files.log" >&2
say "promtool"
promtool tsdb create-blocks-from openmetrics --max-block-duration=192h "$WORK/week.om" "$WORK/tsdb" \
  >"$WORK/promtool.log" 2>&1 || { tail "$WORK/promtool.log" >&2; die "promtool failed"; }
backfill_s=$((SECONDS - t0))
printf 'global:\n  scrape_interval: 1h\nscrape_configs: []\n' >"$WORK/prometheus.yml"
PROM_PORT=$(free_port)
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" --storage.tsdb.retention.time=60d \
  --query.lookback-delta=20m --web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prometheus.log" 2>&1 &
PIDS[prometheus]=$!
wait_ready prometheus "http://127.0.0.1:$PROM_PORT/-/ready" 120
queues=$(curl -fsS -G --data-urlencode 'query=count(prometheus_remote_storage_samples_pending)' \
  --data-urlencode "time=$end" "http://127.0.0.1:$PROM_PORT/api/v1/query" | jq -r '.data.result[0].value[1]')
[ "$queues" = 400 ] || die "Prometheus holds $queues queues at the window's end, expected 400"

APP_PORT=$(free_port)
say "the app (local mode) on :$APP_PORT"
java -Dquarkus.profile=local -Dquarkus.http.port="$APP_PORT" -Dautoscaler.prometheus.url="http://127.0.0.1:$PROM_PORT" \
  -Dautoscaler.shards.observe.rate-window=35m -Dautoscaler.replay.timeout=10m -Dautoscaler.replay.query-timeout=5m \
  -jar "$APP_JAR" >"$WORK/app.log" 2>&1 &
PIDS[app]=$!
wait_ready app "http://127.0.0.1:$APP_PORT/q/health/live" 180

replay() { # STEP NAME
  local started=$SECONDS
  curl -fsS --max-time 900 "http://127.0.0.1:$APP_PORT/api/v1/replay?from=$from&to=$end&step=$1" >"$WORK/$2.json" \
    || die "the replay at $1 failed: $(cat "$WORK/$2.json" 2>/dev/null | head -c 500)"
  echo $((SECONDS - started))
}
say "replay of the week at 5m (warm-up: the first one loads classes)"
load_5m_warm="$(loadavg)"
replay 5m warmup >/dev/null
say "replay of the week at 5m"
load_5m="$(loadavg)"
wall_5m=$(replay 5m week-5m)
say "replay of the week at 10m"
wall_10m=$(replay 10m week-10m)
load_end="$(loadavg)"

field() { jq -c -r "$2" "$WORK/$1.json"; }
out="$BENCH/results/$(date -u +%F)-replay.md"
{
  echo "# Replay budget: a 7-day replay at 5 m over 100 agents × 4 queues ($(date -u +%FT%TZ))"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(java -version 2>&1 | head -1)."
  echo "Load average (1, 5, 15 min): at the start $load_start; before the measured 5 m replay $load_5m; at the end $load_end."
  echo
  echo "| replay | steps | queues | decisions | Prometheus queries | took (app's own figure) | of which reading | wall (curl) |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  for r in week-5m:5m week-10m:10m; do
    f=${r%%:*}
    echo "| 7 d at ${r##*:} | $(field "$f" .window.steps) | $(field "$f" .queues) | $(field "$f" '.decisions | length') | $(field "$f" .queries) | $(field "$f" .tookSeconds) s | $(field "$f" .readingSeconds) s | $( [ "$f" = week-5m ] && echo "$wall_5m" || echo "$wall_10m") s |"
  done
  echo
  echo "Queries: $(field week-5m .queriesNote)."
  echo
  echo "Data: $(cat "$WORK/files.log"), backfilled in ${backfill_s} s (writing + promtool). Queue series every 15 min"
  echo "(Prometheus --query.lookback-delta=20m, autoscaler.shards.observe.rate-window=35m); receiver series every 2 min."
  echo "The app ran its own loops (metrics refresh, shard tuner, policy in recommend mode) against the same Prometheus"
  echo "meanwhile. Decisions per loop at 5 m: $(field week-5m .totals.decisions)."
} >"$out"
cat "$out"
echo "written to $out" >&2
