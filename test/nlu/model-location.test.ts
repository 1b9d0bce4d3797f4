import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isHubId, ModelUnavailableError, resolveModel } from '../../src/nlu/model-location';

describe('model location (MODEL_DIR)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-dir-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('takes owner/name that is not a local folder as a hub model id', () => {
    expect(isHubId('Xenova/multilingual-e5-small')).toBe(true);
    const hub = resolveModel('Xenova/multilingual-e5-small');
    expect(hub).toMatchObject({ kind: 'hub', modelId: 'Xenova/multilingual-e5-small', quantized: true });
    expect(isHubId('./models/multilingual-e5-small')).toBe(false);
    expect(isHubId('/opt/models/e5')).toBe(false);
    expect(isHubId(dir)).toBe(false);
  });

  it('refuses an empty folder, naming what is missing', () => {
    expect(() => resolveModel(dir)).toThrow(ModelUnavailableError);
    expect(() => resolveModel(dir)).toThrow(/config\.json.*tokenizer\.json.*onnx\/model_quantized\.onnx/);
  });

  it('accepts a prepared folder (air-gapped install) and fingerprints it from its provenance record', () => {
    fs.mkdirSync(path.join(dir, 'onnx'));
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'])
      fs.writeFileSync(path.join(dir, f), '{}');
    const plain = resolveModel(dir);
    expect(plain).toMatchObject({
      kind: 'folder',
      localModelPath: path.dirname(dir),
      modelId: path.basename(dir),
      quantized: true,
    });
    fs.writeFileSync(
      path.join(dir, 'PROVENANCE.json'),
      JSON.stringify({ files: { 'onnx/model_quantized.onnx': { sha256: 'a'.repeat(64) } } }),
    );
    const recorded = resolveModel(dir);
    expect(recorded.fingerprint).not.toBe(plain.fingerprint);
    expect(resolveModel(dir).fingerprint).toBe(recorded.fingerprint);
    expect(() => resolveModel(dir, { quantized: false })).toThrow(/onnx\/model\.onnx/);
  });
});
