/** Compact, exact text encoding of float arrays for saved models (base64 of little-endian float32). */
import os from 'node:os';

/** Saved floats are little-endian; on such a host bytes are copied as they are (saved models load in ms). */
const LITTLE_ENDIAN = os.endianness() === 'LE';

export function encodeFloats(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

export function decodeFloats(text: string): Float32Array {
  return floatsFromBytes(Buffer.from(text, 'base64'));
}

/** Little-endian float32 bytes as a Float32Array of its own (aligned, not sharing `bytes`). */
export function floatsFromBytes(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(Math.floor(bytes.length / 4));
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes.subarray(0, out.length * 4));
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
