#!/usr/bin/env bash
# Served series at 10,000 and 100,000 per rule (issue 18 item 6), at the JVM image's heap for the chart's default
# memory limit: refresh time, live heap after a full GC, RSS, and whether the JVM ran out of heap.
#
#   benchmarks/series.sh              the sizes in $SIZES (default "10000 100000"), the table on stdout
#   benchmarks/series.sh --out FILE   also append the section to FILE (benchmarks/run.sh does, to its results file)
#
# The packaged app (target/quarkus-app; build it with ./mvnw -B package -DskipTests) runs in local mode with only the
# metrics APIs' three built-in rules (the loops off), a refresh every $REFRESH, against benchmarks/series/standin.py:
# a stand-in Prometheus answering every rule's query with N series (~21 MB of JSON at 100,000). A real Prometheus
# would first need the series ingested (minutes here), and what is measured is the app's side of the answer.
# JVM flags: `native/run-jvm.sh flags` for MEMORY_LIMIT (default 512Mi, the chart's) when that launcher exists, else
# the JVM image's flags with -XX:MaxRAM=MEMORY_LIMIT. Needs python3, curl, jcmd.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_JAR="${APP_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}"
SIZES="${SIZES:-10000 100000}"
REFRESHES="${REFRESHES:-5}"        # full refreshes to survive after the first
REFRESH="${REFRESH:-5s}"
MEMORY_LIMIT="${MEMORY_LIMIT:-512Mi}"
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift ;;
    -h|--help) sed -n '2,14s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
die() { echo "series.sh: $*" >&2; exit 1; }
[ -f "$APP_JAR" ] || die "$APP_JAR not found: ./mvnw -B package -DskipTests"
command -v python3 >/dev/null || die "python3 is needed for the stand-in Prometheus"

WORK="$ROOT/benchmarks/work/series-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$WORK"
declare -A PIDS=()
cleanup() {
  local name
  for name in "${!PIDS[@]}"; do kill -KILL "${PIDS[$name]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

if [ -f "$ROOT/native/run-jvm.sh" ]; then
  java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
  JVM_FLAGS="$(MEMORY_LIMIT="$MEMORY_LIMIT" JAVA_HOME="$java_home" bash "$ROOT/native/run-jvm.sh" flags | tr '\n' ' ')"
  flags_from="native/run-jvm.sh flags, MEMORY_LIMIT=$MEMORY_LIMIT"
else
  case "$MEMORY_LIMIT" in
    *Gi) mem_mib=$((${MEMORY_LIMIT%Gi} * 1024)) ;;
    *Mi) mem_mib=${MEMORY_LIMIT%Mi} ;;
    *) die "MEMORY_LIMIT=$MEMORY_LIMIT: give it in Mi or Gi (or use native/run-jvm.sh, which reads every form)" ;;
  esac
  JVM_FLAGS="-XX:MaxRAM=${mem_mib}m -XX:+UseSerialGC -XX:MaxRAMPercentage=25 -XX:ReservedCodeCacheSize=64m -Xss512k -XX:+ExitOnOutOfMemoryError"
  flags_from="the JVM image's flags (native/Dockerfile.jvm) at MEMORY_LIMIT=$MEMORY_LIMIT"
fi

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12768))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}
rss_mib() { awk '$1 == "VmRSS:" { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
# Heap in use (young + old, or the G1 heap) after a full GC: the least of three a few seconds apart.
live_heap() {
  for _ in 1 2 3; do
    jcmd "$1" GC.run >/dev/null 2>&1 || true
    jcmd "$1" GC.heap_info 2>/dev/null | awk '/generation|heap/ && /used/ {
        for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); s += v } }
      END { printf "%.0f\n", s / 1024 }'
    sleep 2
  done | sort -n | head -1
}

