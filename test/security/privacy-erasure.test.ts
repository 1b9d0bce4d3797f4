/**
 * Privacy deletion leaves no text behind (issue 12): a resident's unanswered question (kept for
 * staff review) is masked when recorded, exported with the resident, and deleted with them.
 * Before, the review list kept their name, a +82 phone number and a spaced registration number.
 */
import type { Service } from '../../src/main';
import { admin, ADMIN_TOKEN } from '../knowledge/kb-test-kit';
import { waitUntil } from '../channels/channel-test-kit';
import { AppClient, startService } from '../support/service';

interface ReviewItem {
  id: string;
  text: string;
  count: number;
}

describe('privacy deletion and the unanswered-question review list', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService({ ADMIN_TOKEN });
  });
  afterAll(async () => {
    await service?.close();
  });

  const review = async () => (await admin<{ items: ReviewItem[] }>(service, 'GET', '/unanswered?limit=200')).body.items;

  it('masks the question, exports it with the resident and deletes it with them', async () => {
    const app = new AppClient(service.url);
    await app.start();
    const question = '김민지예요 +82 10-9876-5432 주민번호 900101 - 1234567 뷁뀱쀍 뙇뙇 어떻게 하죠';
    await app.say(question);
    await app.nextReply();
    const item = await waitUntil(async () => (await review()).find((i) => i.text.includes('김민지')), 'the question in the review list');
    expect(item.text).not.toContain('9876-5432');
    expect(item.text).not.toContain('1234567');

    const exported = await admin<{ unanswered: { id: string; askedByResident: number }[] }>(service, 'GET', `/residents/${app.residentId}/export`);
    expect(exported.body.unanswered).toEqual([expect.objectContaining({ id: item.id, askedByResident: 1 })]);

    const deleted = await admin<{ unanswered: number }>(service, 'DELETE', `/residents/${app.residentId}`);
    expect(deleted).toMatchObject({ status: 200, body: { unanswered: 1 } });
    expect((await review()).some((i) => i.text.includes('김민지'))).toBe(false);
  });

  it('keeps a question other residents asked too, without the deleted resident’s occurrence', async () => {
    const [a, b] = [new AppClient(service.url), new AppClient(service.url)];
    await a.start();
    await b.start();
    const shared = '뷁뀱쀍 쀍뙇 공유 질문 어떻게';
    for (const who of [a, b]) {
      await who.say(shared);
      await who.nextReply();
    }
    const item = await waitUntil(async () => (await review()).find((i) => i.text.includes('공유 질문') && i.count === 2), 'both occurrences');
    await admin(service, 'DELETE', `/residents/${a.residentId}`);
    expect((await review()).find((i) => i.id === item.id)).toMatchObject({ count: 1 });
  });
});
