/** Ticket references (Korea date, sequence per day, races) and status changes pushed to the resident. */
import type { Conversation } from '../../src/core/conversation';
import { textOf, type OutboundDraft } from '../../src/core/message';
import { MemoryStore } from '../../src/store/memory-store';
import { findReference, formatReference, koreaDay } from '../../src/tickets/ticket-reference';
import { TicketService } from '../../src/tickets/ticket-service';
import { silentLogger } from '../support/service';

const input = (residentId: string, conversationId: string) => ({
  category: 'illegal_parking_report',
  residentId,
  conversationId,
  channel: 'telegram',
  externalUserId: 'tg-1',
  language: 'ko',
  description: '소화전 앞 주차',
  photos: [],
});

describe('ticket references', () => {
  it('dates references in Korea time and pads the sequence', () => {
    // 2026-11-27 16:30 UTC is already 28 November in Korea.
    expect(koreaDay(new Date('2026-11-27T16:30:00Z'))).toBe('20261128');
    expect(koreaDay(new Date('2026-11-27T14:59:59Z'))).toBe('20261127');
    expect(formatReference(new Date('2026-11-27T01:00:00Z'), 42)).toBe('GG-20261127-0042');
  });

  it('finds a reference in free text, in any case or spacing', () => {
    expect(findReference('gg-20261127-0042 처리됐나요?')).toBe('GG-20261127-0042');
    expect(findReference('접수번호 GG 20261127 0042')).toBe('GG-20261127-0042');
    expect(findReference('버스 7-2번')).toBeUndefined();
  });
});

describe('ticket service', () => {
  let store: MemoryStore;
  let sent: { conversation: Conversation; drafts: OutboundDraft[] }[];
  let now: Date;
  let service: TicketService;

  beforeEach(() => {
    store = new MemoryStore();
    sent = [];
    now = new Date('2026-11-27T03:00:00Z');
    service = new TicketService({
      store,
      send: async (conversation, drafts) => {
        sent.push({ conversation, drafts });
      },
      logger: silentLogger(),
      now: () => now,
    });
  });

  it('numbers tickets per day and starts again the next day', async () => {
    const a = await service.create(input('r1', 'c1'));
    const b = await service.create(input('r1', 'c1'));
    now = new Date('2026-11-28T03:00:00Z');
    const c = await service.create(input('r1', 'c1'));
    expect([a.reference, b.reference, c.reference]).toEqual([
      'GG-20261127-0001',
      'GG-20261127-0002',
      'GG-20261128-0001',
    ]);
  });

  it('gives concurrent creators distinct references', async () => {
    const tickets = await Promise.all(Array.from({ length: 12 }, () => service.create(input('r1', 'c1'))));
    const references = tickets.map((t) => t.reference);
    expect(new Set(references).size).toBe(12);
    expect(references.sort()[11]).toBe('GG-20261127-0012');
  });

  it('records a status change with its note, audits it, and tells the resident in their open conversation', async () => {
    const resident = await store.residents.findOrCreateByIdentity({
      channel: 'telegram',
      externalUserId: 'tg-1',
    });
    const old = await store.conversations.create({
      residentId: resident.id,
      channel: 'telegram',
      externalUserId: 'tg-1',
      language: 'en',
      state: 'bot',
      priority: 'normal',
    });
    const ticket = await service.create(input(resident.id, old.id));
    await store.conversations.update(old.id, { state: 'closed', closedAt: new Date() });
    const current = await store.conversations.create({
      residentId: resident.id,
      channel: 'telegram',
      externalUserId: 'tg-1',
      language: 'en',
      state: 'bot',
      priority: 'normal',
    });

    const { ticket: updated, notified } = await service.changeStatus(ticket.reference.toLowerCase(), {
      status: 'resolved',
      note: 'Towed away',
      actor: 'staff-7',
    });
    expect(notified).toBe(true);
    expect(updated.status).toBe('resolved');
    expect(updated.history.at(-1)).toMatchObject({
      status: 'resolved',
      note: 'Towed away',
      actor: 'staff-7',
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.conversation.id).toBe(current.id);
    expect(textOf(sent[0]!.drafts[0]!.content)).toContain(ticket.reference);
    expect(textOf(sent[0]!.drafts[0]!.content)).toMatch(/Resolved/);
    expect(textOf(sent[0]!.drafts[0]!.content)).toMatch(/Towed away/);
    expect((await store.audit.list({ subject: ticket.id })).map((e) => e.action)).toEqual([
      'ticket.create',
      'ticket.status',
    ]);
    await expect(
      service.changeStatus('GG-20990101-0001', { status: 'resolved', actor: 'x' }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('reports when the resident could not be told', async () => {
    const ticket = await service.create(input('r-gone', 'c-gone'));
    const { notified } = await service.changeStatus(ticket.reference, {
      status: 'in_progress',
      actor: 'staff',
    });
    expect(notified).toBe(false);
  });
});
