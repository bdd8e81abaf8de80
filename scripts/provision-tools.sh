#!/usr/bin/env bash
# Idempotent: installs the programs the integration tests run for real, when they are missing.
# Now: Prometheus (Debian package) for the metric-source tests, Chromium (Debian package,
# driven by the playwright-core devDependency) for the report browser tests, and localkube (etcd +
# kube-apiserver built from Go modules by scripts/build-localkube.sh, with the Gateway API
# HTTPRoute CRD beside it in .tools/crds/) for the Kubernetes tests. Needs root and apt-get for the
# Debian packages and Go for localkube; without them it says which tests will skip (outside CI)
# and why — under CI=true a localkube that cannot be built is fatal. Called by scripts/test.sh and
# .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "› cannot install ${missing[*]} (needs root and apt-get): the tests that run them will skip, loudly" >&2
  else
    echo "› installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# Outside CI a missing piece means its tests skip with a notice; CI must have everything.
kube_unavailable() {
  if [ "${CI:-}" = "true" ]; then
    echo "› $1 (CI=true: fatal)" >&2
    exit 1
  fi
  echo "› $1: the Kubernetes integration tests will skip, loudly" >&2
}

# The first build compiles kube-apiserver (minutes, see docs/localkube.md); later runs reuse it.
if ! bash scripts/build-localkube.sh; then
  kube_unavailable "cannot build localkube"
fi

# The Gateway API's HTTPRoute CRD, read by the tests from .tools/crds/ (Apache-2.0 data from the
# module, not committed). Pinned: v1.7.0 needs a newer Go than the one this project builds with.
gateway_version=v1.6.3
crd=.tools/crds/gateway.networking.k8s.io_httproutes.yaml
if ! grep -qs "bundle-version: $gateway_version" "$crd"; then
  if command -v go >/dev/null 2>&1 &&
    dir=$(go mod download -json "sigs.k8s.io/gateway-api@$gateway_version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p') &&
    [ -f "$dir/config/crd/standard/gateway.networking.k8s.io_httproutes.yaml" ]; then
    mkdir -p .tools/crds
    cp "$dir/config/crd/standard/gateway.networking.k8s.io_httproutes.yaml" "$crd.tmp"
    chmod 644 "$crd.tmp"
    mv "$crd.tmp" "$crd"
    echo "› HTTPRoute CRD (gateway-api $gateway_version) in $crd"
  else
    kube_unavailable "cannot fetch sigs.k8s.io/gateway-api@$gateway_version for the HTTPRoute CRD"
  fi
fi
