/**
 * Degraded mode: MODEL_DIR points at an empty folder. The service still starts, answers from the
 * lexical classifier, says so in /readyz, and offers a counselor after the first miss instead of
 * the second.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Service } from '../../src/main';
import { AppClient, startService } from '../support/service';

describe('NLU degraded mode (no model)', () => {
  let service: Service;
  let emptyModelDir: string;

  beforeAll(async () => {
    emptyModelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-model-'));
    service = await startService({ NLU_MODE: 'auto', MODEL_DIR: emptyModelDir });
    // The same promise the service started with: settles once the load attempt has failed.
    await service.nlu.start({ modelDir: emptyModelDir });
    // /readyz also waits for the NLU warm-up (which may wait for the FAQ index): this test reads it.
    await service.warmedUp;
  });
  afterAll(async () => {
    await service.close();
    fs.rmSync(emptyModelDir, { recursive: true, force: true });
  });

  it('reports the lexical fallback and why in /readyz, and stays ready', async () => {
    const res = await fetch(`${service.url}/readyz`);
    const body = (await res.json()) as { checks: { nlu: Record<string, unknown> } };
    expect(res.status).toBe(200);
    expect(body.checks.nlu).toMatchObject({
      ok: true,
      mode: 'lexical',
      degraded: true,
      loading: false,
      model: 'lexical-tfidf',
    });
    expect(String(body.checks.nlu.reason)).toMatch(/lacks .*model_quantized\.onnx/);
    expect(service.nlu.embedder()).toBeUndefined();
    expect(await service.nlu.embedderReady()).toBeUndefined();
  });

  it('still understands clear requests lexically', async () => {
    const app = new AppClient(service.url);
    await app.start();
    await app.say('상담사 연결해 주세요');
    await app.nextReply();
    expect(await service.store.conversations.get(app.conversationId)).toMatchObject({ state: 'queued' });
  });

  it('offers a counselor after the first miss', async () => {
    const app = new AppClient(service.url);
    await app.start();
    await app.say('qwpoeiru zxcmvn');
    const reply = await app.nextReply();
    expect(reply.quickReplies?.map((q) => q.payload)).toContain('intent:counselor_request');
  });
});
