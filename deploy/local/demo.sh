#!/usr/bin/env bash
# Local demo: real Prometheus processes on loopback plus the app in local mode, then the
# custom/external metrics APIs queried with kubectl. Same config templates as the e2e tests.
#
#   deploy/local/demo.sh                     build, start everything, print a summary, run until Ctrl-C
#   deploy/local/demo.sh --once              print the summary once, stop everything, exit 0
#   deploy/local/demo.sh --json              print the raw JSON answers instead of the summary
#   deploy/local/demo.sh --port N            the app's port (default 8080)
#   deploy/local/demo.sh --no-build          use the jar already in target/quarkus-app
#   deploy/local/demo.sh --prometheus-only   only the Prometheus half (no build, no app)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TEMPLATES="$ROOT/deploy/local/prometheus"
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
INSTALL_PROMETHEUS="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y prometheus"

once=false build=true with_app=true raw=false APP_PORT=8080
while [ $# -gt 0 ]; do
  arg="$1"; shift
  case "$arg" in
    --once) once=true ;;
    --json) raw=true ;;
    --port) APP_PORT="${1:?--port needs a number}"; shift ;;
    --port=*) APP_PORT="${arg#--port=}" ;;
    --no-build) build=false ;;
    --prometheus-only) with_app=false; build=false ;;
    -h|--help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
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
command -v jq >/dev/null || apt_install jq || die "jq is missing; install it (apt-get install -y jq)"
if $with_app && ! command -v kubectl >/dev/null; then
  die "kubectl is missing; install Debian's kubernetes-client (apt-get install -y kubernetes-client)"
fi

if $build; then
  say "building the app (./mvnw -B package -DskipTests; about a minute, full log in target/demo-build.log)"
  mkdir -p "$ROOT/target"
  # Progress on one line instead of a minute of silence: on a terminal the Maven step now running (rewritten in
  # place), elsewhere (CI logs) a dot per step.
  start=$SECONDS
  printf '  '
  (cd "$ROOT" && ./mvnw -B package -DskipTests 2>&1) | tee "$ROOT/target/demo-build.log" \
    | while IFS= read -r line; do
        case "$line" in
          *"--- "*" ---"*) step="${line#*--- }"
            if [ -t 1 ]; then printf '\r\033[K  %3ds  %s' "$((SECONDS - start))" "${step%% ---*}"; else printf '.'; fi ;;
          *"BUILD FAILURE"*|*"[ERROR]"*) printf '\n  %s' "$line" ;;
        esac
      done
  if [ -t 1 ]; then printf '\r\033[K  '; else printf ' '; fi
  grep -q "BUILD SUCCESS" "$ROOT/target/demo-build.log" || { echo; die "the build failed; see target/demo-build.log"; }
  echo "built in $((SECONDS - start)) s"
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
if $with_app && (exec 3<>"/dev/tcp/127.0.0.1/$APP_PORT") 2>/dev/null; then
  die "port $APP_PORT is taken; pick another one with --port N"
fi
USED_PORTS+="$APP_PORT "
# GRPC_PORT: the app's KEDA external scaler (9443 by default), so a second demo or anything on 9443 does not keep
# the app from turning ready.
for var in RECEIVER_PORT HEALTHY_AGENT_PORT BROKEN_AGENT_PORT SCRAPER_PORT DEAD_PORT GRPC_PORT; do
  free_port "$var"
done

render receiver.yml receiver.yml
render scraper.yml scraper.yml
AGENT_NAME=healthy AGENT_PORT=$HEALTHY_AGENT_PORT \
  REMOTE_WRITE_URL="http://127.0.0.1:$RECEIVER_PORT/api/v1/write" render agent.yml agent-healthy.yml
AGENT_NAME=broken AGENT_PORT=$BROKEN_AGENT_PORT \
  REMOTE_WRITE_URL="http://127.0.0.1:$DEAD_PORT/api/v1/write" render agent.yml agent-broken.yml

say "starting on loopback (logs in $LOGS)"
start_prometheus receiver "$RECEIVER_PORT" receiver.yml \
  --web.enable-remote-write-receiver --storage.tsdb.path="$WORK/receiver-data"
wait_ready receiver "http://127.0.0.1:$RECEIVER_PORT/-/ready" 30

