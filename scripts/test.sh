#!/usr/bin/env bash
# The README's second command: set up, typecheck, then run every test (unit and integration).
# Prints a closing line "N passed, N failed, N skipped" read by CI; suites that fail outside
# their tests (not loaded, a hook threw) count as failed and are named (scripts/summarize-vitest.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/provision-tools.sh

echo "› typechecking"
npx --no-install tsc -p tsconfig.json --noEmit

mkdir -p test/artifacts
results=test/artifacts/vitest-results.json
rm -f "$results" # a stale report must never stand in for this run
set +e
npx --no-install vitest run "$@" --reporter=default --reporter=json --outputFile.json="$results"
code=$?
set -e
# The summary can fail a run that vitest passed (a suite that failed outside its tests), never the reverse.
node scripts/summarize-vitest.mjs "$results" || [ "$code" -ne 0 ] || code=1
exit "$code"
