// After tsc: copy static web assets (folders named `public` under src/ and channels/) into dist/,
// so compiled modules find them next to themselves exactly as the TypeScript sources do.
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function copyPublic(dir) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (!statSync(full).isDirectory()) continue;
    if (name === 'public') {
      const target = path.join(root, 'dist', path.relative(root, full));
      cpSync(full, target, { recursive: true });
    } else copyPublic(full);
  }
}

for (const top of ['src', 'channels']) if (existsSync(path.join(root, top))) copyPublic(path.join(root, top));