# The series kube-state-metrics, cAdvisor, the kubelet and Thanos Receive would give for these pods: the scraper
# evaluates demo-fleet.rules.yml as recording rules from now on, and a week of the same expressions is backfilled
# into its storage first (evaluated by the receiver with query_range, written as OpenMetrics, turned into blocks by
# promtool), so the receiver rules and right-sizing have history to read. The agents' queues get the last two hours
# of history too (both healthy until now: the broken agent's endpoint dies when the demo starts), so the agent-queue
# rules read their 15m and 30m windows from real points instead of staying UNKNOWN for the agents' first minutes.
printf '  backfilling a week of kube-state-metrics/cAdvisor-like series and 2 h of agent queues (promtool): '
cp "$TEMPLATES/demo-fleet.rules.yml" "$WORK/demo-fleet.rules.yml"
printf 'rule_files: [demo-fleet.rules.yml]\n' >>"$WORK/scraper.yml"
# A week at a 5 m step, then the last two hours at the scraper's 15 s. The dense part has to reach back past the
# longest rule window (1h) plus the rate() range (5m): rate(x[5m]) over samples 5 minutes apart has a value only at
# the steps that fall on a sample, so a 1h window read at 30 s steps would find 1 point in 10 ("only 35m30s of 1h
# observed" for receiver-cpu-low although a week was there).
dense_end=$(( $(date +%s) - 15 ))
backfill_end=$(( dense_end / 300 * 300 - 7200 ))
backfill_start=$(( backfill_end - 7 * 86400 ))
awk '/^      - record: /{name=$3} /^        expr: /{sub(/^        expr: \047/,""); sub(/\047$/,""); expr=$0}
     /^        labels: /{l=$0; sub(/^        labels: \{/,"",l); sub(/\}$/,"",l); gsub(/: /,"=",l); gsub(/, /,",",l);
       printf "%s\t%s\t{%s}\tweek\n", name, expr, l}' "$WORK/demo-fleet.rules.yml" | sort -s -t $'\t' -k1,1 >"$WORK/fleet.tsv"
# The agents' queues, with exactly the labels the scraper will give the live series (job, instance, the target
# labels, remote_name, url), so history and live samples are one series, not a stale twin for five minutes.
for agent in healthy:$HEALTHY_AGENT_PORT:$RECEIVER_PORT broken:$BROKEN_AGENT_PORT:$DEAD_PORT; do
  IFS=: read -r name port target <<<"$agent"
  printf '%s\t%s\t{%s}\tdense\n' prometheus_remote_storage_samples_pending 'round(40 + 30 * sin(vector(time() / 13)))' \
    "app=\"prometheus-agent\",instance=\"127.0.0.1:$port\",job=\"prometheus-agent\",namespace=\"monitoring\",pod=\"prometheus-agent-$name-0\",remote_name=\"$name-to-receive\",url=\"http://127.0.0.1:$target/api/v1/write\""
done >>"$WORK/fleet.tsv"
: >"$WORK/fleet.om"
previous=""
while IFS=$'\t' read -r name expr labels span; do
  [ "$name" = "$previous" ] || printf '# TYPE %s unknown\n' "$name" >>"$WORK/fleet.om"
  previous=$name
  ranges=("$((backfill_end + 15)) $dense_end 15")
  [ "$span" = dense ] || ranges=("$backfill_start $backfill_end 300" "${ranges[@]}")
  for range in "${ranges[@]}"; do
    read -r from to step <<<"$range"
    curl -fsS --max-time 30 -G --data-urlencode "query=$expr" --data-urlencode "start=$from" \
        --data-urlencode "end=$to" --data-urlencode "step=$step" \
        "http://127.0.0.1:$RECEIVER_PORT/api/v1/query_range" \
      | jq -r --arg s "$name$labels" '.data.result[0].values[] | "\($s) \(.[1]) \(.[0])"' >>"$WORK/fleet.om" \
      || die "backfill: the receiver did not evaluate $name"
  done
done <"$WORK/fleet.tsv"
echo '# EOF' >>"$WORK/fleet.om"
promtool tsdb create-blocks-from openmetrics "$WORK/fleet.om" "$WORK/scraper-data" >"$LOGS/backfill.log" 2>&1 \
  || { log_tail backfill; die "promtool could not write the backfilled blocks"; }
echo "$(grep -vc '^#' "$WORK/fleet.om") samples, $(wc -l <"$WORK/fleet.tsv") series"

