#!/usr/bin/env bash
# Makes sure Debian's Chromium (and a Korean font, so screenshots of the Korean-first widget are
# legible) is installed for the browser tests. playwright-core drives it; we never download
# Playwright's own browser builds. Idempotent: does nothing when both are present.
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
# Tests do not depend on the font; without it Hangul renders as boxes in screenshots.
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=ko 2>/dev/null)" ]; then missing+=(fonts-nanum); fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "chromium present: $CHROMIUM ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
  "$CHROMIUM" --version
else
  echo "missing: ${missing[*]} (and this script is not running as root)." >&2
  echo "Install with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  echo "(or set CHROMIUM_PATH to an existing Chromium/Chrome binary)" >&2
  [ -x "$CHROMIUM" ] || exit 1
fi
