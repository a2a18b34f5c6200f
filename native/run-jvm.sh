#!/usr/bin/env bash
# The one source of the JVM's flags for remote-write-autoscaler: the JVM image's entry point, benchmarks/run.sh and
# the README all start the application through this script, so what is measured is what ships.
#
#   native/run-jvm.sh [JVM options...]          run the application (exec: the JVM gets the signals)
#   native/run-jvm.sh train [JVM options...]    only create the AOT cache in $AOT_CACHE (JDK 25+), then exit
#   native/run-jvm.sh flags                     print the JVM flags it would use, one per line, and exit
#
# Inputs (environment):
#   JAVA_HOME      the JDK/JRE to run (required: bin/java must exist). JDK 17 works; JDK 25+ adds the AOT cache and
#                  compact object headers.
#   APP_DIR        the Quarkus application folder (quarkus-run.jar inside); default target/quarkus-app of the
#                  repository this script sits in.
#   MEMORY_LIMIT   the container's memory limit (512Mi, 1Gi, 768M, or bytes); default 512Mi, the chart's limit.
#                  The heap is 25 % of it: live data is ~32 MiB at 10,000 series (benchmarks/), the rest of the limit
#                  is for metaspace, code cache, thread stacks, direct buffers and glibc.
#   AOT_CACHE      optional folder for the AOT cache (JDK 25+). Created on first use by a training run: the app is
#                  started in local mode against nothing, as at start-up, until it answers /q/health/live, and is
#                  stopped cleanly; the JVM writes the cache as it exits. Ignored (one line on stderr) on JDK < 25.
#   COMPACT_HEADERS auto (default: on for JDK 25+), true or false.
#   JAVA_OPTS      extra JVM options, after the script's own (so they win).
#   Configuration of the application itself: the usual variables (QUARKUS_PROFILE, AUTOSCALER_*, ...).
set -euo pipefail

die() { echo "run-jvm.sh: $*" >&2; exit 2; }
info() { echo "run-jvm.sh: $*" >&2; }

mode=run
case "${1:-}" in
  train|flags) mode="$1"; shift ;;
  run) shift ;;
  -h|--help) sed -n '2,22s/^# \{0,1\}//p' "$0"; exit 0 ;;
esac

# --- inputs -----------------------------------------------------------------------------------------------------
[ -n "${JAVA_HOME:-}" ] || die "JAVA_HOME is not set: point it at a JDK or JRE 17 or later (e.g. /usr/lib/jvm/temurin-25-jdk-amd64)"
JAVA="$JAVA_HOME/bin/java"
[ -x "$JAVA" ] || die "JAVA_HOME=$JAVA_HOME has no executable bin/java"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_DIR="${APP_DIR:-$ROOT/target/quarkus-app}"
[ -f "$APP_DIR/quarkus-run.jar" ] \
  || die "APP_DIR=$APP_DIR holds no quarkus-run.jar (build it: ./mvnw -B package -DskipTests, or set APP_DIR)"
APP_DIR="$(cd "$APP_DIR" && pwd)"

# MEMORY_LIMIT -> MiB
mem="${MEMORY_LIMIT:-512Mi}"
if [[ "$mem" =~ ^([0-9]+)(|k|K|Ki|m|M|Mi|g|G|Gi)$ ]]; then
  n="${BASH_REMATCH[1]}" unit="${BASH_REMATCH[2]}"
  case "$unit" in
    "") mem_mib=$((n / 1048576)) ;;
    k) mem_mib=$((n * 1000 / 1048576)) ;;
    K|Ki) mem_mib=$((n / 1024)) ;;
    m|M) mem_mib=$((n * 1000000 / 1048576)) ;;
    Mi) mem_mib=$n ;;
    g|G) mem_mib=$((n * 1000000000 / 1048576)) ;;
    Gi) mem_mib=$((n * 1024)) ;;
  esac
else
  die "MEMORY_LIMIT='$mem' is not a memory size (e.g. 512Mi, 1Gi, 768M or a number of bytes)"
fi
[ "$mem_mib" -ge 128 ] || die "MEMORY_LIMIT='$mem' is below 128Mi: the JVM image needs more (the chart's limit is 512Mi)"
heap_mib=$((mem_mib / 4))

# The JDK's feature version, from the release file (no JVM start) or from java -version.
jdk_version=""
if [ -f "$JAVA_HOME/release" ]; then
  jdk_version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$JAVA_HOME/release")"
fi
[ -n "$jdk_version" ] || jdk_version="$("$JAVA" -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p')"
jdk_major="${jdk_version%%[.+-]*}"
[[ "$jdk_major" =~ ^[0-9]+$ ]] || die "cannot tell the Java version of $JAVA (got '$jdk_version')"
[ "$jdk_major" -ge 17 ] || die "$JAVA is Java $jdk_version: the application needs 17 or later"

# --- the flags ----------------------------------------------------------------------------------------------------
# SerialGC: one or two CPUs and a small heap (what the JVM picks itself at 1 CPU; measured in benchmarks/).
# Code cache, thread stacks and MALLOC_ARENA_MAX keep the non-heap part small.
flags=(
  -XX:+UseSerialGC
  "-Xmx${heap_mib}m"
  -XX:ReservedCodeCacheSize=64m
  -Xss512k
  -XX:+ExitOnOutOfMemoryError
  "-Djava.io.tmpdir=${TMPDIR:-/tmp}"
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager
)
case "${COMPACT_HEADERS:-auto}" in
  auto) [ "$jdk_major" -ge 25 ] && flags+=(-XX:+UseCompactObjectHeaders) ;;
  true) [ "$jdk_major" -ge 25 ] || die "COMPACT_HEADERS=true needs JDK 25 or later ($JAVA is $jdk_version)"
        flags+=(-XX:+UseCompactObjectHeaders) ;;
  false) ;;
  *) die "COMPACT_HEADERS='${COMPACT_HEADERS}' must be auto, true or false" ;;
