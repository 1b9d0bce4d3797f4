/**
 * The console API (/api/console/v1) as one table: method, path, the roles allowed, the zod
 * schemas and the handler. The router and the OpenAPI document are both built from this table,
 * so what is enforced and what is documented cannot drift apart.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { ZodType } from 'zod';
import { z } from 'zod';
import type { Conversation } from '../core/conversation';
import type { Logger } from '../core/logger-port';
import type { Message } from '../core/message';
import type { Store } from '../core/store-port';
import { CHAT_ROLES, type ConsoleRole, type ConsoleUser } from '../core/user-port';
import { HandoffError } from '../handoff/handoff-errors';
import type { HandoffModule } from '../handoff/handoff-module';
import { intentLabel } from '../i18n/intent-labels';
import { STAFF_LANGUAGE, tr } from '../i18n/translate';
import { DashboardService } from '../handoff/dashboard-service';
import { effectivePresence } from '../handoff/presence';
import { parseOr400 } from '../http/http-errors';
import { consoleLanguage } from './console-language';
import type { Authenticated, ConsoleAuth } from './console-auth';
import {
  alertsQuery,
  auditQuery,
  cannedQuery,
  closeBody,
  conversationsQuery,
  createUserBody,
  daysQuery,
  loginBody,
  noteBody,
  presenceBody,
  queueItemView,
  replyBody,
  reportAbuseBody,
  RESOLUTION_CODES,
  transferBody,
  updateUserBody,
} from './console-schemas';
import { maskIdentity, toConsoleMessage, toConversationView, toQueueItem, toUserView } from './console-views';
import { hashPassword } from './password-hasher';

export interface RouteContext {
  req: Request;
  res: Response;
  /** Present on every route except public ones. */
  auth: Authenticated;
}

export interface ConsoleRoute {
  method: 'get' | 'post' | 'patch';
  /** Express-style path relative to /api/console/v1. */
  path: string;
  /** 'public': no session; 'any': any signed-in role; else the roles allowed. */
  roles: 'public' | 'any' | ConsoleRole[];
  summary: string;
  body?: ZodType;
  query?: ZodType;
  /** Success status (default 200) and, for the document, its shape. */
  status?: number;
  response?: ZodType;
  /** Extra middleware before authentication (e.g. the login rate limit). */
  before?: RequestHandler[];
  /** The handler writes the response itself (non-JSON answers). */
  raw?: boolean;
  /** Extra documented error statuses besides the generic ones. */
  conflicts?: string;
  handler(ctx: RouteContext): Promise<unknown>;
}

export interface ConsoleRouteDeps {
  store: Store;
  handoff: HandoffModule;
  auth: ConsoleAuth;
  logger: Logger;
  loginLimiters: RequestHandler[];
}

const STAFF: ConsoleRole[] = ['counselor', 'supervisor'];
const SUPERVISOR: ConsoleRole[] = ['supervisor'];
const ADMIN: ConsoleRole[] = ['admin'];

const id = (req: Request, name = 'id') => String(req.params[name] ?? '');

