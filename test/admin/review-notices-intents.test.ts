/**
 * Notices on answers, the unanswered review (collected with counts, turned into an FAQ entry or an
 * intent example in one step), not-helpful feedback, and intent-example editing with hot reload.
 * Intent edits write files, so the service runs on a temporary copy of intents/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Service } from '../../src/main';
import { startService } from '../support/service';
import { admin, ADMIN_TOKEN, payloadsOf, Resident, textOf } from '../knowledge/kb-test-kit';

interface Item {
  id: string;
  text: string;
  count: number;
  status: string;
  reasons: Record<string, number>;
  lastFaqId?: string;
}

describe('notices, unanswered review and intent examples', () => {
  let service: Service;
  let intentsDir: string;

  beforeAll(async () => {
    intentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dajeong-intents-'));
    fs.cpSync(path.join(__dirname, '..', '..', 'intents'), intentsDir, { recursive: true });
    service = await startService({ ADMIN_TOKEN, INTENTS_DIR: intentsDir });
  });
  afterAll(async () => {
    await service.close();
    fs.rmSync(intentsDir, { recursive: true, force: true });
  });

  it('adds an active notice to answers on its intent until it expires, and lists it for counselors', async () => {
    const invalid = await admin<{ error: { fields: { field: string }[] } }>(service, 'POST', '/notices', {
      title: { ko: '버스 파업' },
      body: { ko: '일부 노선 운행 중단', en: 'Some routes suspended' },
      intents: ['transport_schedule'],
      startsAt: '2026-11-27T10:00:00Z',
      endsAt: '2026-11-27T09:00:00Z',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fields.map((f) => f.field)).toEqual(
      expect.arrayContaining(['title.en', 'endsAt']),
    );

    const created = await admin<{ id: string }>(service, 'POST', '/notices', {
      title: { ko: '오늘 시내버스 부분 파업', en: 'Partial city bus strike today' },
      body: {
        ko: '일부 노선이 운행하지 않습니다. 운행 여부는 경기버스정보에서 확인하세요.',
        en: 'Some routes are not running; check Gyeonggi Bus Info.',
      },
      intents: ['transport_schedule'],
      severity: 'warning',
      region: '수원시',
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(created.status).toBe(201);
    const listed = await admin<{ items: { id: string }[] }>(service, 'GET', '/notices?active=true');
    expect(listed.body.items.map((n) => n.id)).toContain(created.body.id);

    const resident = await new Resident(service).start();
    expect(textOf(await resident.say('버스 첫차 몇 시에 있어요?'))).toContain('오늘 시내버스 부분 파업');
    expect(textOf(await resident.say('음식물 쓰레기는 어떻게 버려요?'))).not.toContain('파업');
    const english = await new Resident(service).start('en-US');
    expect(textOf(await english.say('What time is the first bus?'))).toContain(
      'Partial city bus strike today',
    );

    const expired = await admin(service, 'PATCH', `/notices/${created.body.id}`, {
      startsAt: new Date(Date.now() - 7_200_000).toISOString(),
      endsAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(expired.status).toBe(200);
    expect(textOf(await resident.say('버스 첫차 몇 시에 있어요?'))).not.toContain('파업');
    expect(
      (await admin<{ items: unknown[] }>(service, 'GET', '/notices?active=true')).body.items,
    ).toHaveLength(0);
  });

  it('collects unanswered messages with counts and turns one into an FAQ entry in one step', async () => {
    const question = '반려견 등록은 어디서 해요?';
    for (const deviceLocale of ['ko-KR', 'ko-KR']) {
      const resident = await new Resident(service).start(deviceLocale);
      await resident.say(question);
    }
    const open = await admin<{ items: Item[] }>(service, 'GET', '/unanswered');
    const item = open.body.items.find((i) => i.text === question);
    expect(item).toMatchObject({ count: 2, status: 'open', reasons: { low_confidence: 2 } });

    const turned = await admin<{
      faq: { entry: { id: string; questions: Record<string, string[]> } };
      unanswered: Item;
    }>(service, 'POST', `/unanswered/${item!.id}/faq`, {
      entry: {
        id: 'test-dog-registration',
        intent: 'civil_documents',
        topic: 'animals',
        questions: { en: ['Where do I register my dog?'] },
        answer: {
          ko: '반려견 등록은 시·군·구청이나 등록 대행 동물병원에서 할 수 있습니다. 자세한 내용은 동물보호관리시스템(animal.go.kr)을 확인해 주세요.',
          en: 'Dogs are registered at the city, county or district office or at a registration agent such as an animal hospital; see animal.go.kr.',
        },
        links: [{ title: '동물보호관리시스템', url: 'https://www.animal.go.kr' }],
        source: 'Animal Protection Management System (animal.go.kr)',
        updatedAt: '2026-11-27',
      },
    });
    expect(turned.status).toBe(201);
    expect(turned.body.faq.entry.questions.ko).toContain(question);
    expect(turned.body.unanswered).toMatchObject({
      status: 'resolved',
      resolution: { kind: 'faq', target: 'test-dog-registration' },
    });

    const resident = await new Resident(service).start();
    expect(textOf(await resident.say(question))).toContain('animal.go.kr');
    expect(
      (await admin<{ items: Item[] }>(service, 'GET', '/unanswered')).body.items.map((i) => i.text),
    ).not.toContain(question);
  });

  it('records "this did not help" against the answer it was given for', async () => {
    const resident = await new Resident(service).start();
    const question = '대형 폐기물은 어떻게 버려요?';
    const answer = await resident.say(question);
    const feedback = payloadsOf(answer).find((p) => p.startsWith('faq:unhelpful:'))!;
    const sorry = await resident.press(feedback);
    expect(textOf(sorry)).toMatch(/죄송해요/);
    expect(payloadsOf(sorry)).toContain('intent:counselor_request');
    const items = (await admin<{ items: Item[] }>(service, 'GET', '/unanswered')).body.items;
    expect(items.find((i) => i.text === question)).toMatchObject({
      reasons: { not_helpful: 1 },
      lastFaqId: feedback.slice('faq:unhelpful:'.length),
    });
  });

  it('edits intent examples with validation and history, reloading the classifier without a restart', async () => {
    const text = '길고양이 급식소 설치 문의드려요';
    const resident = await new Resident(service).start();
    await resident.say(text);
    const item = (await admin<{ items: Item[] }>(service, 'GET', '/unanswered')).body.items.find(
      (i) => i.text === text,
    )!;
    expect(item).toBeDefined();

    const bad = await admin<{ error: { fields: { field: string }[] } }>(
      service,
      'POST',
      `/unanswered/${item.id}/intent-example`,
      { intent: 'no_such_intent' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f) => f.field)).toContain('intent');

    const turned = await admin(service, 'POST', `/unanswered/${item.id}/intent-example`, {
      intent: 'noise_complaint',
    });
    expect(turned.status).toBe(201);
    const file = JSON.parse(fs.readFileSync(path.join(intentsDir, 'noise_complaint.json'), 'utf8')) as {
      examples: Record<string, string[]>;
    };
    expect(file.examples.ko).toContain(text);
    expect((await service.nlu.classifier().classify(text, 'ko')).intent).toBe('noise_complaint');
    const history = await admin<{ versions: { actor: string; note?: string }[] }>(
      service,
      'GET',
      '/intents/noise_complaint/history',
    );
    expect(history.body.versions.map((v) => v.actor)).toEqual(['seed', 'admin-token']);

    const invalid = await admin<{ error: { fields: { field: string }[] } }>(
      service,
      'PUT',
      '/intents/noise_complaint',
      { examples: { korean: ['x'] } },
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fields.length).toBeGreaterThan(0);
    const removed = await admin(
      service,
      'DELETE',
      `/intents/noise_complaint/examples?language=ko&text=${encodeURIComponent(text)}`,
    );
    expect(removed.status).toBe(200);
    expect(
      (
        JSON.parse(fs.readFileSync(path.join(intentsDir, 'noise_complaint.json'), 'utf8')) as {
          examples: Record<string, string[]>;
        }
      ).examples.ko,
    ).not.toContain(text);

    const csv = await admin(service, 'GET', '/intents/export?format=csv');
    expect(csv.text.split('\n')[0]).toBe('intent,language,text');
    const imported = await admin<{ added: number }>(
      service,
      'POST',
      '/intents/import',
      'intent,language,text\nwaste_collection,ko,폐목재는 어떻게 버리나요\n',
    );
    expect(imported.body).toEqual({ added: 1 });
    const rejected = await admin<{ error: { fields: { field: string }[] } }>(
      service,
      'POST',
      '/intents/import',
      'intent,language,text\nnot_an_intent,ko,무엇\n',
    );
    expect(rejected.status).toBe(400);
    expect(rejected.body.error.fields.map((f) => f.field)).toContain('[0].intent');
  }, 120_000); // two hot reloads: the classifier retrains and the FAQ retriever re-tunes each time
});