start_prometheus agent-healthy "$HEALTHY_AGENT_PORT" agent-healthy.yml \
  --enable-feature=agent --storage.agent.path="$WORK/agent-healthy-data"
start_prometheus agent-broken "$BROKEN_AGENT_PORT" agent-broken.yml \
  --enable-feature=agent --storage.agent.path="$WORK/agent-broken-data"
start_prometheus scraper "$SCRAPER_PORT" scraper.yml --storage.tsdb.path="$WORK/scraper-data"
for name in agent-healthy:$HEALTHY_AGENT_PORT \
    agent-broken:$BROKEN_AGENT_PORT scraper:$SCRAPER_PORT; do
  wait_ready "${name%%:*}" "http://127.0.0.1:${name##*:}/-/ready" 30
done
processes() {
  cat <<EOF
  receiver (Thanos Receive stand-in)  http://127.0.0.1:$RECEIVER_PORT   pid ${PIDS[receiver]}
  agent healthy -> receiver           http://127.0.0.1:$HEALTHY_AGENT_PORT   pid ${PIDS[agent-healthy]}
  agent broken  -> 127.0.0.1:$DEAD_PORT (nothing listens)  http://127.0.0.1:$BROKEN_AGENT_PORT   pid ${PIDS[agent-broken]}
  scraper (queried by the app)        http://127.0.0.1:$SCRAPER_PORT   pid ${PIDS[scraper]}
EOF
}

# The shard tuner calls an endpoint failing when retried plus failed samples are at least 90 % of the samples tried
# (ShardTuner.ENDPOINT_FAILING_SHARE) over its rate window (autoscaler.shards.observe.rate-window, 5m). A new agent
# gets there within seconds (its first attempts at each batch count as tried, not retried): wait for it, so the
# app's first cycle reads a dead endpoint, not an agent's first seconds.
DEAD_SHARE='(sum by (pod) (rate(prometheus_remote_storage_samples_retried_total[5m]) + rate(prometheus_remote_storage_samples_failed_total[5m])) / sum by (pod) (rate(prometheus_remote_storage_samples_total[5m]))) >= 0.9'
printf "  agents and scraper up; the broken agent's endpoint seen failing (PromQL) "
deadline=$((SECONDS + 120))
until promql "(prometheus_remote_storage_samples_pending{pod=\"prometheus-agent-broken-0\"} > 0) and on (pod) ($DEAD_SHARE)" \
    2>/dev/null | grep -q '"result":\[{'; do
  [ "$SECONDS" -lt "$deadline" ] || { log_tail agent-broken; log_tail scraper
    die "after 120 s the scraper does not show the broken agent's queue growing with >= 90 % of its sends retried"; }
  printf '.'; sleep 1
done
echo " after $((SECONDS - deadline + 120)) s"

# --- the app ------------------------------------------------------------------------------
if $with_app; then
  printf '  app (local mode) on http://127.0.0.1:%s ' "$APP_PORT"
  # Loops sped up for the demo: the policy every 5 s, the shard tuner every 10 s, right-sizing 2 s after start.
  java -Dquarkus.profile=local -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$APP_PORT" -Dquarkus.grpc.server.port="$GRPC_PORT" \
    -Dautoscaler.prometheus.url="http://127.0.0.1:$SCRAPER_PORT" -Dautoscaler.metrics.refresh=5s \
    -Dautoscaler.policy.every=5s -Dautoscaler.shards.every=10s -Dautoscaler.rightsizing.initial-delay=2s \
    -Dautoscaler.rightsizing.price.core-hour=0.0316 -Dautoscaler.rightsizing.price.gib-hour=0.0042 \
    -jar "$JAR" >"$LOGS/app.log" 2>&1 &
  PIDS[app]=$!
  wait_ready app "http://127.0.0.1:$APP_PORT/q/health/ready" 60
  # Each loop's first report, with a line of progress while waiting.
  printf 'ready; first reports:'
  for report in receivers agents rightsizing; do
    deadline=$((SECONDS + 90))
    printf ' %s ' "$report"
    until http_ok "http://127.0.0.1:$APP_PORT/api/v1/$report"; do
      [ "$SECONDS" -lt "$deadline" ] || { echo; log_tail app; die "no /api/v1/$report after 90 s"; }
      kill -0 "${PIDS[app]}" 2>/dev/null || { echo; log_tail app; die "the app exited"; }
      printf '.'; sleep 1
    done
    printf 'ok'
  done
  echo
