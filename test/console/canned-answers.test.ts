/**
 * Canned answers for counselors come from the same versioned FAQ the bot answers from: an FAQ
 * edit, a new entry and a deletion through the admin API reach the console without a restart.
 */
import type { Service } from '../../src/main';
import { admin, ADMIN_TOKEN } from '../knowledge/kb-test-kit';
import { startService } from '../support/service';
import { createStaff, type ConsoleClient } from './console-client';

interface Canned {
  id: string;
  title: string;
  text: string;
  language: string;
}
interface Versioned {
  entry: { id: string; answer: Record<string, string> } & Record<string, unknown>;
  version: number;
}

const ADMIN = { login: 'canned-admin', password: 'canned-admin-password' };

describe('canned answers follow FAQ edits', () => {
  let service: Service;
  let counselor: ConsoleClient;
  const canned = async (q: string) => (await counselor.get<{ items: Canned[] }>(`/canned?q=${encodeURIComponent(q)}&lang=ko`)).body.items;

  beforeAll(async () => {
    service = await startService({ ADMIN_TOKEN, ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, ROUTING: 'manual' });
    counselor = (await createStaff(service.url, ADMIN, [{ login: 'canned-kim', role: 'counselor' }]))['canned-kim']!;
  });
  afterAll(async () => {
    await service.close();
  });

  it('shows an edited answer, a new entry, and no longer a deleted one', async () => {
    const [first] = await canned('음식물 쓰레기 배출');
    expect(first).toBeDefined();
    const current = await admin<Versioned>(service, 'GET', `/faq/${first!.id}`);
    expect(first!.text).toBe(current.body.entry.answer.ko);

    const marker = '상담사 화면에도 바로 보여야 하는 새 안내입니다.';
    const put = await admin(service, 'PUT', `/faq/${first!.id}?expectedVersion=${current.body.version}`, {
      ...current.body.entry,
      answer: { ...current.body.entry.answer, ko: `${marker} ${current.body.entry.answer.ko}` },
    });
    expect(put.status).toBe(200);
    const edited = (await canned('음식물 쓰레기 배출')).find((c) => c.id === first!.id);
    expect(edited?.text.startsWith(marker)).toBe(true);

    const created = await admin(service, 'POST', '/faq', {
      ...current.body.entry,
      id: 'canned-test-streetcat-feeding',
      questions: { ko: ['길고양이 급식소는 어디에 신청하나요?'], en: ['Where do I apply for a street cat feeding station?'] },
      answer: {
        ko: '길고양이 급식소 설치는 시군 동물보호 부서에 신청하세요.',
        en: 'Apply to the animal protection office of your city or county.',
      },
    });
    expect(created).toMatchObject({ status: 201 });
    const found = await canned('길고양이 급식소');
    expect(found[0]).toMatchObject({ id: 'canned-test-streetcat-feeding', title: '길고양이 급식소는 어디에 신청하나요?' });

    const removed = await admin(service, 'DELETE', '/faq/canned-test-streetcat-feeding?expectedVersion=1');
    expect(removed.status).toBe(204);
    expect((await canned('길고양이 급식소')).map((c) => c.id)).not.toContain('canned-test-streetcat-feeding');
    // Three FAQ edits, each re-indexing the FAQ: minutes on a loaded 2-core machine.
  }, 400_000);
});