esac
# shellcheck disable=SC2206 # JAVA_OPTS is a list of options, split on spaces like the JVM's own variables
[ -z "${JAVA_OPTS:-}" ] || flags+=(${JAVA_OPTS})
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

if [ "$mode" = flags ]; then
  printf '%s\n' "${flags[@]}"
  exit 0
fi

# --- AOT cache (JDK 25+: JEP 483/514/515) -------------------------------------------------------------------------
aot_file=""
if [ -n "${AOT_CACHE:-}" ]; then
  if [ "$jdk_major" -lt 25 ]; then
    [ "$mode" = train ] && die "the AOT cache needs JDK 25 or later ($JAVA is $jdk_version)"
    info "AOT_CACHE ignored: $JAVA is Java $jdk_version, the AOT cache needs 25 or later"
  else
    aot_file="$AOT_CACHE/app.aot"
  fi
fi
[ "$mode" != train ] || [ -n "$aot_file" ] || die "train needs AOT_CACHE (the folder to write the cache into)"

# The cache is only valid for the same JVM, flags and jars: a key beside it says which, and a different key retrains.
aot_key() {
  # not the heap size nor the caller's options: the JVM checks what matters itself and, if the cache does not fit
  # (AOTMode=auto), warns and runs without it
  printf '%s\n' "$JAVA_HOME" "$jdk_version" "${COMPACT_HEADERS:-auto}" -XX:+UseSerialGC
  # the jars' sizes and times, as the JVM itself checks them
  find "$APP_DIR" -name '*.jar' -printf '%P %s %T@\n' | LC_ALL=C sort
}

http_status() { # PORT PATH -> HTTP status code, or nothing
  local line=""
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 0
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
  IFS= read -r -t 5 line <&3 || true
  exec 3<&- 3>&-
  line="${line#HTTP/* }"
  printf '%s' "${line%% *}"
}

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12768))
    if ! { exec 4<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then echo "$port"; return; fi
    exec 4<&- 4>&-
  done
}

train() {
  mkdir -p "$AOT_CACHE" 2>/dev/null && [ -w "$AOT_CACHE" ] || { info "AOT_CACHE=$AOT_CACHE is not writable"; return 1; }
  local port pid tmp="$AOT_CACHE/app.aot.tmp.$$" deadline status
  port="$(free_port)"
  rm -f "$tmp" "$tmp.config"
  info "training run for the AOT cache ($AOT_CACHE/app.aot) on 127.0.0.1:$port"
  # Local mode against nothing: no Kubernetes API, no certificates, a Prometheus URL where nobody listens. System
  # properties win over the caller's environment (QUARKUS_*, AUTOSCALER_*) in Quarkus' configuration.
  "$JAVA" "${flags[@]}" "$@" "-XX:AOTCacheOutput=$tmp" \
    -Dquarkus.profile=local -Dquarkus.http.host=127.0.0.1 "-Dquarkus.http.port=$port" \
    -Dautoscaler.prometheus.url=http://127.0.0.1:9 \
    -jar "$APP_DIR/quarkus-run.jar" >"$AOT_CACHE/training.log" 2>&1 &
  pid=$!
  deadline=$((SECONDS + ${AOT_TRAINING_TIMEOUT:-120}))
  until [ "$(http_status "$port" /q/health/live)" = 200 ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      info "the training run exited before it was live; see $AOT_CACHE/training.log"; return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      kill -KILL "$pid" 2>/dev/null || true; info "the training run was not live in time; see $AOT_CACHE/training.log"
      return 1
    fi
    sleep 0.2
  done
  # What start-up and the first probes and scrapes run, as in a cluster.
  http_status "$port" /q/health/ready >/dev/null; http_status "$port" /q/metrics >/dev/null
  sleep "${AOT_TRAINING_SETTLE:-2}"
  kill -TERM "$pid"
  status=0; wait "$pid" || status=$?
  # 143 = ended by SIGTERM before Quarkus' own hook answered; the JVM still writes the cache on a clean exit.
  if [ ! -s "$tmp" ]; then
    info "the training run (exit $status) wrote no AOT cache; see $AOT_CACHE/training.log"; rm -f "$tmp"; return 1
  fi
  mv -f "$tmp" "$AOT_CACHE/app.aot"
  aot_key >"$AOT_CACHE/app.aot.key"
  info "AOT cache written: $AOT_CACHE/app.aot ($(du -h "$AOT_CACHE/app.aot" | cut -f1))"
}

if [ "$mode" = train ]; then
  train "$@" || die "no AOT cache created"
  exit 0
fi

if [ -n "$aot_file" ]; then
  if [ ! -s "$aot_file" ] || ! cmp -s <(aot_key) "$AOT_CACHE/app.aot.key"; then
    train "$@" || { info "running without an AOT cache"; aot_file=""; }
  fi
fi
[ -z "$aot_file" ] || flags+=("-XX:AOTCache=$aot_file")

exec "$JAVA" "${flags[@]}" "$@" -jar "$APP_DIR/quarkus-run.jar"
