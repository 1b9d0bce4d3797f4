#!/usr/bin/env bash
# Makes sure Debian's redis-server is installed for the tests that need a real Redis
# (test/support/redis.ts starts throwaway servers on free loopback ports; nothing is left running).
# Idempotent: does nothing when the binary is present. Override the binary with REDIS_SERVER_BIN.
# Works on a bare CI machine running as root (apt-get update, then install); elsewhere it prints
# the command to run.
set -euo pipefail

BIN="${REDIS_SERVER_BIN:-$(command -v redis-server || true)}"
if [ -n "$BIN" ] && [ -x "$BIN" ]; then
  echo "redis-server present: $BIN ($("$BIN" --version 2>/dev/null | head -n1 || echo 'version unknown'))"
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian package: redis-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  # --no-install-recommends: the tests need the binary only, not redis-tools or a system service.
  apt-get install -y --no-install-recommends redis-server
  # Debian may start the packaged service; the tests never use it (they start their own servers).
  redis-server --version
  exit 0
fi

echo "missing: redis-server" >&2
echo "Install with:  sudo apt-get update && sudo apt-get install -y redis-server" >&2
echo "(or set REDIS_SERVER_BIN to an existing redis-server binary)" >&2
exit 1
