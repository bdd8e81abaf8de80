#!/usr/bin/env bash
# Idempotent: installs the programs the integration tests run for real, when they are missing.
# Now: Prometheus (Debian package) for the metric-source tests, Chromium (Debian package,
# driven by the playwright-core devDependency) for the report browser tests, and localkube (etcd +
# kube-apiserver built from Go modules by scripts/build-localkube.sh, with Istio's CRDs and the
# Gateway API HTTPRoute CRD beside it in .tools/crds/, both from the Go module proxy) for the
# Kubernetes tests, vegeta (go install, pinned) for the vegeta load generator and fortio (go install,
# pinned) for the Istio circuit-breaking task test. Needs root and apt-get for the
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
    echo "› installing Debian packages as root with apt-get: ${missing[*]} (about 1-3 minutes)"
    . scripts/lib/progress.sh
    with_progress "apt-get update" apt-get update
    with_progress "apt-get install ${missing[*]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y --no-install-recommends "${missing[@]}"
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

# CRDs the Kubernetes tests install into localkube, read from .tools/crds/: each comes from a Go
# module on the module proxy (Apache-2.0 data, not committed), pinned, and is fetched again only
# when its stamp file names another version.
#   fetch_crd MODULE VERSION PATH-IN-MODULE DEST
fetch_crd() {
  local module=$1 version=$2 inner=$3 dest=$4 dir
  if [ "$(cat "$dest.version" 2>/dev/null)" = "$module@$version" ] && [ -s "$dest" ]; then return 0; fi
  if command -v go >/dev/null 2>&1 &&
    dir=$(go mod download -json "$module@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p') &&
    [ -f "$dir/$inner" ]; then
    mkdir -p "$(dirname "$dest")"
    cp "$dir/$inner" "$dest.tmp"
    chmod 644 "$dest.tmp"
    mv "$dest.tmp" "$dest"
    echo "$module@$version" >"$dest.version"
    echo "› $(basename "$dest") from $module@$version"
  else
    kube_unavailable "cannot fetch $module@$version for $(basename "$dest")"
  fi
}
# Istio's own CRDs (all 15, with their CEL rules), the release line the shipped manifests target.
fetch_crd istio.io/api v1.30.8 kubernetes/customresourcedefinitions.gen.yaml .tools/crds/istio.gen.yaml
# The Gateway API's HTTPRoute CRD. Pinned: v1.7.0 needs a newer Go than the one this project builds with.
fetch_crd sigs.k8s.io/gateway-api v1.6.3 config/crd/standard/gateway.networking.k8s.io_httproutes.yaml \
  .tools/crds/gateway.networking.k8s.io_httproutes.yaml

# Go programs the tests run, each built with `go install` (pinned) into .tools/<name>/bin when the
# binary there is missing or is another version.
#   go_install_tool NAME MODULE@VERSION TESTS-THAT-SKIP   (the caller decides first that it is needed)
go_install_tool() {
  local name=$1 module=$2 tests=$3 version=${2##*@}
  if command -v go >/dev/null 2>&1; then
    . scripts/lib/progress.sh
    mkdir -p ".tools/$name/bin"
    if with_progress "go install $name $version" env GOBIN="$PWD/.tools/$name/bin" go install "$module"; then
      echo "$version" >".tools/$name/version"
    elif [ "${CI:-}" = "true" ]; then
      echo "› cannot build $name $version (CI=true: fatal)" >&2
      exit 1
    else
      echo "› cannot build $name $version: $tests will skip, loudly" >&2
    fi
  elif [ "${CI:-}" = "true" ]; then
    echo "› Go is absent: cannot build $name $version (CI=true: fatal)" >&2
    exit 1
  else
    echo "› Go is absent: cannot build $name $version; $tests will skip, loudly" >&2
  fi
}

# vegeta, the external load engine of `load.generator: vegeta` (MIT, a Go module on the module
# proxy), built with `go install` into .tools/vegeta/bin where mesh-exp looks for it first. Pinned:
# mesh-exp accepts only this version (the JSON result lines it reads are this version's). Built
# again only when the binary is missing or is another version (~30 s cold). A `go install` build
# prints an empty "Version:" (releases set it with -ldflags), so its version is read, as mesh-exp
# reads it, from the module line Go embeds in every binary it builds.
VEGETA_VERSION=v12.13.0
vegeta_bin=.tools/vegeta/bin/vegeta
if ! { [ -x "$vegeta_bin" ] && { "$vegeta_bin" -version 2>/dev/null | grep -q "^Version: $VEGETA_VERSION\$" ||
  grep -qa "$(printf 'mod\tgithub.com/tsenart/vegeta/v12\t%s\t' "$VEGETA_VERSION")" "$vegeta_bin"; }; }; then
  go_install_tool vegeta "github.com/tsenart/vegeta/v12@$VEGETA_VERSION" "the vegeta load-generator tests"
fi

# fortio, the load generator of Istio's circuit-breaking task (Apache-2.0, a Go module on the module
# proxy), built into .tools/fortio/bin for the Istio task conformance tests
# (test/integration/mesh/istio-task-circuit-breaking.test.ts). Pinned to v1.68.2, the last release
# whose dependencies the module proxy serves here: from v1.69.0 fortio needs grol.io/grol, which
# proxy.golang.org refuses (403). Built again only when the binary is missing or reports another
# version (~15 s cold); `fortio version` prints the module version of a `go install` build.
FORTIO_VERSION=v1.68.2
fortio_bin=.tools/fortio/bin/fortio
if ! { [ -x "$fortio_bin" ] && [ "v$("$fortio_bin" version 2>/dev/null)" = "$FORTIO_VERSION" ]; }; then
  go_install_tool fortio "fortio.org/fortio@$FORTIO_VERSION" "the Istio circuit-breaking task test"
fi
