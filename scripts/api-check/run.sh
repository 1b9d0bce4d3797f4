#!/usr/bin/env bash
# Schemathesis against the three OpenAPI documents of a running service (resident app, counselor
# console, admin): generated requests, answers checked against the documents (response schema,
# status code, content type) and for server errors. Fails on any failure. A short run by design:
# a few examples per operation (API_CHECK_EXAMPLES, default 6), one worker, a fixed seed.
#
#   bash scripts/api-check/run.sh            (scripts/test.sh calls it after Jest)
#
# Installs the pinned schemathesis (requirements.txt) into .cache/schemathesis-venv on first use.
set -euo pipefail
cd "$(dirname "$0")/../.."

log() { printf '[api-check] %s\n' "$*" >&2; }

VENV="$PWD/.cache/schemathesis-venv"
REQ=scripts/api-check/requirements.txt
want=$(sha256sum "$REQ" | cut -d' ' -f1)
if [ ! -x "$VENV/bin/st" ] || [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
  log "installing $(grep -v '^#' "$REQ" | tr '\n' ' ')into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQ"
  echo "$want" >"$VENV/.requirements.sha256"
fi

# The admin API edits intents and FAQ files: the service works on copies.
work=$(mktemp -d)
cp -r intents "$work/intents"
cp -r knowledge "$work/knowledge"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
base="http://127.0.0.1:$port"
admin_token="api-check-admin-token-$RANDOM$RANDOM"

PORT=$port HOST=127.0.0.1 NLU_MODE=lexical LOG_LEVEL=warn \
  INTENTS_DIR="$work/intents" KNOWLEDGE_DIR="$work/knowledge" \
  ADMIN_TOKEN="$admin_token" ADMIN_LOGIN=apicheck ADMIN_PASSWORD=api-check-password \
  LOGIN_RATE_LIMIT=100000 LOGIN_MAX_FAILURES=100000 LOGIN_ACCOUNT_MAX_FAILURES=100000 \
  APP_REQUESTS_PER_MINUTE=100000 APP_SESSIONS_PER_MINUTE=100000 \
  node --import tsx src/main.ts >"$work/service.log" 2>&1 &
# One node process (not npx -> tsx -> node), so the kill below reaches the service itself: through
# npx the service outlived the check.
service=$!
cleanup() {
  kill "$service" 2>/dev/null || true
  wait "$service" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 1 240); do
  curl -sf "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$service" 2>/dev/null || { cat "$work/service.log" >&2; log "the service did not start"; exit 1; }
  sleep 0.5
done
curl -sf "$base/healthz" >/dev/null || { log "the service did not answer /healthz"; exit 1; }

# Credentials: an app session token, and a console admin session (cookie + CSRF token).
app_token=$(curl -sf -X POST "$base/api/app/v1/sessions" -H 'content-type: application/json' -d '{"deviceId":"api-check"}' |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
login=$(curl -sf -D "$work/login.headers" -X POST "$base/api/console/v1/login" -H 'content-type: application/json' \
  -d '{"login":"apicheck","password":"api-check-password"}')
csrf=$(printf '%s' "$login" | python3 -c 'import json, sys; print(json.load(sys.stdin)["csrfToken"])')
cookie=$(grep -i '^set-cookie:' "$work/login.headers" | head -1 | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*).*/\1/' | tr -d '\r')

# A supervisor too: most console routes are for counselors and supervisors, not admins.
supervisor_password="api-check-supervisor-$RANDOM$RANDOM"
curl -sf -X POST "$base/api/console/v1/users" -H 'content-type: application/json' -H "Cookie: $cookie" -H "x-csrf-token: $csrf" \
  -d "{\"login\":\"apicheck-sup\",\"password\":\"$supervisor_password\",\"role\":\"supervisor\",\"languages\":[\"ko\"],\"teams\":[]}" >/dev/null
sup_login=$(curl -sf -D "$work/sup.headers" -X POST "$base/api/console/v1/login" -H 'content-type: application/json' \
  -d "{\"login\":\"apicheck-sup\",\"password\":\"$supervisor_password\"}")
sup_csrf=$(printf '%s' "$sup_login" | python3 -c 'import json, sys; print(json.load(sys.stdin)["csrfToken"])')
sup_cookie=$(grep -i '^set-cookie:' "$work/sup.headers" | head -1 | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*).*/\1/' | tr -d '\r')

checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
run() {
  local name=$1 doc=$2
  shift 2
  log "$name: $doc"
  # From the temp folder, so schemathesis' own cache (.schemathesis/) goes away with it.
  (cd "$work" && "$VENV/bin/st" run "$base$doc" --url "$base${doc%/openapi.json}" --checks "$checks" \
    --max-examples "${API_CHECK_EXAMPLES:-6}" --workers 1 --seed 120 --phases examples,coverage,fuzzing \
    --suppress-health-check all --request-timeout 30 --no-color "$@")
}

status=0
run app /api/app/v1/openapi.json -H "Authorization: Bearer $app_token" || status=1
# /logout would end the session the rest of the run uses.
run console /api/console/v1/openapi.json -H "Cookie: $cookie" -H "x-csrf-token: $csrf" --exclude-path /logout || status=1
run "console (supervisor)" /api/console/v1/openapi.json -H "Cookie: $sup_cookie" -H "x-csrf-token: $sup_csrf" --exclude-path /logout || status=1
run admin /api/admin/v1/openapi.json -H "Authorization: Bearer $admin_token" || status=1
[ $status -eq 0 ] && log "all three documents hold" || log "schemathesis found failures (see above)"
exit $status
