#!/usr/bin/env bash
# Provisions Kiwi (Korean morphological analyser) for bench/kb-tokenizer.ts only; the service does not
# use it. Kiwi's WebAssembly build (npm kiwi-nlp) ships without model files; the same release's
# model files come from PyPI kiwipiepy-model. Both go under .cache/kiwi (not node_modules or
# package.json), pinned to one version so the wasm and the model format match. Idempotent; offline
# it reuses what is cached and fails with a message when nothing is.
set -euo pipefail
VERSION="${KIWI_VERSION:-0.23.0}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DEST="$ROOT/.cache/kiwi"
mkdir -p "$DEST"
if [ ! -f "$DEST/node_modules/kiwi-nlp/dist/kiwi-wasm.wasm" ]; then
  npm install --prefix "$DEST" --no-audit --no-fund --no-save "kiwi-nlp@$VERSION" >/dev/null ||
    { echo "kiwi: npm install kiwi-nlp@$VERSION failed (offline?)" >&2; exit 1; }
fi
MODEL="$DEST/model-$VERSION"
if [ ! -f "$MODEL/sj.morph" ]; then
  tmp="$(mktemp -d)"
  python3 -m pip download --quiet --no-deps "kiwipiepy-model==$VERSION" -d "$tmp" ||
    { echo "kiwi: pip download kiwipiepy-model==$VERSION failed (offline?)" >&2; exit 1; }
  mkdir -p "$MODEL"
  tar -xzf "$tmp"/kiwipiepy_model-*.tar.gz -C "$tmp"
  find "$tmp" -path '*/kiwipiepy_model/*' -type f ! -name '*.py' -exec cp {} "$MODEL/" \;
  rm -rf "$tmp"
fi
echo "kiwi $VERSION: $DEST/node_modules/kiwi-nlp, model $MODEL"
