#!/usr/bin/env bash
# Calibration of the surge lab against real Prometheus agents (issue 16, item 5): lab/calibrate.sh [--out DIR]
# [--model-only] [scenario.yaml]. Starts real `prometheus` processes (agents, a receiver) on loopback, a load source
# and a throttling proxy, for the scenario's duration (lab/calibration/step.yaml: 7 minutes), then runs the lab on the
# same setting and writes calibration.md, calibration.png and the CSVs (lab/results unless --out). --model-only
# re-runs the model against the real CSV of an earlier run (after a model change). A benchmark: not run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v prometheus >/dev/null || { echo "calibrate: needs the prometheus binary (apt-get install prometheus)" >&2; exit 2; }
if [ "${LAB_NO_BUILD:-0}" != 1 ] || [ ! -f lab/target/lab.jar ]; then
  ./mvnw -B -q -f lab/pom.xml package -DskipTests
fi
exec java -Djava.awt.headless=true -cp lab/target/lab.jar io.rwautoscaler.lab.calibration.Calibration "$@"