fi

APP="http://127.0.0.1:$APP_PORT"
QUEUE_PODS='/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/*/prometheus_remote_storage_queue_length'
QUEUE_EXTERNAL=/apis/external.metrics.k8s.io/v1beta1/namespaces/monitoring/prometheus_remote_storage_queue_length
failures=0 disagree=""
kube() { # PATH: what kubectl sees (kubectl sends the * as %2A itself); counts failures, keeps going
  kubectl --server="$APP" get --raw "$1" || { failures=$((failures + 1)); echo '{}'; }
}

show_json() {
  local path
  for path in /apis/custom.metrics.k8s.io/v1beta2 "$QUEUE_PODS" "$QUEUE_EXTERNAL"; do
    say "kubectl get --raw $path"
    kube "$path" | jq .
  done
  for path in /api/v1/agents /api/v1/receivers /api/v1/rightsizing; do
    say "curl $APP$path"
    curl -fsS "$APP$path" | jq . || failures=$((failures + 1))
  done
  say "PromQL on the scraper: prometheus_remote_storage_samples_pending"
  promql prometheus_remote_storage_samples_pending | jq .
}

show() {
  if ! $with_app; then
    say "PromQL on the scraper: prometheus_remote_storage_samples_pending"
    promql prometheus_remote_storage_samples_pending | jq -r '.data.result[] | "\(.metric.pod)  \(.value[1])"'
    return
  fi
  read_reports
  check_agreement   # re-reads while they disagree, so the tables below show what the verdict was made on
  if $raw; then show_json; else show_summary; fi
  show_agreement
  $raw || echo "raw JSON of every answer: deploy/local/demo.sh --json"
}

# jq helpers: left-pad a cell to a width; a number with at most 3 decimals.
JQ_LIB='def pad($n): tostring | if length < $n then . + (" " * ($n - length)) else . + " " end;
        def num: if . == null then "-" elif type == "number" then (. * 1000 | round / 1000 | tostring) else tostring end;'

# Every answer the summary and the agreement check read, taken together (shell globals, one read per call).
read_reports() {
  now=$(date +%s)
  served=$(kube "$QUEUE_PODS")
  pending=$(promql 'sum by (pod) (prometheus_remote_storage_samples_pending)') || pending='{}'
  queue_series=$(promql 'count by (pod) (prometheus_remote_storage_samples_pending)') || queue_series='{}'
  dead=$(promql "$DEAD_SHARE") || dead='{}'
  receivers=$(curl -fsS "$APP/api/v1/receivers") || { failures=$((failures + 1)); receivers='{}'; }
  agents=$(curl -fsS "$APP/api/v1/agents") || { failures=$((failures + 1)); agents='{}'; }
  sizing=$(curl -fsS "$APP/api/v1/rightsizing") || { failures=$((failures + 1)); sizing='{}'; }
  own=$(curl -fsS "$APP/q/metrics" | grep -E '^rwa_(receiver_rule_firing|shards_queues|metrics_last_success_timestamp_seconds)\{') \
    || { failures=$((failures + 1)); own=''; }
}

