/** Shared set-up of tests that need the real encoder: provisions it once if missing (idempotent). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const MODEL_DIR = path.resolve(
  ROOT,
  process.env.MODEL_DIR ?? path.join('models', 'multilingual-e5-small'),
);

/** Runs scripts/model/fetch.sh when the int8 model is not there yet (first run on a fresh clone). */
export function ensureModel(): void {
  if (fs.existsSync(path.join(MODEL_DIR, 'onnx', 'model_quantized.onnx'))) return;
  execFileSync('bash', [path.join(ROOT, 'scripts', 'model', 'fetch.sh')], {
    cwd: ROOT,
    env: { ...process.env, MODEL_DIR },
    stdio: 'inherit',
  });
}
