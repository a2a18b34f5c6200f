#!/usr/bin/env bash
# Local demo: real Prometheus processes on loopback plus the app in local mode, then the
# custom/external metrics APIs queried with kubectl. Same config templates as the e2e tests.
#
#   deploy/local/demo.sh                     build, start everything, print, run until Ctrl-C
#   deploy/local/demo.sh --once              print once, stop everything, exit 0
#   deploy/local/demo.sh --no-build          use the jar already in target/quarkus-app
#   deploy/local/demo.sh --prometheus-only   only the Prometheus half (no build, no app)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TEMPLATES="$ROOT/deploy/local/prometheus"
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
INSTALL_PROMETHEUS="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y prometheus"

once=false build=true with_app=true
for arg in "$@"; do
  case "$arg" in
    --once) once=true ;;
    --no-build) build=false ;;
    --prometheus-only) with_app=false; build=false ;;
    -h|--help) sed -n '2,8s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\n== %s\n' "$*"; }
die() { echo "demo: $*" >&2; exit 1; }

# --- tools --------------------------------------------------------------------------------
# apt-get only as root; elsewhere say what to run rather than reaching for sudo.
apt_install() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
if ! command -v prometheus >/dev/null; then
  say "installing Debian's prometheus package"
  apt_install prometheus || die "prometheus is missing; install it as root: $INSTALL_PROMETHEUS"
fi
command -v curl >/dev/null || apt_install curl || die "curl is missing; install it (apt-get install -y curl)"
if $with_app && ! command -v kubectl >/dev/null; then
  die "kubectl is missing; install Debian's kubernetes-client (apt-get install -y kubernetes-client)"
fi

if $build; then
  say "building the app (./mvnw -B -q package -DskipTests)"
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
fi
if $with_app && [ ! -f "$JAR" ]; then
  die "$JAR not found: build it with ./mvnw -B package -DskipTests, or run with --prometheus-only"
fi

# --- processes and cleanup ----------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/rwa-demo.XXXXXX")"
LOGS="$ROOT/target/demo-logs"   # kept after exit, unlike $WORK, so a failed run can be read
mkdir -p "$LOGS"
declare -A PIDS=()              # name -> pid, for everything this script started

