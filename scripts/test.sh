#!/usr/bin/env bash
# The whole test suite, with its own set-up, from a fresh clone:
# dependencies, the encoder model, the FerretDB test server, Chromium, Redis, then static checks and Jest.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

step "encoder model (scripts/model/fetch.sh, idempotent)"
bash scripts/model/fetch.sh

step "FerretDB test server (scripts/test-db/build.sh, cached)"
bash scripts/test-db/build.sh

step "Chromium for browser tests (scripts/ensure-chromium.sh)"
bash scripts/ensure-chromium.sh

step "Redis for the event-bus, rate-limit and outbox tests (scripts/test-redis/ensure.sh)"
bash scripts/test-redis/ensure.sh

step "typecheck"
npx tsc --noEmit -p tsconfig.json

step "lint"
npx eslint .

step "dependency rules"
npx depcruise src channels --config .dependency-cruiser.cjs

step "jest"
mkdir -p .cache
set +e
node --experimental-vm-modules node_modules/jest/bin/jest.js --ci --json --outputFile=.cache/jest-results.json "$@"
status=$?
set -e
# One plain closing line that any CI reader understands.
node -e '
  const r = require("./.cache/jest-results.json");
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' || true

# The OpenAPI documents against the running service (skip with API_CHECK=0).
if [ "${API_CHECK:-1}" != "0" ]; then
  step "API documents (schemathesis, scripts/api-check/run.sh)"
  bash scripts/api-check/run.sh || status=1
fi
exit $status