rows=""
for n in $SIZES; do
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  prom_port=$(free_port)
  app_port=$(free_port)
  rounds="$WORK/rounds-$n.txt"
  : >"$rounds"
  python3 "$ROOT/benchmarks/series/standin.py" "$prom_port" "$n" "$rounds" >"$WORK/standin-$n.log" 2>&1 &
  PIDS[standin]=$!
  for _ in $(seq 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$prom_port") 2>/dev/null && break
    kill -0 "${PIDS[standin]}" 2>/dev/null || die "the stand-in exited: $(cat "$WORK/standin-$n.log")"
    sleep 0.1
  done
  echo "== $n series per rule (load average $load); JVM: $JVM_FLAGS" >&2
  # shellcheck disable=SC2086
  java $JVM_FLAGS -Xlog:gc:file="$WORK/app-$n-gc.log" -Dquarkus.profile=local -Dquarkus.http.port="$app_port" -Dquarkus.grpc.server.port=0 \
    -Dautoscaler.prometheus.url="http://127.0.0.1:$prom_port" -Dautoscaler.prometheus.timeout=30s \
    -Dautoscaler.metrics.max-series="$n" -Dautoscaler.metrics.refresh="$REFRESH" \
    -Dautoscaler.metrics.max-staleness=10m -Dautoscaler.shards.enabled=false -Dautoscaler.policy.enabled=false \
    -Dautoscaler.rightsizing.enabled=false -jar "$APP_JAR" >"$WORK/app-$n.log" 2>&1 &
  PIDS[app]=$!
  app=${PIDS[app]}
  outcome="runs" deadline=$((SECONDS + 240))
  while [ "$(wc -l <"$rounds")" -le "$REFRESHES" ]; do
    if ! kill -0 "$app" 2>/dev/null; then
      outcome="**exited**: $(grep -m1 -o 'OutOfMemoryError.*\|Terminating due to java.lang.OutOfMemoryError.*' "$WORK/app-$n.log" \
        || tail -n 1 "$WORK/app-$n.log") after $(wc -l <"$rounds") refreshes"
      break
    fi
    [ "$SECONDS" -lt "$deadline" ] || { outcome="**stuck**: $(wc -l <"$rounds") refreshes in 240 s"; break; }
    sleep 0.5
  done
  ready=$(curl -fsS --max-time 5 "http://127.0.0.1:$app_port/q/health/ready" 2>/dev/null | grep -o 'fresh, [0-9]* series' | sort -u | tr '\n' ' ' || true)
  heap="—" rss="—"
  if kill -0 "$app" 2>/dev/null; then
    rss=$(rss_mib "$app")
    heap=$(live_heap "$app")
  fi
  first=$(awk 'NR == 1 { print $1 }' "$rounds")
  slowest=$(awk 'NR > 1 && $1 > m { m = $1 } END { print m + 0 }' "$rounds")
  gc=$(awk '/Pause Young/ { y++ } /Pause Full/ { f++; v = $NF; sub(/ms/, "", v); if (v + 0 > fm) fm = v + 0 }
       END { printf "%d young, %d full (longest %.0f ms)", y, f, fm }' "$WORK/app-$n-gc.log" 2>/dev/null || echo "?")
  kill -TERM "$app" 2>/dev/null || true
  for _ in $(seq 20); do kill -0 "$app" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$app" "${PIDS[standin]}" 2>/dev/null || true
  wait 2>/dev/null || true
  unset 'PIDS[app]' 'PIDS[standin]'
  echo "   $outcome; refreshes $(wc -l <"$rounds"), first ${first:-—} s, slowest after ${slowest} s; live heap $heap MiB; RSS $rss MiB; $gc; readiness: $ready" >&2
  rows+="| $(printf "%'d" "$n") | $load | $outcome | ${first:-—} s | ${slowest} s | $heap MiB | $rss MiB | $gc |"$'\n'
done

section=$(cat <<MD
## Served series per rule (issue 18: 100,000 series within budget)

\`benchmarks/series.sh\`: the packaged app in local mode, the three built-in rules only (loops off), a refresh every
$REFRESH, against a stand-in Prometheus answering every rule with N series (N/5 agent pods in 100 namespaces, 5 queues
each). JVM: $flags_from (\`$JVM_FLAGS\`). Refresh = the first rule query arriving to the pod inventory answered
(every rule's value and timestamp query, parsed; the index build after it is not included), from the stand-in.
Budget at 100,000: refresh < 5 s, live heap after a full GC < 120 MiB, no OutOfMemoryError.

| series per rule | load average at start | outcome ($REFRESHES refreshes after the first) | first refresh | slowest later refresh | live heap after full GC | RSS | GC |
| --- | --- | --- | --- | --- | --- | --- | --- |
$rows
Raw outputs: benchmarks/work/$(basename "$WORK")/ (not committed).
MD
)
echo "$section"
[ -z "$out" ] || printf '\n%s\n' "$section" >>"$out"