cleanup() {
  local name
  for name in "${!PIDS[@]}"; do
    # Agents whose remote write fails ignore SIGTERM, and the Prometheus data is throwaway:
    # SIGKILL them all. The app gets SIGTERM first so it can shut down cleanly.
    if [ "$name" = app ]; then
      kill -TERM "${PIDS[$name]}" 2>/dev/null || true
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "${PIDS[$name]}" 2>/dev/null || break; sleep 0.5; done
    fi
    kill -KILL "${PIDS[$name]}" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log_tail() { { echo "--- last lines of $LOGS/$1.log"; tail -n "${2:-30}" "$LOGS/$1.log" || true; } >&2; }

# A port nothing listens on right now; 20000-32767 stays below Linux's ephemeral range, so
# outgoing connections cannot take it between the check and the bind.
USED_PORTS=" "
free_port() { # VAR: sets VAR (not echoed: a $(...) subshell would forget USED_PORTS)
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

# Replace each ${NAME} with the shell variable NAME; fail on placeholders left over, so a
# template and this script cannot drift apart silently. (envsubst is not always installed.)
render() {
  local template="$TEMPLATES/$1" out="$WORK/$2" text name value
  text="$(<"$template")"
  for name in $(grep -o '\${[A-Z_]*}' "$template" | sort -u | tr -d '${}'); do
    [ -n "${!name+x}" ] || die "$template: no value for \${$name}"
    value="${!name}"
    text="${text//"\${$name}"/"$value"}"   # quoted: no glob or & magic in the value
  done
  printf '%s\n' "$text" >"$out"
}

http_ok() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; }

# start_prometheus NAME PORT CONFIG ARGS...
start_prometheus() {
  local name="$1" port="$2" config="$3"; shift 3
  prometheus --config.file="$WORK/$config" --web.listen-address="127.0.0.1:$port" "$@" \
    >"$LOGS/$name.log" 2>&1 &
  PIDS[$name]=$!
}

wait_ready() { # NAME URL SECONDS
  local deadline=$((SECONDS + $3))
  until http_ok "$2"; do
    if ! kill -0 "${PIDS[$1]}" 2>/dev/null; then log_tail "$1"; die "$1 exited during start-up"; fi
    if [ "$SECONDS" -ge "$deadline" ]; then log_tail "$1"; die "$1 not ready at $2 after $3 s"; fi
    sleep 0.2
  done
}

promql() { # QUERY -> raw JSON from the scraper
  curl -fsS --max-time 5 -G --data-urlencode "query=$1" "http://127.0.0.1:$SCRAPER_PORT/api/v1/query"
}

pretty() { if command -v jq >/dev/null; then jq .; else cat; echo; fi; }

# --- Prometheus pipeline ------------------------------------------------------------------
for var in RECEIVER_PORT HEALTHY_AGENT_PORT BROKEN_AGENT_PORT SCRAPER_PORT DEAD_PORT APP_PORT; do
  free_port "$var"
done

render receiver.yml receiver.yml
render scraper.yml scraper.yml
AGENT_NAME=healthy AGENT_PORT=$HEALTHY_AGENT_PORT \
  REMOTE_WRITE_URL="http://127.0.0.1:$RECEIVER_PORT/api/v1/write" render agent.yml agent-healthy.yml
AGENT_NAME=broken AGENT_PORT=$BROKEN_AGENT_PORT \
  REMOTE_WRITE_URL="http://127.0.0.1:$DEAD_PORT/api/v1/write" render agent.yml agent-broken.yml

say "starting Prometheus processes (logs in $LOGS)"
start_prometheus receiver "$RECEIVER_PORT" receiver.yml \
  --web.enable-remote-write-receiver --storage.tsdb.path="$WORK/receiver-data"
start_prometheus agent-healthy "$HEALTHY_AGENT_PORT" agent-healthy.yml \
  --enable-feature=agent --storage.agent.path="$WORK/agent-healthy-data"
start_prometheus agent-broken "$BROKEN_AGENT_PORT" agent-broken.yml \
  --enable-feature=agent --storage.agent.path="$WORK/agent-broken-data"
start_prometheus scraper "$SCRAPER_PORT" scraper.yml --storage.tsdb.path="$WORK/scraper-data"
for name in receiver:$RECEIVER_PORT agent-healthy:$HEALTHY_AGENT_PORT \
    agent-broken:$BROKEN_AGENT_PORT scraper:$SCRAPER_PORT; do
  wait_ready "${name%%:*}" "http://127.0.0.1:${name##*:}/-/ready" 30
done
cat <<EOF
receiver (Thanos Receive stand-in)  http://127.0.0.1:$RECEIVER_PORT   pid ${PIDS[receiver]}
agent healthy -> receiver           http://127.0.0.1:$HEALTHY_AGENT_PORT   pid ${PIDS[agent-healthy]}
agent broken  -> 127.0.0.1:$DEAD_PORT (nothing listens)  http://127.0.0.1:$BROKEN_AGENT_PORT   pid ${PIDS[agent-broken]}
scraper (queried by the app)        http://127.0.0.1:$SCRAPER_PORT   pid ${PIDS[scraper]}
EOF

say "waiting for the broken agent's queue to grow (seen through the scraper)"
deadline=$((SECONDS + 120))
until promql 'prometheus_remote_storage_samples_pending{pod="prometheus-agent-broken-0"} > 0' \
    2>/dev/null | grep -q '"result":\[{'; do
  [ "$SECONDS" -lt "$deadline" ] || { log_tail agent-broken; log_tail scraper; die "no pending samples after 120 s"; }
  sleep 1
done

# --- the app ------------------------------------------------------------------------------
if $with_app; then
  say "starting the app in local mode on http://127.0.0.1:$APP_PORT"
  java -Dquarkus.profile=local -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$APP_PORT" \
    -Dautoscaler.prometheus.url="http://127.0.0.1:$SCRAPER_PORT" -Dautoscaler.metrics.refresh=5s \
    -jar "$JAR" >"$LOGS/app.log" 2>&1 &
  PIDS[app]=$!
  wait_ready app "http://127.0.0.1:$APP_PORT/q/health/ready" 60
fi

failures=0
show() {
  if $with_app; then
    local path
    # kubectl sends the * as %2A itself.
    for path in /apis/custom.metrics.k8s.io/v1beta2 \
        '/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/*/prometheus_remote_storage_queue_length' \
        /apis/external.metrics.k8s.io/v1beta1/namespaces/monitoring/prometheus_remote_storage_queue_length; do
      say "kubectl get --raw $path"
      # Keep going on an error so every answer is shown; --once then exits non-zero.
      kubectl --server="http://127.0.0.1:$APP_PORT" get --raw "$path" | pretty || failures=$((failures + 1))
    done
  fi
  say "PromQL on the scraper: prometheus_remote_storage_samples_pending"
  promql prometheus_remote_storage_samples_pending | pretty
}
show

if $once; then
  [ "$failures" = 0 ] || die "$failures kubectl request(s) failed; app log: $LOGS/app.log"
  exit 0
fi
say "running; logs in $LOGS; Ctrl-C stops everything"
while sleep 1; do   # short: a TERM to this script waits for the running sleep
  for name in "${!PIDS[@]}"; do
    kill -0 "${PIDS[$name]}" 2>/dev/null || { log_tail "$name"; die "$name exited"; }
  done
done
