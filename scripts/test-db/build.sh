#!/usr/bin/env bash
# Builds the MongoDB-wire test server (embedded FerretDB v1.24.2, SQLite backend)
# to <project root>/.cache/bin/ferretdb-test.
#
# Usage: scripts/test-db/build.sh [--force]     (works from any cwd)
#
# Skips the build when the binary is newer than main.go, go.mod, go.sum and this
# script. Needs only Go (>= 1.24, or any Go with GOTOOLCHAIN=auto); modules are
# downloaded from the Go proxy on the first run (~125 MB; cold build 1-3 min on
# 2 cores, ~2 s with a warm Go build cache).
# Environment: FERRETDB_TEST_BIN overrides the output path. CI: cache ~/.cache/go-build
# and ~/go/pkg/mod (go env GOCACHE GOMODCACHE) to keep rebuilds fast.
set -euo pipefail

SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$SRC_DIR/../.." && pwd)"
BIN="${FERRETDB_TEST_BIN:-$ROOT_DIR/.cache/bin/ferretdb-test}"

log() { printf '[test-db] %s\n' "$*" >&2; }

force=0
case "${1:-}" in
  --force|-f) force=1 ;;
  "") ;;
  *) log "unknown argument: $1 (usage: $0 [--force])"; exit 2 ;;
esac

if [[ $force -eq 0 && -x "$BIN" ]]; then
  stale=0
  for f in main.go go.mod go.sum build.sh; do
    if [[ "$SRC_DIR/$f" -nt "$BIN" ]]; then stale=1; fi
  done
  if [[ $stale -eq 0 ]]; then
    exit 0
  fi
fi

if ! command -v go >/dev/null 2>&1; then
  log "ERROR: 'go' not found in PATH."
  log "The test MongoDB server (FerretDB) is built from Go sources; install Go >= 1.24"
  log "(https://go.dev/dl/, or e.g. 'apt-get install golang-go' / 'brew install go'),"
  log "or run the tests with FERRETDB_TEST_BIN=/path/to/a/prebuilt/ferretdb-test."
  exit 127
fi

start=$(date +%s)
elapsed() { echo "$(( $(date +%s) - start ))s"; }

mkdir -p "$(dirname "$BIN")"
logfile="$(mktemp "${TMPDIR:-/tmp}/ferretdb-test-build.XXXXXX")"
tmpbin="$BIN.tmp.$$"
cleanup() { rm -f "$logfile" "$tmpbin"; }
trap cleanup EXIT

# Pure-Go SQLite (modernc.org/sqlite): no C compiler needed.
# GOWORK=off: ignore any go.work above us; -buildvcs=false: don't shell out to git.
export CGO_ENABLED=0 GOWORK=off GOFLAGS="${GOFLAGS:-} -buildvcs=false -mod=readonly"

cd "$SRC_DIR"
log "building $BIN with $(go version | cut -d' ' -f3-)"

log "downloading Go modules (no-op when cached)..."
if ! go mod download >"$logfile" 2>&1; then
  cat "$logfile" >&2
  log "ERROR: 'go mod download' failed after $(elapsed) (is the Go proxy reachable? GOPROXY=$(go env GOPROXY))"
  exit 1
fi

log "compiling (1-3 minutes on a cold Go build cache, seconds when warm)..."
# Run the build in the background, report progress every 10s, keep the full log.
go build -v -trimpath -ldflags='-s -w' -o "$tmpbin" . >"$logfile" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    sleep 1
    kill -0 "$pid" 2>/dev/null || break 2
  done
  log "  ...$(elapsed), $(grep -c . "$logfile" || true) packages compiled"
done
if ! wait "$pid"; then
  cat "$logfile" >&2
  log "ERROR: go build failed after $(elapsed)"
  exit 1
fi

mv -f "$tmpbin" "$BIN"   # atomic: concurrent callers never see a partial binary
log "done in $(elapsed): $BIN ($(du -h "$BIN" | cut -f1))"
