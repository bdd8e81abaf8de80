#!/usr/bin/env bash
# Idempotent set-up shared by the README commands and CI: install npm dependencies when the lock
# file changed (or none are installed), then compile TypeScript to dist/ (not with --no-build: the
# unit suite runs the sources).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1; then
  echo "mesh-exp needs Node.js >= 20.19 on PATH (https://nodejs.org)" >&2
  exit 2
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error(`mesh-exp needs Node.js >= 20.19; this is ${process.version}`); process.exit(2); }'

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "› installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

[ "${1:-}" = "--no-build" ] && exit 0
echo "› compiling TypeScript"
npx --no-install tsc -p tsconfig.build.json
