#!/usr/bin/env bash
# Builds tools/localkube (embedded etcd + kube-apiserver, for the Kubernetes integration tests)
# into .tools/localkube/localkube-<hash>, with .tools/localkube/localkube a symlink to it.
# Idempotent: the hash covers go.mod, go.sum, the .go files, this script (it holds the ldflags)
# and the Go version, so an unchanged tree skips the build in milliseconds. Uses the default Go
# caches (GOMODCACHE, GOCACHE), so a rebuild after a small change takes seconds, not minutes.
# Exit status non-zero when Go is missing or the build fails; scripts/provision-tools.sh decides
# whether that is fatal (CI) or a loud skip (elsewhere).
set -euo pipefail
cd "$(dirname "$0")/.."
src=tools/localkube
out=.tools/localkube

if ! command -v go >/dev/null 2>&1; then
  echo "› localkube needs Go (>= the version in $src/go.mod) on PATH" >&2
  exit 1
fi

hash=$(
  {
    go env GOVERSION
    cat "$0"
    for f in "$src/go.mod" "$src/go.sum" "$src"/*.go; do
      echo "== $f"
      cat "$f"
    done
  } | sha256sum | cut -c1-16
)
bin="$out/localkube-$hash"
if [ -x "$bin" ]; then
  ln -sfn "localkube-$hash" "$out/localkube"
  exit 0
fi

# Version stamps, so /version reports the Kubernetes release this was built from (kube's own
# build sets the same variables in hack/lib/version.sh). The build date is the release's
# publication time from the module proxy, not now, so the same sources give the same binary.
# The commit is not known from a module download; it is cleared rather than left "$Format:%H$".
read -r version built < <(cd "$src" && go list -m -f '{{.Version}} {{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' k8s.io/kubernetes)
[ -n "${version:-}" ] || { echo "› cannot read the k8s.io/kubernetes version from $src/go.mod" >&2; exit 1; }
minor=${version#v1.}
minor=${minor%%.*}
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.buildDate=$built -X $pkg.gitCommit= -X $pkg.gitTreeState=clean"
done

echo "› building localkube (kube-apiserver $version, etcd in-process) into $bin"
echo "  a cold first build takes about 10 minutes on 2 CPUs: ~570 MB of Go modules into $(go env GOMODCACHE),"
echo "  ~2.8 GB of build cache into $(go env GOCACHE), ~2.8 GB of memory at peak (docs/localkube.md);"
echo "  later builds reuse both and take seconds"
mkdir -p "$out"
. scripts/lib/progress.sh
# CGO off as for kube's own static apiserver build: no C toolchain needed, one static binary.
# -v names each package as it is compiled, which the progress lines show.
with_progress "building localkube" env -C "$src" CGO_ENABLED=0 \
  go build -v -trimpath -buildvcs=false -ldflags "$ldflags" -o "../../$bin.tmp" .
mv "$bin.tmp" "$bin"
ln -sfn "localkube-$hash" "$out/localkube"
# Earlier builds are ~100 MB each and never used again.
find "$out" -maxdepth 1 -name 'localkube-*' ! -name "localkube-$hash" -delete
echo "› localkube ready: $out/localkube -> localkube-$hash"
