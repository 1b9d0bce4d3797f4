/**
 * Interpreters in the chat, end to end in real headless Chromium: a Vietnamese resident (app API)
 * is queued and accepted by a Korean counselor in the console; the counselor invites a vi
 * interpreter from the chat pane; the interpreter signs in (a second browser context), sees only
 * that chat, joins, writes once to the resident and once to the counselor, and leaves. The
 * resident gets the first message (with the interpreter's name) and never the second, and the
 * join and leave notices in Vietnamese; the counselor's page shows both messages; the supervisor's
 * audit API shows the join and the leave. axe-core finds no serious or critical violation.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Service } from '../../src/main';
import { seriousViolations } from '../support/axe';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/browser';
import { AppClient, startService, type AppMessage } from '../support/service';
import { createStaff, eventually, type ConsoleClient } from './console-client';
import { signInToConsole } from './console-sign-in';

const ADMIN = { login: 'admin', password: 'admin-password-1' };

jest.setTimeout(120_000);

describe('an interpreter in a chat (Chromium)', () => {
  let service: Service;
  let browser: Browser;
  let staff: Record<string, ConsoleClient>;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    service = await startService({ ROUTING: 'manual', ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '1000' });
    staff = await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor', displayName: '김상담', languages: ['ko'] },
      { login: 'boss', role: 'supervisor', languages: ['ko'] },
      { login: 'lan', role: 'interpreter', displayName: 'Lan', languages: ['vi', 'ko'] },
      { login: 'wei', role: 'interpreter', displayName: 'Wei', languages: ['zh', 'ko'] },
    ]);
    // Both interpreters are on standby; only Lan speaks Vietnamese.
    for (const login of ['lan', 'wei']) expect((await staff[login]!.post('/presence', { status: 'available' })).status).toBe(200);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  const signIn = (login: string): Promise<Page> => signInToConsole(browser, service.url, login, pageErrors);

  it('invites, joins, interprets both ways and leaves; the resident sees it in Vietnamese and the audit has it', async () => {
    // Another resident's chat, which the interpreter must never see.
    const other = new AppClient(service.url);
    await other.start({ deviceId: 'interp-other', locale: 'ko-KR' });
    await other.say('상담원 연결해 주세요');

    const resident = new AppClient(service.url);
    await resident.start({ deviceId: 'interp-vi', locale: 'vi-VN' });
    await resident.say('Tôi muốn nói chuyện với tư vấn viên');
    const id = resident.conversationId;
    await eventually(async () => (await service.store.conversations.get(id))?.state === 'queued', 10_000, 'queued');
    const seen: AppMessage[] = [];
    const poll = async () => seen.push(...(await resident.poll(1)));
    const received = (match: (m: AppMessage) => boolean, what: string) =>
      eventually(async () => {
        await poll();
        return seen.find(match);
      }, 15_000, what);

    // The Korean counselor accepts the chat from the queue and sees the Vietnamese interpreter on standby.
    const kim = await signIn('kim');
    await kim.locator(`[data-testid=queue-row][data-conversation-id="${id}"] [data-testid=accept]`).click();
    await kim.waitForFunction((cid) => document.querySelector('#transcript')?.getAttribute('data-conversation-id') === cid, id);
    const poolRow = kim.locator('[data-testid=pool-language][data-language=vi]');
    await poolRow.waitFor();
    expect(await poolRow.textContent()).toContain('Lan');
    await kim.waitForFunction(() => Array.from(document.querySelectorAll('#interpreter-target option')).some((o) => o.textContent?.includes('Lan')));
    // Only interpreters for the chat's language are offered.
    expect(await kim.locator('#interpreter-target option').allTextContents()).not.toEqual(expect.arrayContaining([expect.stringContaining('Wei')]));
    const lanId = await kim.locator('#interpreter-target option', { hasText: 'Lan' }).getAttribute('value');
    await kim.selectOption('#interpreter-target', lanId!);
    await kim.click('[data-testid=invite-interpreter]');
    await kim.locator('[data-testid=chat-interpreter][data-status=invited]').waitFor();
    expect(await seriousViolations(kim, '#view-work')).toEqual([]);

    // The interpreter signs in: only the interpreting view, only the invited chat, nothing before the join.
    const lan = await signIn('lan');
    expect(await lan.locator('#tabs button').allTextContents()).toEqual(['통역']);
    expect(await lan.isHidden('#view-work')).toBe(true);
    const invitation = lan.locator('[data-testid=interp-invitation]');
    await invitation.waitFor();
    expect(await invitation.count()).toBe(1);
    expect(await invitation.getAttribute('data-conversation-id')).toBe(id);
    await invitation.locator('button').click();
    await lan.waitForSelector('[data-testid=interp-chat]:not([hidden])');
    expect(await lan.textContent('[data-testid=interp-transcript]')).not.toContain('Tôi muốn nói chuyện');
    await lan.click('[data-testid=interp-join]');
    await lan.waitForSelector('#interp-composer:not([hidden])');
    expect(await seriousViolations(lan, '#view-interpreting')).toEqual([]);

    const joined = await received((m) => m.author === 'system' && /Phiên dịch viên Lan đã tham gia/.test(m.text ?? ''), 'join notice in Vietnamese');
    expect(joined.text).toMatch(/Phiên dịch viên Lan đã tham gia cuộc trò chuyện/);

    // One message to the resident, one to the counselor only.
    await lan.fill('[data-testid=interp-text]', 'Xin chào, tôi là phiên dịch viên. Tư vấn viên hỏi bạn cần giúp gì?');
    await lan.click('[data-testid=interp-to-resident]');
    await lan.waitForFunction(() => document.querySelectorAll('[data-testid=interp-message][data-mine=true]').length === 1);
    await lan.fill('[data-testid=interp-text]', '민원인이 외국인등록증 재발급 절차를 묻고 싶어 합니다.');
    await lan.click('[data-testid=interp-to-counselor]');
    await lan.waitForFunction(() => document.querySelectorAll('[data-testid=interp-message][data-mine=true]').length === 2);

    const toResident = await received((m) => /Xin chào, tôi là phiên dịch viên/.test(m.text ?? ''), 'the interpreter’s message');
    expect(toResident.author).toBe('counselor');
    expect(toResident.text).toBe('[Phiên dịch viên Lan] Xin chào, tôi là phiên dịch viên. Tư vấn viên hỏi bạn cần giúp gì?');

    // The counselor's page shows both, labelled as the interpreter's.
    await kim.waitForFunction(() => document.querySelectorAll('#transcript [data-testid=message][data-interpreter=true]').length === 2);
    const fromInterpreter = await kim.locator('#transcript [data-testid=message][data-interpreter=true]').allTextContents();
    expect(fromInterpreter[0]).toContain('통역사 Lan');
    expect(fromInterpreter[0]).toContain('Xin chào, tôi là phiên dịch viên.');
    expect(fromInterpreter[1]).toContain('통역사 Lan → 상담사');
    expect(fromInterpreter[1]).toContain('민원인이 외국인등록증 재발급 절차를 묻고 싶어 합니다.');
    await kim.locator('[data-testid=chat-interpreter][data-status=joined]').waitFor();

    // The interpreter leaves; the resident is told in Vietnamese.
    await lan.click('[data-testid=interp-leave]');
    await lan.waitForSelector('[data-testid=interp-chat]', { state: 'hidden' });
    await received((m) => m.author === 'system' && /Phiên dịch viên Lan đã rời cuộc trò chuyện/.test(m.text ?? ''), 'leave notice in Vietnamese');
    await kim.waitForFunction(() => document.querySelectorAll('[data-testid=chat-interpreter]').length === 0);

    // The counselor's words to the counselor never reached the resident (a message after them
    // proves the resident's stream has moved past them).
    expect((await staff.kim!.post(`/conversations/${id}/messages`, { text: '알려 주셔서 감사합니다.' })).status).toBe(200);
    await received((m) => m.text === '알려 주셔서 감사합니다.', 'the counselor’s next reply');
    expect(seen.some((m) => /외국인등록증/.test(m.text ?? ''))).toBe(false);

    // The supervisor's audit shows the join and the leave.
    const audit = await staff.boss!.get<{ items: { action: string; actor: string }[] }>(`/audit?subject=${id}`);
    expect(audit.status).toBe(200);
    const actions = audit.body.items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['interpreter.invite', 'interpreter.join', 'interpreter.message', 'interpreter.leave']));
    expect(audit.body.items.filter((e) => e.action === 'interpreter.join').map((e) => e.actor)).toEqual([lanId]);
    expect(pageErrors).toEqual([]);
  });
});
