/**
 * Jest environment for tests that run ONNX models through @xenova/transformers
 * (onnxruntime-node).
 *
 * Jest runs each test file in its own vm context with its own typed-array
 * constructors, but onnxruntime-node's native binding returns output tensors
 * as typed arrays of the main realm, and onnxruntime-common (loaded inside the
 * context) rejects them: "A float32 tensor's data must be type of function
 * Float32Array()". Sharing the main realm's typed-array constructors with the
 * context (Jest already does so for Uint8Array/ArrayBuffer) fixes this.
 *
 * Use per file with a docblock at the very top of the test:
 *   @jest-environment ./scripts/model/jest-onnx-environment.cjs
 * or for all tests with `testEnvironment` in jest.config.cjs.
 */
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
  'ArrayBuffer',
  'DataView',
];

class OnnxEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxEnvironment;
