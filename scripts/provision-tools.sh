#!/usr/bin/env bash
# Idempotent: installs the programs the integration tests run for real, when they are missing.
# Now: Prometheus (Debian package) for the metric-source tests, and Chromium (Debian package,
# driven by the playwright-core devDependency) for the report browser tests. Needs root and
# apt-get; without them it says which tests will skip (outside CI) and why. Called by
# scripts/test.sh and .ci/run.
set -euo pipefail

missing=()
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "› cannot install ${missing[*]} (needs root and apt-get): the tests that run them will skip, loudly" >&2
  exit 0
fi
echo "› installing Debian packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
