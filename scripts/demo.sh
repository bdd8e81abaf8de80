#!/usr/bin/env bash
# The README's first command: set up, then run the demo canaries on the embedded local mesh —
# a good canary that is promoted, and a bad one that is rolled back at the step that fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh

echo
echo "━━ 1/2  a good canary: shifted 20% → 50% → 100%, SLOs hold, promoted"
node bin/mesh-exp.js run experiments/canary.yaml

echo
echo "━━ 2/2  a bad canary: slower and failing; rolled back at the first step that breaks an SLO"
set +e
node bin/mesh-exp.js run experiments/canary-bad.yaml
code=$?
set -e
if [ "$code" -ne 1 ]; then
  echo "demo: expected canary-bad.yaml to be rolled back (exit 1), got exit $code" >&2
  exit 1
fi
echo
echo "demo finished: the good canary was promoted and the bad one rolled back (exit 1, as expected)."
echo "reports are under reports/ — open the newest report.html in a browser."
