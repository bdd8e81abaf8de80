#!/usr/bin/env bash
# The README's second command: set up, typecheck, then run every test (unit and integration).
# Prints a closing line "N passed, N failed, N skipped" read by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/provision-tools.sh

echo "› typechecking"
npx --no-install tsc -p tsconfig.json --noEmit

mkdir -p test/artifacts
results=test/artifacts/vitest-results.json
set +e
npx --no-install vitest run "$@" --reporter=default --reporter=json --outputFile.json="$results"
code=$?
set -e
node scripts/summarize-vitest.mjs "$results" || true
exit "$code"
