/** Privacy requests through the admin API: export then delete one resident, both audited. */
import type { Service } from '../../src/main';
import { AppClient, startService } from '../support/service';
import { admin, ADMIN_TOKEN } from '../knowledge/kb-test-kit';

describe('privacy requests (admin API)', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService({ ADMIN_TOKEN });
  });
  afterAll(async () => {
    await service.close();
  });

  it('exports then deletes everything about a resident, keeping only the audit entries', async () => {
    const app = new AppClient(service.url);
    await app.start();
    await app.say('제 번호는 010-1234-5678이고 수원시 팔달구에 살아요. 버스 첫차 몇 시예요?');
    await app.nextReply();

    const exported = await admin<{ resident: { id: string }; messages: { content: { text?: string } }[] }>(
      service,
      'GET',
      `/residents/${app.residentId}/export`,
    );
    expect(exported.status).toBe(200);
    expect(exported.body.resident.id).toBe(app.residentId);
    expect(exported.body.messages.some((m) => m.content.text?.includes('010-1234-5678'))).toBe(true);

    const deleted = await admin<{ conversations: number; messages: number }>(service, 'DELETE', `/residents/${app.residentId}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.conversations).toBeGreaterThanOrEqual(1);
    expect(deleted.body.messages).toBeGreaterThanOrEqual(2);

    expect((await admin(service, 'GET', `/residents/${app.residentId}/export`)).status).toBe(404);
    expect(await service.store.messages.listByResident(app.residentId)).toEqual([]);
    // The resident's token no longer opens anything.
    expect((await fetch(`${service.url}/api/app/v1/messages`, { headers: { authorization: `Bearer ${app.token}` } })).status).toBe(401);
    const audit = await service.store.audit.list({ subject: app.residentId });
    expect(audit.map((e) => e.action)).toEqual(['privacy.export', 'privacy.delete']);
    expect(JSON.stringify(audit)).not.toContain('010-1234-5678');
  });

  it('refuses privacy requests without the admin token', async () => {
    expect((await admin(service, 'DELETE', '/residents/anyone', undefined, { token: null })).status).toBe(401);
  });
});
