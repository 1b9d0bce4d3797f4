/**
 * Acceptance: editing an FAQ entry through the admin API changes the bot's next answer without a
 * restart; invalid entries get 400 with field errors. Also: auth, version history and revert,
 * optimistic concurrency, create/delete, JSON and CSV export/import (all-or-nothing).
 */
import { parse } from 'csv-parse/sync';
import type { Service } from '../../src/main';
import { startService } from '../support/service';
import { admin, ADMIN_TOKEN, payloadsOf, Resident, textOf } from '../knowledge/kb-test-kit';

interface Versioned {
  entry: { id: string; answer: Record<string, string>; questions: Record<string, string[]> } & Record<
    string,
    unknown
  >;
  version: number;
}
interface Fields {
  error: { code: string; message: string; fields: { field: string; message: string }[] };
}

describe('FAQ admin API', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService({ ADMIN_TOKEN });
  });
  afterAll(async () => {
    await service.close();
  });

  it('refuses calls without the admin token', async () => {
    const none = await admin(service, 'GET', '/faq', undefined, { token: null });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: { code: 'unauthorized' } });
    expect(
      (await admin(service, 'GET', '/faq', undefined, { token: 'wrong-token-wrong-token' })).status,
    ).toBe(401);
  });

  it('changes the next answer when an entry is edited, keeps history, and reverts', async () => {
    const resident = await new Resident(service).start();
    const question = '음식물 쓰레기는 어떻게 버려요?';
    const before = await resident.say(question);
    const answered = payloadsOf(before)
      .find((p) => p.startsWith('faq:unhelpful:'))!
      .slice('faq:unhelpful:'.length);
    const current = await admin<Versioned>(service, 'GET', `/faq/${answered}`);
    expect(current.status).toBe(200);
    expect(textOf(before)).toContain(current.body.entry.answer.ko!.slice(0, 20));

    const marker = '이 답변은 관리자 화면에서 방금 고쳤습니다.';
    const edited = {
      ...current.body.entry,
      answer: { ...current.body.entry.answer, ko: `${marker} ${current.body.entry.answer.ko}` },
    };
    const put = await admin<Versioned>(
      service,
      'PUT',
      `/faq/${answered}?expectedVersion=${current.body.version}`,
      edited,
    );
    expect(put.status).toBe(200);
    expect(put.body.version).toBe(current.body.version + 1);

    const after = await resident.say(question);
    expect(textOf(after)).toContain(marker);

    // A stale editor does not overwrite the change.
    const stale = await admin(
      service,
      'PUT',
      `/faq/${answered}?expectedVersion=${current.body.version}`,
      current.body.entry,
    );
    expect(stale.status).toBe(409);

    const history = await admin<{ versions: { version: number; actor: string }[] }>(
      service,
      'GET',
      `/faq/${answered}/history`,
    );
    expect(history.body.versions.map((v) => v.actor)).toEqual(['seed', 'admin-token']);
    const reverted = await admin<Versioned>(service, 'POST', `/faq/${answered}/revert`, { version: 1 });
    expect(reverted.status).toBe(200);
    expect(reverted.body.entry.answer.ko).toBe(current.body.entry.answer.ko);
    expect(textOf(await resident.say(question))).not.toContain(marker);
  });

  it('rejects invalid entries with 400 and field errors, saving nothing', async () => {
    const bad = {
      id: 'Bad Id!',
      intent: 'weather_forecast',
      topic: 'x',
      questions: { ko: ['질문'] },
      answer: { ko: '한국어 답변입니다.' },
      links: [{ title: '링크', url: 'not-a-url' }],
      source: 'test',
      updatedAt: '2026-13-45',
    };
    const res = await admin<Fields>(service, 'POST', '/faq', bad);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation');
    const fields = res.body.error.fields.map((f) => f.field);
    expect(fields).toEqual(
      expect.arrayContaining(['id', 'intent', 'questions.en', 'answer.en', 'links[0].url', 'updatedAt']),
    );
    for (const f of res.body.error.fields) expect(f.message.length).toBeGreaterThan(0);

    const missing = await admin<Fields>(service, 'PUT', '/faq/does-not-exist', {
      ...bad,
      id: 'does-not-exist',
    });
    expect(missing.status).toBe(400);
    expect((await admin(service, 'GET', '/faq/bad-id')).status).toBe(404);
  });

  it('creates an entry that answers at once, answers a language it lacks in Korean with a note, and deletes it', async () => {
    const entry = {
      id: 'test-animal-adoption',
      intent: 'welfare_benefits',
      topic: 'animals',
      questions: {
        ko: ['유기견 입양은 어디서 신청하나요?', '유기동물 입양하고 싶어요'],
        en: ['How can I adopt an abandoned dog?'],
        ja: ['保護犬を引き取るにはどうすればいいですか？'],
      },
      answer: {
        ko: '유기동물 입양은 각 시·군 동물보호센터와 동물보호관리시스템(animal.go.kr)에서 안내합니다.',
        en: 'Adoption of abandoned animals is handled by each city or county animal shelter and the Animal Protection Management System (animal.go.kr).',
      },
      links: [{ title: '동물보호관리시스템', url: 'https://www.animal.go.kr' }],
      source: 'Animal Protection Management System (animal.go.kr)',
      updatedAt: '2026-11-27',
    };
    const created = await admin<Versioned>(service, 'POST', '/faq', entry);
    expect(created.status).toBe(201);
    expect((await admin(service, 'POST', '/faq', entry)).status).toBe(409);

    const korean = await new Resident(service).start();
    expect(textOf(await korean.say('유기견 입양은 어디서 신청하나요?'))).toContain('animal.go.kr');

    const japanese = await new Resident(service).start('ja-JP');
    const ja = textOf(await japanese.say('保護犬を引き取るにはどうすればいいですか？'));
    // Japanese has no whole set of resident texts: the English answer, said once in Japanese.
    expect(ja).toContain(entry.answer.en);
    expect(ja).toContain('英語でお答えします');

    expect((await admin(service, 'DELETE', `/faq/${entry.id}`)).status).toBe(204);
    expect((await admin(service, 'GET', `/faq/${entry.id}`)).status).toBe(404);
    const gone = await new Resident(service).start();
    expect(textOf(await gone.say('유기견 입양은 어디서 신청하나요?'))).not.toContain('animal.go.kr');
  });

  it('exports JSON and CSV, re-imports CSV unchanged, and rejects a bad import as a whole', async () => {
    const json = await admin<{ id: string }[]>(service, 'GET', '/faq/export?format=json');
    expect(json.status).toBe(200);
    expect(json.body.length).toBeGreaterThanOrEqual(80);

    const csv = await admin(service, 'GET', '/faq/export?format=csv');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(json.body.length);
    expect(rows[0]).toHaveProperty('answer_ko');

    const again = await admin<{ created: number; updated: number; unchanged: number }>(
      service,
      'POST',
      '/faq/import',
      csv.text,
    );
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: json.body.length });

    const first = (await admin<Versioned>(service, 'GET', `/faq/${json.body[0]!.id}`)).body;
    const changed = { ...first.entry, answer: { ...first.entry.answer, ko: '가져오기로 바꾼 답변입니다.' } };
    const rejected = await admin<Fields>(service, 'POST', '/faq/import', [
      changed,
      { ...first.entry, id: 'another-entry', answer: { ko: '짧' } },
    ]);
    expect(rejected.status).toBe(400);
    expect(rejected.body.error.fields.map((f) => f.field)).toEqual(
      expect.arrayContaining(['[1].answer.ko', '[1].answer.en']),
    );
    expect((await admin<Versioned>(service, 'GET', `/faq/${first.entry.id}`)).body.entry.answer.ko).toBe(
      first.entry.answer.ko,
    );

    const applied = await admin<{ updated: number }>(service, 'POST', '/faq/import', [changed]);
    expect(applied.body.updated).toBe(1);
    expect((await admin<Versioned>(service, 'GET', `/faq/${first.entry.id}`)).body.entry.answer.ko).toBe(
      '가져오기로 바꾼 답변입니다.',
    );
  });

  it('is off (503) when no admin token is configured', async () => {
    const off = await startService({});
    try {
      const res = await admin(off, 'GET', '/faq');
      expect(res.status).toBe(503);
    } finally {
      await off.close();
    }
  });
});
