/**
 * The whole service with the real encoder: it loads eagerly in the background, /readyz reports the
 * transformer once ready, and residents' Korean and English messages are answered from it.
 */
import fs from 'node:fs';
import type { Service } from '../../src/main';
import { AppClient, startService } from '../support/service';
import { ensureModel, MODEL_DIR } from './model-fixture';

jest.setTimeout(600_000);

describe('service with the transformer classifier', () => {
  let service: Service;
  beforeAll(async () => {
    ensureModel();
    service = await startService({ NLU_MODE: 'auto', MODEL_DIR });
    await service.nlu.start({ modelDir: MODEL_DIR });
  });
  afterAll(async () => {
    await service.close();
  });

  it('says in /readyz that the transformer is loaded', async () => {
    const body = (await (await fetch(`${service.url}/readyz`)).json()) as {
      checks: { nlu: Record<string, unknown> };
    };
    expect(body.checks.nlu).toMatchObject({
      ok: true,
      mode: 'transformer',
      degraded: false,
      loading: false,
      model: 'multilingual-e5-small',
    });
    expect(fs.existsSync(MODEL_DIR)).toBe(true);
  });

  it.each([
    ['ko-KR', '집 근처 공원 가로등이 며칠째 꺼져 있어요', 'facility_fault_report', 'ko', /가로등|시설/],
    [
      'en-US',
      'Someone has been parking in front of the fire hydrant all week',
      'illegal_parking_report',
      'en',
      /parking/i,
    ],
  ])('answers a %s resident from the transformer (%s)', async (locale, text, intent, language, topic) => {
    const classification = await service.nlu.classifier().classify(text);
    expect(classification).toMatchObject({ intent, model: 'multilingual-e5-small' });
    const app = new AppClient(service.url);
    await app.start({ deviceId: `d-${intent}`, locale });
    await app.say(text);
    // The intent's own answer or the flow it starts: either way about the topic, in the language.
    const reply = await app.nextReply();
    expect(reply.text).toMatch(topic);
    expect(await service.store.conversations.get(app.conversationId)).toMatchObject({ language });
  });
});
