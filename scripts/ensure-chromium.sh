#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests (playwright-core drives it; we
# never download Playwright's own browser builds), plus a Korean font so screenshots of the
# Korean-first web chat are legible (the tests themselves do not depend on the font).
# Idempotent: does nothing when both are present. Override the binary with CHROMIUM_PATH.
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
if ! command -v fc-list >/dev/null || [ -z "$(fc-list :lang=ko 2>/dev/null)" ]; then missing+=(fonts-nanum); fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "chromium present: $CHROMIUM ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
  "$CHROMIUM" --version
  exit 0
fi

echo "missing: ${missing[*]}" >&2
echo "Install with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
echo "(or set CHROMIUM_PATH to an existing Chromium/Chrome binary)" >&2
# A missing font only makes screenshots ugly; a missing browser fails the browser tests.
[ -x "$CHROMIUM" ] || exit 1
