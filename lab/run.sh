#!/usr/bin/env bash
# Surge lab: lab/run.sh [--out DIR] [--series] [scenario.yaml ...]
# Runs every shipped scenario (lab/scenarios/*.yaml) when none is given; results go to lab/results unless --out;
# --series also writes each strategy's time series as CSV (pending, lag, shards, replicas, ... every 10 s).
# Builds the lab (it compiles the product's core sources) unless LAB_NO_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${LAB_NO_BUILD:-0}" != 1 ] || [ ! -f lab/target/lab.jar ]; then
  ./mvnw -B -q -f lab/pom.xml package -DskipTests
fi
exec java -Djava.awt.headless=true -jar lab/target/lab.jar "$@"
