/**
 * Canned answers for the composer's "/" search: a counselor's personal ones, their teams', and the
 * FAQ's. Every search matches whole query words (see handoff/word-match.ts).
 */
import { z } from 'zod';
import type { CannedAnswerRecord } from '../core/canned-port';
import type { Store } from '../core/store-port';
import type { ConsoleUser } from '../core/user-port';
import { HandoffError } from '../handoff/handoff-errors';
import type { HandoffModule } from '../handoff/handoff-module';
import { queryWords, wordScore } from '../handoff/word-match';
import { parseOr400 } from '../http/http-errors';
import type { ConsoleRoute } from './console-routes';

const language = z.string().regex(/^[a-z]{2,3}$/, 'a 2–3 letter language code such as ko, en, vi');
export const cannedSearchQuery = z.object({ q: z.string().max(200).default(''), lang: language.default('ko') });
export const createCannedBody = z
  .object({
    scope: z.enum(['personal', 'team']),
    team: z.string().regex(/^[a-z0-9_-]{1,40}$/).optional(),
    title: z.string().trim().min(1).max(80),
    text: z.string().trim().min(1).max(4000),
    language: language.default('ko'),
  })
  .refine((b) => (b.scope === 'team') === Boolean(b.team), { message: 'a team answer needs its team, a personal one none', path: ['team'] });
export const updateCannedBody = z.object({ title: z.string().trim().min(1).max(80), text: z.string().trim().min(1).max(4000), language }).partial();

const view = (r: CannedAnswerRecord) => ({ id: r.id, source: r.scope, ...(r.team && { team: r.team }), title: r.title, text: r.text, language: r.language, ownerId: r.ownerId });

export function cannedRoutes(deps: { store: Store; handoff: HandoffModule }): ConsoleRoute[] {
  const { store } = deps;
  const STAFF: ['counselor', 'supervisor'] = ['counselor', 'supervisor'];

  /** Owners edit their personal answers; team answers: any team member or a supervisor. */
  const editable = async (user: ConsoleUser, id: string) => {
    const r = await store.cannedAnswers.get(id);
    if (!r || (r.scope === 'personal' && r.ownerId !== user.id)) throw new HandoffError(404, 'not_found', { key: 'staff.error.noSuchCanned' });
    if (r.scope === 'team' && user.role !== 'supervisor' && !user.teams.includes(r.team ?? '')) throw new HandoffError(403, 'forbidden', { key: 'staff.error.teamCannedOnly' });
    return r;
  };

  return [
    {
      method: 'get',
      path: '/canned-answers',
      roles: STAFF,
      summary: 'Canned answers matching every word of q: personal, team, then FAQ (in lang, with the usual fallback)',
      query: cannedSearchQuery,
      async handler({ req, auth }) {
        const { q, lang } = parseOr400(cannedSearchQuery, req.query, 'query');
        const words = queryWords(q);
        const own = (await store.cannedAnswers.listVisible(auth.user.id, auth.user.teams))
          .map((r) => ({ r, score: wordScore(r.title, r.text, words) + (r.language === lang ? 0.5 : 0) }))
          .filter((x) => x.score > (words.length ? 0.5 : 0))
          .sort((a, b) => b.score - a.score)
          .slice(0, 8)
          .map((x) => view(x.r));
        const faq = words.length || !own.length ? deps.handoff.canned.search(q, lang, 8) : [];
        return { items: [...own, ...faq.map((f) => ({ id: `faq:${f.id}`, source: 'faq' as const, title: f.title, text: f.text, language: f.language }))].slice(0, 12) };
      },
    },
    {
      method: 'post',
      path: '/canned-answers',
      roles: STAFF,
      summary: 'Save a personal canned answer, or a team one for a team you belong to',
      body: createCannedBody,
      status: 201,
      async handler({ req, auth }) {
        const body = parseOr400(createCannedBody, req.body);
        if (body.scope === 'team' && auth.user.role !== 'supervisor' && !auth.user.teams.includes(body.team!)) {
          throw new HandoffError(403, 'forbidden', { key: 'staff.error.notInTeam', values: { team: String(body.team) } });
        }
        const record = await store.cannedAnswers.create({ ...body, ownerId: auth.user.id });
        await store.audit.record({ actor: auth.user.id, action: 'canned.create', subject: record.id, details: { scope: record.scope, team: record.team } });
        return { item: view(record) };
      },
    },
    {
      method: 'post',
      path: '/canned-answers/:id',
      roles: STAFF,
      summary: 'Change a canned answer (yours, or your team’s)',
      body: updateCannedBody,
      async handler({ req, auth }) {
        const body = parseOr400(updateCannedBody, req.body);
        const r = await editable(auth.user, String(req.params.id));
        return { item: view(await store.cannedAnswers.update(r.id, body)) };
      },
    },
    {
      method: 'post',
      path: '/canned-answers/:id/delete',
      roles: STAFF,
      summary: 'Delete a canned answer (yours, or your team’s)',
      async handler({ req, auth }) {
        const r = await editable(auth.user, String(req.params.id));
        await store.cannedAnswers.delete(r.id);
        await store.audit.record({ actor: auth.user.id, action: 'canned.delete', subject: r.id });
        return { ok: true };
      },
    },
  ];
}
