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
rm -f .cache/jest-results.json
node --experimental-vm-modules node_modules/jest/bin/jest.js --ci --json --outputFile=.cache/jest-results.json "$@"
status=$?
set -e
# The OpenAPI documents against the running service (skip with API_CHECK=0). Before the closing
# line below, and with schemathesis' "==== 1 warning in 3.5s ====" banners re-drawn: CI readers take
# such a banner for pytest's closing line (no test run) when it comes last.
api_checked=0
api_failed=0
if [ "${API_CHECK:-1}" != "0" ]; then
  step "API documents (schemathesis, scripts/api-check/run.sh)"
  set +e
  bash scripts/api-check/run.sh 2>&1 | sed -E 's/^=+ (.*) =+$/-- \1 --/'
  api_status=${PIPESTATUS[0]}
  set -e
  api_checked=1
  [ "$api_status" -eq 0 ] || { api_failed=1; status=1; }
fi

# One plain closing line that any CI reader understands, last: Jest's tests, plus the API check
# counted as one test when it ran.
API_CHECKED=$api_checked API_FAILED=$api_failed node -e '
  const fs = require("fs");
  const r = fs.existsSync("./.cache/jest-results.json") ? require("./.cache/jest-results.json") : { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0 };
  const apiFailed = Number(process.env.API_FAILED), apiPassed = Number(process.env.API_CHECKED) - apiFailed;
  const passed = r.numPassedTests + apiPassed, failed = r.numFailedTests + apiFailed;
  console.log(`tests: ${passed} passed, ${failed} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' || true
exit $status