show_summary() {
  say "metrics adapter: queue length per agent, served (kubectl get --raw) vs PromQL now"
  # The snapshot's age: when the app last refreshed the queue metric from Prometheus (its own gauge).
  jq -rn --argjson served "$served" --argjson promql "$pending" --argjson now "$now" --arg own "$own" "$JQ_LIB"'
    ($promql.data.result | map({key: .metric.pod, value: .value[1]}) | from_entries) as $p
    | ([$own | split("\n")[] | capture("^rwa_metrics_last_success_timestamp_seconds\\{(.*,)?metric=\"prometheus_remote_storage_queue_length\"[^}]*\\} (?<v>\\S+)")
        | .v | tonumber] | max) as $refreshed
    | "  \("pod" | pad(28))\("served" | pad(9))\("PromQL" | pad(9))age of the served sample",
      ($served.items[] | "  \(.describedObject.name | pad(28))\(.value | pad(9))\($p[.describedObject.name] // "-" | pad(9))\($now - (.timestamp | sub("\\.[0-9]+"; "") | fromdateiso8601)) s"),
      "  (snapshot refreshed \(if $refreshed == null then "-" else ([$now - $refreshed, 0] | max | floor) end) s ago: every 5 s here, 15 s by default; PromQL is read now, so a moving queue differs)"'

  say "receiver policy: GET /api/v1/receivers"
  jq -r "$JQ_LIB"'
    "  fleet \(.fleet.statefulSet): \(.fleet.replicas) replicas, \(.fleet.samplesPerSecond | num) samples/s, \(.fleet.receiversNeeded) needed",
    "  \("rule" | pad(26))\("state" | pad(11))\("now" | pad(8))\("window" | pad(8))condition",
    (.rules[] | "  \(.name | pad(26))\(.state | pad(11))\(.value | num | pad(8))\(.provenValue | num | pad(8))\(.condition)\(if .state == "UNKNOWN" then " (\(.dataProblem // "no data yet"))" else "" end)"),
    (.failingQueues[]? | "  failing endpoint \(.pod) / \(.remoteName) (\(.url)): \(if .failingShare == null then "none sent" else "\(.failingShare * 100 | round)% of samples retried or dropped" end); left out of the agent-queue rules"),
    (.recommendations[]? | "  recommends \(.action): \(.reason // .why // "" | tostring)"),
    (.suppressed[]? | "  held back \(.action): \(.why)")' <<<"$receivers"

  say "shard tuner: GET /api/v1/agents"
  jq -r "$JQ_LIB"'
    "  \("agent / queue" | pad(50))\("state" | pad(20))\("pending" | pad(9))\("lag s" | pad(7))recommended change",
    (.agents[] | . as $a | .queues[] | "  \("\($a.name) / \(.remoteName)" | pad(50))\(.state | pad(20))\(.observed.pendingSamples | num | pad(9))\(.observed.lagSeconds | num | pad(7))\(if (.changes | length) > 0 then (.changes | join(", ")) else "none" end)")' <<<"$agents"

  say "right-sizing: GET /api/v1/rightsizing (a week of usage)"
  jq -r "$JQ_LIB"'
    "  \([.items[] | select(.flagged)] | length) of \(.items | length) workloads flagged; requests cost $\(.totals.total.current | num)/month now, $\(.totals.total.proposed | num) proposed, saving $\(.totals.total.saving | num)",
    (.items[] | . as $w | .containers[] | . as $c | ("cpu", "memory") as $r | $c[$r] | select(. != null and .verdict == "resize")
      | "  \("\($w.kind | ascii_downcase)/\($w.workload)" | pad(37))\($r | pad(7))\(.reason)")' <<<"$sizing"
}

# Do the reports agree with each other? The same queues in the metrics API, /api/v1/agents and PromQL, one series
# each; each backlog on the same side of the runbook's 5000 in the metrics API and /api/v1/agents; no change and no
# scale-out advised for a queue whose endpoint refuses everything, and such queues named alike by /api/v1/agents
# (endpoint-failing) and /api/v1/receivers (failingQueues); the gauges in /q/metrics equal to the reports; the
# receiver policy and right-sizing moving the receivers' CPU and memory the same way, over the same replica count.
# Prints one line per disagreement, nothing when they agree.
JQ_AGREE='
  def qty: tostring | if endswith("m") then (.[:-1] | tonumber / 1000) elif endswith("k") then (.[:-1] | tonumber * 1000)
    elif endswith("M") then (.[:-1] | tonumber * 1000000) else tonumber end;
  def gauges($name; $tag): [$own | split("\n")[]
    | capture("^" + $name + "\\{(.*,)?" + $tag + "=\"(?<k>[^\"]+)\"[^}]*\\} (?<v>\\S+)")
    | {key: .k, value: (.v | tonumber)}] | from_entries;
  5000 as $backlog
  | [$agents.agents[]? | .name as $n | .queues[]? | . + {pod: ((.pods // [])[0] // $n)}] as $queues
  | ($receivers.fleet.statefulSet // "" | sub(".*/"; "")) as $receiverSts
  # the queue length is also served for the receivers (spread over them for their HPA): only the agents here
  | ([$served.items[]? | select($receiverSts == "" or (.describedObject.name | startswith($receiverSts + "-") | not))
      | {key: .describedObject.name, value: (.value | qty)}] | from_entries) as $s
  | ([$pending.data.result[]? | {key: .metric.pod, value: (.value[1] | tonumber)}] | from_entries) as $p
  | ([$queues[].pod] | unique) as $qa
  | ($receivers.rules // []) as $rules
  | ([$rules[] | select(.state == "FIRING")]) as $firing
  | ($receivers.fleet.statefulSet // "") as $sts
  | [$sizing.items[]? | select(.kind == "StatefulSet" and "\(.namespace)/\(.workload)" == $sts)] as $ri
  | def sizes($r; $sign): [$ri[].containers[]? | .[$r] | select(. != null and .verdict == "resize" and .delta != null
      and .delta * $sign > 0)] | length > 0;
    def fired($action): [$firing[] | select(.action == $action) | .name] | join(", ");
    ($queues | map(select((.observed.pendingSamples // 0) > $backlog))) as $high
  | ([$queues[] | select(.state == "endpoint-failing") | "\(.pod) / \(.remoteName)"] | sort) as $deadInAgents
  | ([$receivers.failingQueues[]? | "\(.pod) / \(.remoteName)"] | sort) as $deadInReceivers
  | (if $qa != ($s | keys) or $qa != ($p | keys) then
      "queues: /api/v1/agents has [\($qa | join(", "))], the metrics API [\($s | keys | join(", "))], PromQL [\($p | keys | join(", "))]"
     else empty end),
    ($queue_series.data.result[]? | select((.value[1] | tonumber) > 1)
      | "queues: \(.metric.pod) has \(.value[1]) samples_pending series in PromQL, one expected"),
    ($queues[] | select(.observed.pendingSamples != null and $s[.pod] != null)
      | select((.observed.pendingSamples > $backlog) != ($s[.pod] > $backlog))
      | "backlog: \(.pod) has \(.observed.pendingSamples) pending in /api/v1/agents, \($s[.pod]) served: either side of \($backlog)"),
    ($queues[] | select(.state == "endpoint-failing" and (((.changes // []) | length) > 0 or .safeToApply))
      | "dead endpoint: \(.pod) / \(.remoteName) is endpoint-failing, yet the shard tuner recommends \(.changes | join(", "))"),
    ($dead.data.result[]? | .metric.pod as $pod | .value[1] as $share
      | $queues[] | select(.pod == $pod and .state != "endpoint-failing")
      | "dead endpoint: PromQL has \($pod) retrying or dropping \(if ($share | test("Inf")) then "all" else "\($share | tonumber * 100 | floor)%" end) of the samples it tries, /api/v1/agents says \(.state)\(if ((.changes // []) | length) > 0 then " and recommends " + (.changes | join(", ")) else "" end)"),
    (if ($high | length) > 0 and ($high | all(.state == "endpoint-failing")) then
       ($rules | map(select(.action == "ADD_AGENT_SHARDS") | .name)) as $queueRules
       | $receivers.recommendations[]?
       | select(.action == "ADD_AGENT_SHARDS"
           or ((.firedBy // []) | length > 0 and all(.[]; . as $f | $queueRules | index($f))))
       | "dead endpoint: /api/v1/receivers recommends \(.action) (\(.firedBy | join(", "))) while the only backlog is \($high | map(.pod) | join(", ")), endpoint-failing in /api/v1/agents"
     else empty end),
    (if $receivers.failingQueuesError == null and $deadInAgents != $deadInReceivers then
       "dead endpoint: /api/v1/agents has endpoint-failing [\($deadInAgents | join(", "))], /api/v1/receivers failingQueues [\($deadInReceivers | join(", "))]"
     else empty end),
    (gauges("rwa_receiver_rule_firing"; "rule") as $g | $rules[]
      | ({FIRING: 1, NOT_FIRING: 0, UNKNOWN: -1}[.state]) as $want
      | select($g[.name] != $want)
      | "gauges: rwa_receiver_rule_firing{rule=\"\(.name)\"} is \($g[.name]), /api/v1/receivers says \(.state)"),
    (gauges("rwa_shards_queues"; "state") as $g
      | ($queues | group_by(.state) | map({key: .[0].state, value: length}) | from_entries) as $c
      | (($g | keys) + ($c | keys) | unique)[] | select(($g[.] // 0) != ($c[.] // 0))
      | "gauges: rwa_shards_queues{state=\"\(.)\"} is \($g[.] // 0), /api/v1/agents has \($c[.] // 0)"),
    (if fired("REMOVE_RECEIVER_MEMORY") != "" and sizes("memory"; 1) then
       "direction: \(fired("REMOVE_RECEIVER_MEMORY")) fires (less memory) but right-sizing raises the receivers'\'' memory" else empty end),
    (if fired("ADD_RECEIVER_MEMORY") != "" and sizes("memory"; -1) then
       "direction: \(fired("ADD_RECEIVER_MEMORY")) fires (more memory) but right-sizing lowers the receivers'\'' memory" else empty end),
    (if fired("REMOVE_RECEIVERS") != "" and sizes("cpu"; 1) then
       "direction: \(fired("REMOVE_RECEIVERS")) fires (fewer receivers) but right-sizing raises the receivers'\'' CPU" else empty end),
    (if fired("ADD_RECEIVERS") != "" and sizes("cpu"; -1) then
       "direction: \(fired("ADD_RECEIVERS")) fires (more receivers) but right-sizing lowers the receivers'\'' CPU" else empty end),
    ($ri[] | select(.replicas.current != null and $receivers.fleet.replicas != null
        and .replicas.current != $receivers.fleet.replicas)
      | "replicas: /api/v1/receivers counts \($receivers.fleet.replicas) receivers, /api/v1/rightsizing \(.replicas.current)")'

disagreements() {
  jq -rn --argjson served "$served" --argjson pending "$pending" --argjson queue_series "$queue_series" --argjson dead "$dead" \
    --argjson agents "$agents" --argjson receivers "$receivers" --argjson sizing "$sizing" --arg own "$own" "$JQ_AGREE"
}

# The loops run on their own schedules (snapshot 5 s, policy 5 s, shards 10 s), so a disagreement is read again for up
# to 30 s before it counts: one that lasts is a contradiction, not a cycle in flight. Sets $disagree.
check_agreement() {
  local deadline=$((SECONDS + 30))
  disagree=$(disagreements) || disagree="the agreement check could not read the reports"
  while [ -n "$disagree" ] && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 2
    read_reports
    disagree=$(disagreements) || disagree="the agreement check could not read the reports"
  done
}

show_agreement() {
  say "do the reports agree? (metrics API, /api/v1/agents, /api/v1/receivers, /api/v1/rightsizing, /q/metrics)"
  if [ -z "$disagree" ]; then
    jq -rn --argjson agents "$agents" --argjson receivers "$receivers" '
      [$agents.agents[]?.queues[]?] as $q
      | "  yes: the same \($q | length) queues and backlogs in the metrics API, /api/v1/agents and PromQL; no advice for the",
        "  \([$q[] | select(.state == "endpoint-failing")] | length) dead endpoint(s); /q/metrics as the reports; receivers and right-sizing on CPU, memory, replicas"'
  else
    sed 's/^/  NO: /' <<<"$disagree"
  fi
}

show

if $once; then
  [ "$failures" = 0 ] || die "$failures request(s) failed; app log: $LOGS/app.log"
  [ -z "$disagree" ] || die "the reports disagree (above); app log: $LOGS/app.log"
  exit 0
fi
say "running; Ctrl-C stops everything"
if $with_app; then
  cat <<EOF2
  the app (local mode)     $APP
    custom metrics         kubectl --server=$APP get --raw /apis/custom.metrics.k8s.io/v1beta2
    reports                $APP/api/v1/agents  $APP/api/v1/receivers  $APP/api/v1/rightsizing
    health, own metrics    $APP/q/health/ready  $APP/q/metrics
EOF2
fi
cat <<EOF2
  Prometheus (scraper)     http://127.0.0.1:$SCRAPER_PORT/graph
  logs                     $LOGS
  processes:
EOF2
processes | sed 's/^/  /'
$with_app && echo "  the reports are compared again every minute; a change in their agreement is printed here"
last_check=$SECONDS
while sleep 1; do   # short: a TERM to this script waits for the running sleep
  for name in "${!PIDS[@]}"; do
    kill -0 "${PIDS[$name]}" 2>/dev/null || { log_tail "$name"; die "$name exited"; }
  done
  if $with_app && [ $((SECONDS - last_check)) -ge 60 ]; then
    last_check=$SECONDS
    previous_disagree=$disagree
    read_reports
    check_agreement
    if [ "$disagree" != "$previous_disagree" ]; then
      if [ -z "$disagree" ]; then echo "$(date -u +%TZ) the reports agree again"
      else echo "$(date -u +%TZ) the reports disagree:"; sed 's/^/  /' <<<"$disagree"; fi
    fi
  fi
done