export function consoleRoutes(deps: ConsoleRouteDeps): ConsoleRoute[] {
  const { store, handoff, auth } = deps;
  const service = handoff.service;

  const getConversation = async (conversationId: string): Promise<Conversation> => {
    const c = await store.conversations.get(conversationId);
    if (!c) throw new HandoffError(404, 'not_found', { key: 'staff.error.conversationNotFound', values: { id: conversationId } });
    return c;
  };

  /** Supervisors read everything; counselors read queued chats, their own, and ones they last handled. */
  const readable = async (user: ConsoleUser, conversationId: string): Promise<Conversation> => {
    const c = await getConversation(conversationId);
    if (user.role === 'supervisor' || c.state === 'queued' || c.assigneeId === user.id) return c;
    if (c.state !== 'assigned') {
      const episodes = await store.episodes.listByConversation(c.id);
      if (episodes.at(-1)?.counselorId === user.id) return c;
    }
    throw new HandoffError(403, 'forbidden', { key: 'staff.error.conversationForbidden' });
  };

  const names = async () => new Map((await store.users.list()).map((u) => [u.id, u.displayName]));

  const allMessages = async (conversationId: string): Promise<Message[]> => {
    const out: Message[] = [];
    for (let after = 0; out.length < 5000; ) {
      const page = await store.messages.listByConversation(conversationId, { afterSeq: after, limit: 500 });
      out.push(...page);
      if (page.length < 500) break;
      after = page.at(-1)!.seq;
    }
    return out;
  };

  const detail = async (c: Conversation) => {
    const [messages, flags, resident, siblings, episodes, userNames, waiting] = await Promise.all([
      allMessages(c.id),
      store.messageFlags.listByConversation(c.id),
      store.residents.get(c.residentId),
      store.conversations.list({ residentId: c.residentId, limit: 50 }),
      store.episodes.listByConversation(c.id),
      names(),
      service.residentWaiting(c),
    ]);
    const tickets = store.tickets ? await store.tickets.list({ residentId: c.residentId, limit: 20 }).catch(() => []) : [];
    const abusive = new Set(flags.map((f) => f.messageId));
    return {
      conversation: toConversationView(c, userNames),
      messages: messages.map((m) => toConsoleMessage(m, abusive)),
      residentWaiting: Boolean(waiting),
      resident: {
        id: c.residentId,
        ...(resident?.locale && { locale: resident.locale }),
        channels: (resident?.identities ?? []).map(maskIdentity),
      },
      otherConversations: await Promise.all(
        siblings
          .filter((s) => s.id !== c.id)
          .reverse()
          .map(async (s) => {
            const last = (await store.episodes.listByConversation(s.id)).at(-1);
            return {
              id: s.id,
              channel: s.channel,
              state: s.state,
              createdAt: s.createdAt.toISOString(),
              ...(s.lastIntent && { lastIntent: s.lastIntent }),
              ...(last?.resolution && { resolution: last.resolution }),
            };
          }),
      ),
      tickets: tickets.map((t) => ({ id: t.id, reference: t.reference, category: t.category, status: t.status, createdAt: t.createdAt.toISOString() })),
      episodes: episodes.map((e) => ({
        handoffSeq: e.handoffSeq,
        reason: e.reason,
        priority: e.priority,
        queuedAt: e.queuedAt.toISOString(),
        ...(e.counselorId && { counselorId: e.counselorId, counselorName: userNames.get(e.counselorId) }),
        ...(e.assignedAt && { assignedAt: e.assignedAt.toISOString() }),
        ...(e.endedAt && { endedAt: e.endedAt.toISOString() }),
        ...(e.outcome && { outcome: e.outcome }),
        ...(e.resolution && { resolution: e.resolution }),
        ...(e.team && { team: e.team }),
        ...(e.callback && { callback: true }),
      })),
    };
  };

  return [
    {
      method: 'post',
      path: '/login',
      roles: 'public',
      summary: 'Sign in: sets the HttpOnly session cookie and returns the CSRF token for x-csrf-token',
      body: loginBody,
      before: deps.loginLimiters,
      conflicts: '401 wrong login or password; 429 too many failed sign-ins (Retry-After)',
      response: z.object({ csrfToken: z.string(), user: z.object({ id: z.string(), role: z.string() }).loose() }),
      async handler({ req, res }) {
        const body = parseOr400(loginBody, req.body);
        const result = await auth.login(body.login, body.password, req.ip);
        auth.setCookie(res, result.token, req.secure);
        return { csrfToken: result.session.csrfToken, user: toUserView(result.user) };
      },
    },
    {
      method: 'post',
      path: '/logout',
      roles: 'any',
      summary: 'Sign out: ends the session (counselors go offline)',
      async handler({ res, auth: a }) {
        await auth.logout(a);
        auth.clearCookie(res);
        return { ok: true };
      },
    },
    {
      method: 'get',
      path: '/session',
      roles: 'any',
      summary: 'The signed-in user, the CSRF token and console settings (after a page reload)',
      async handler({ auth: a }) {
        return {
          user: toUserView(a.user, effectivePresence(a.user, new Date(), handoff.presenceTtlMs)),
          csrfToken: a.session.csrfToken,
          routing: handoff.routing,
          resolutionCodes: RESOLUTION_CODES,
        };
      },
    },
    {
      method: 'post',
      path: '/presence',
      roles: STAFF,
      summary: 'Set my presence: available (takes chats), away, offline',
      body: presenceBody,
      async handler({ req, auth: a }) {
        const { status } = parseOr400(presenceBody, req.body);
        const user = await store.users.update(a.user.id, { presence: status, presenceAt: new Date(), lastSeenAt: new Date() });
        await store.audit.record({ actor: a.user.id, action: 'console.presence', details: { from: a.user.presence, to: status } });
        handoff.events.emit('presence', { userId: a.user.id });
        return { user: toUserView(user) };
      },
    },
    {
      method: 'get',
      path: '/queue',
      roles: STAFF,
      summary: 'The waiting chats in serving order (priority, then first come first served)',
      response: z.object({ items: z.array(queueItemView) }),
      async handler({ auth: a }) {
        return { items: (await service.queue()).map((e) => toQueueItem(e, a.user)) };
      },
    },
    {
      method: 'get',
      path: '/conversations',
      roles: STAFF,
      summary: 'My assigned chats (scope=mine), or every assigned chat (scope=all, supervisors)',
      query: conversationsQuery,
      async handler({ req, auth: a }) {
        const { scope } = parseOr400(conversationsQuery, req.query, 'query');
        if (scope === 'all' && a.user.role !== 'supervisor') throw new HandoffError(403, 'forbidden', { key: 'staff.error.onlySupervisorsListAll' });
        const list = await store.conversations.list({ states: ['assigned'], ...(scope === 'mine' && { assigneeId: a.user.id }), limit: 1000 });
        const userNames = await names();
        return { items: list.map((c) => toConversationView(c, userNames)) };
      },
    },
    {
      method: 'get',
      path: '/conversations/:id',
      roles: STAFF,
      summary: 'A chat with its full transcript (bot part included), language, intent, the resident’s channels, past chats and tickets',
      conflicts: '403 assigned to another counselor (supervisors may read any)',
      async handler({ req, auth: a }) {
        return detail(await readable(a.user, id(req)));
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/accept',
      roles: STAFF,
      summary: 'Take a queued chat; exactly one of several concurrent accepts wins',
      conflicts: '409 already_assigned (someone else won), not_queued, at_capacity',
      async handler({ req, auth: a }) {
        const c = await service.accept(a.user, id(req));
        return { conversation: toConversationView(c, await names()) };
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/messages',
      roles: STAFF,
      summary: 'Reply to the resident (text, quick replies, links); delivered on the resident’s channel',
      body: replyBody,
      conflicts: '403 not_owner; 409 not_assigned',
      async handler({ req, auth: a }) {
        const body = parseOr400(replyBody, req.body);
        const sent = await service.reply(a.user, id(req), {
          ...(body.text?.trim() && { text: body.text.trim() }),
          ...(body.quickReplies?.length && { quickReplies: body.quickReplies }),
          ...(body.links?.length && { links: body.links }),
        });
        return { messages: sent.map((m) => toConsoleMessage(m, new Set())) };
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/notes',
      roles: STAFF,
      summary: 'Add an internal note (never shown to the resident)',
      body: noteBody,
      async handler({ req, auth: a }) {
        const { text } = parseOr400(noteBody, req.body);
        return { message: toConsoleMessage(await service.note(a.user, id(req), text), new Set()) };
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/transfer',
      roles: STAFF,
      summary: 'Transfer to a counselor (toCounselorId) or a team, with an optional note',
      body: transferBody,
      async handler({ req, auth: a }) {
        const body = parseOr400(transferBody, req.body);
        const c = await service.transfer(a.user, id(req), body);
        return { conversation: toConversationView(c, await names()) };
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/close',
      roles: STAFF,
      summary: 'Close with a resolution code; sends the satisfaction survey. Unanswered resident message: 409 unless confirm=true',
      body: closeBody,
      conflicts: '409 resident_waiting (we never hang up first), not_assigned',
      async handler({ req, auth: a }) {
        const body = parseOr400(closeBody, req.body);
        const c = await service.close(a.user, id(req), body);
        return { conversation: toConversationView(c, await names()) };
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/handback',
      roles: STAFF,
      summary: 'Hand the chat back to the bot',
      async handler({ req, auth: a }) {
        const c = await service.handback(a.user, id(req));
        return { conversation: toConversationView(c, await names()) };
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/requeue',
      roles: SUPERVISOR,
      summary: 'Put a chat back in the queue (its counselor is gone, or an accept stopped half-way)',
      conflicts: '409 not_active (only a queued or assigned chat goes back to the queue)',
      async handler({ req, auth: a }) {
        const c = await service.requeue(a.user, id(req));
        return { conversation: toConversationView(c, await names()) };
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/messages/:messageId/reveal',
      roles: STAFF,
      summary: 'Show a message masked as abusive (the reveal is audited)',
      async handler({ req, auth: a }) {
        const c = await readable(a.user, id(req));
        const m = await store.messages.get(id(req, 'messageId'));
        if (!m || m.conversationId !== c.id) throw new HandoffError(404, 'not_found', { key: 'staff.error.noSuchMessage' });
        await store.audit.record({ actor: a.user.id, action: 'abuse.reveal', subject: c.id, details: { messageId: m.id } });
        return { message: { ...toConsoleMessage(m, new Set()), abusive: true } };
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/warn',
      roles: STAFF,
      summary: 'Send the standard warning about abusive language, in the resident’s language',
      async handler({ req, auth: a }) {
        const c = await getConversation(id(req));
        const sent = await service.reply(a.user, c.id, { text: tr('resident.handoff.abuseWarning', c.language) });
        await store.audit.record({ actor: a.user.id, action: 'abuse.warn', subject: c.id });
        return { messages: sent.map((m) => toConsoleMessage(m, new Set())) };
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/report-abuse',
      roles: STAFF,
      summary: 'Escalate abuse to supervisors; copies of the flagged messages are kept as evidence',
      body: reportAbuseBody,
      async handler({ req, auth: a }) {
        const { note } = parseOr400(reportAbuseBody, req.body);
        const c = await readable(a.user, id(req));
        const flags = await store.messageFlags.listByConversation(c.id);
        const evidence = (await Promise.all(flags.map((f) => store.messages.get(f.messageId)))).filter((m): m is Message => Boolean(m));
        const { alert, created } = await handoff.alerts.raise({
          key: `abuse:${c.id}:${c.handoffSeq}:${evidence.length}`,
          kind: 'abuse',
          conversationId: c.id,
          message: tr('staff.alert.abuseReport', STAFF_LANGUAGE, { name: a.user.displayName, count: evidence.length }),
          raisedBy: a.user.id,
          details: {
            ...(note && { note }),
            evidence: evidence.map((m) => ({ messageId: m.id, seq: m.seq, text: m.content.text, at: m.createdAt.toISOString() })),
          },
        });
        return { alertId: alert.id, created };
      },
    },
    {
      method: 'get',
      path: '/canned',
      roles: STAFF,
      summary: 'Canned answers from the knowledge base, in a language (q = search words)',
      query: cannedQuery,
      async handler({ req }) {
        const { q, lang } = parseOr400(cannedQuery, req.query, 'query');
        return { items: handoff.canned.search(q, lang) };
      },
    },
    {
      method: 'get',
      path: '/counselors',
      roles: STAFF,
      summary: 'Counselors and supervisors with presence, skills and load (for transfers)',
      async handler() {
        const now = new Date();
        const loads = await service.loads();
        const users = (await store.users.list()).filter((u) => CHAT_ROLES.includes(u.role) && !u.disabled);
        return {
          items: users.map((u) => ({ ...toUserView(u, effectivePresence(u, now, handoff.presenceTtlMs)), load: loads.get(u.id) ?? 0, cap: service.capOf(u) })),
          teams: [...new Set(users.flatMap((u) => u.teams))].sort(),
        };
      },
    },
    {
      method: 'get',
      path: '/dashboard',
      roles: SUPERVISOR,
      summary: 'Supervisor figures: queue, presence, wait and handle times, containment, CSAT, intents, channels',
      query: daysQuery,
      async handler({ req }) {
        const { days } = parseOr400(daysQuery, req.query, 'query');
        const d = await handoff.dashboard.build(days);
        // Intent display names in the console's language, next to the stable intent ids.
        const language = consoleLanguage(req);
        return { ...d, topIntents: d.topIntents.map((i) => ({ ...i, label: intentLabel(i.intent, language) })) };
      },
    },
    {
      method: 'get',
      path: '/dashboard.csv',
      roles: SUPERVISOR,
      summary: 'The supervisor figures as CSV (section,key,value)',
      query: daysQuery,
      raw: true,
      async handler({ req, res }) {
        const { days } = parseOr400(daysQuery, req.query, 'query');
        const d = await handoff.dashboard.build(days);
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="dajeong-figures-${d.period.fromDay}-${d.period.toDay}.csv"`);
        // BOM so spreadsheet programs read the Korean text as UTF-8.
        res.send(`\uFEFF${DashboardService.toCsv(d)}`);
        return undefined;
      },
    },
    {
      method: 'get',
      path: '/alerts',
      roles: SUPERVISOR,
      summary: 'Supervisor alerts (crisis, SLA breach, abuse, chats without a counselor), newest first',
      query: alertsQuery,
      async handler({ req }) {
        const { open } = parseOr400(alertsQuery, req.query, 'query');
        const alerts = await store.alerts.list({ ...(open && { open: open === 'true' }), limit: 200 });
        return { items: alerts.map((x) => ({ ...x, raisedAt: x.raisedAt.toISOString(), acknowledgedAt: x.acknowledgedAt?.toISOString() })) };
      },
    },
    {
      method: 'post',
      path: '/alerts/:id/ack',
      roles: SUPERVISOR,
      summary: 'Acknowledge an alert',
      async handler({ req, auth: a }) {
        const existing = await store.alerts.get(id(req));
        if (!existing) throw new HandoffError(404, 'not_found', { key: 'staff.error.noSuchAlert' });
        const alert = await store.alerts.acknowledge(existing.id, a.user.id, new Date());
        await store.audit.record({ actor: a.user.id, action: 'alert.ack', subject: alert.conversationId, details: { alertId: alert.id } });
        return { alert };
      },
    },
    {
      method: 'get',
      path: '/users',
      roles: ADMIN,
      summary: 'Console accounts',
      async handler() {
        const now = new Date();
        return { items: (await store.users.list()).map((u) => toUserView(u, effectivePresence(u, now, handoff.presenceTtlMs))) };
      },
    },
    {
      method: 'post',
      path: '/users',
      roles: ADMIN,
      summary: 'Create a console account {login, password, role, languages, teams}',
      body: createUserBody,
      status: 201,
      conflicts: '409 conflict: the login exists',
      async handler({ req, auth: a }) {
        const body = parseOr400(createUserBody, req.body);
        const user = await createUser(store, { ...body, displayName: body.displayName ?? body.login }).catch((err: unknown) => {
          throw (err as { code?: string }).code === 'conflict' ? new HandoffError(409, 'conflict', { key: 'staff.error.loginExists', values: { login: body.login } }) : err;
        });
        await store.audit.record({ actor: a.user.id, action: 'user.create', subject: user.id, details: { login: user.login, role: user.role } });
        return { user: toUserView(user) };
      },
    },
    {
      method: 'patch',
      path: '/users/:id',
      roles: ADMIN,
      summary: 'Change an account: role, skills, shift, cap, password, disable or unlock',
      body: updateUserBody,
      async handler({ req, auth: a }) {
        const body = parseOr400(updateUserBody, req.body);
        const existing = await store.users.get(id(req));
        if (!existing) throw new HandoffError(404, 'not_found', { key: 'staff.error.noSuchUser' });
        const { password, unlock, shift, maxConcurrent, ...rest } = body;
        if (unlock) await auth.unlock(existing, a.user.id);
        const user = await store.users.update(existing.id, {
          ...rest,
          ...(password && { passwordHash: await hashPassword(password) }),
          ...(shift !== undefined && { shift: shift ?? undefined }),
          ...(maxConcurrent !== undefined && { maxConcurrent: maxConcurrent ?? undefined }),
          ...(body.disabled && { presence: 'offline' as const, presenceAt: new Date() }),
        });
        // A new password or a disabled account ends every open session of that user.
        if (password || body.disabled) await store.consoleSessions.deleteByUser(user.id);
        await store.audit.record({ actor: a.user.id, action: 'user.update', subject: user.id, details: { fields: Object.keys(body).filter((k) => k !== 'password').concat(password ? ['password'] : []) } });
        return { user: toUserView(user) };
      },
    },
    {
      method: 'get',
      path: '/audit',
      roles: ['supervisor', 'admin'],
      summary: 'Audit log of counselor and system actions (filter by subject or actor)',
      query: auditQuery,
      async handler({ req }) {
        const q = parseOr400(auditQuery, req.query, 'query');
        const events = await store.audit.list({ ...(q.subject && { subject: q.subject }), ...(q.actor && { actor: q.actor }), limit: q.limit });
        return { items: events.reverse() };
      },
    },
  ];
}

/** Creates a console user with a hashed password. */
export async function createUser(
  store: Store,
  input: { login: string; password: string; role: ConsoleRole; languages: string[]; teams: string[]; displayName: string; shift?: ConsoleUser['shift']; maxConcurrent?: number },
): Promise<ConsoleUser> {
  const { password, ...rest } = input;
  return store.users.create({ ...rest, passwordHash: await hashPassword(password) });
}
