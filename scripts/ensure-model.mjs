// Run before `npm start`: provisions the encoder when missing. A failure is not fatal:
// the service then starts on the lexical classifier and says so in its logs and /readyz.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const modelDir = process.env.MODEL_DIR || path.join(root, 'models', 'multilingual-e5-small');
const isHubId = process.env.MODEL_DIR && !process.env.MODEL_DIR.startsWith('/') && !process.env.MODEL_DIR.startsWith('.') && process.env.MODEL_DIR.includes('/') && !existsSync(process.env.MODEL_DIR);

if (process.env.NLU_MODE === 'lexical' || isHubId || existsSync(path.join(modelDir, 'onnx', 'model_quantized.onnx'))) {
  process.exit(0);
}
console.error(`[model:ensure] encoder not found in ${modelDir}; provisioning it (npm run model:fetch)`);
const result = spawnSync('bash', [path.join(root, 'scripts', 'model', 'fetch.sh')], { stdio: 'inherit', env: process.env });
if (result.status !== 0) {
  console.error('[model:ensure] could not provision the encoder; the service will start in degraded lexical mode');
}
process.exit(0);
