/**
 * The transit conversation as one pure function: the message (or button), the resident's language,
 * the slots kept from earlier turns and the timetable in, the answer text, buttons and slots to keep
 * out. It fills the slots a question needs (route, kind, stop), asks for what is missing with
 * buttons, resolves route numbers naming several routes, and answers first/last/next/headway
 * questions saying which day's timetable and which feed it used. Follow-ups reuse the slots
 * ("막차는요?" after a first-bus answer). Live arrivals are added by the caller (see `live`).
 */
import type { LinkRef, QuickReply } from '../core/message';
import { normalizeStopName } from './stop-name-normalize';
import { decodeTransitPayload, encodeTransitPayload } from './transit-payload';
import { looksLikeName, parseTransitQuestion, type TransitKind, type TransitMode, type TransitQuestion } from './transit-question';
import { tr } from '../i18n/translate';
import type { ResidentKey } from '../i18n/locales';
import { dateText, dayKindText, timeText } from './transit-formats';
import type { DirectionTime, RouteSummary, ServiceDayRef, TransitTimetable } from './transit-timetable';
import { normalizeRouteNumber } from './route-names';

/** What the conversation remembers between transit turns (stored under conversation.slots.transit). */
export interface TransitSlots {
  kind?: TransitKind;
  mode?: TransitMode;
  /** The feed's route_id once the route is known. */
  routeId?: string;
  /** A stop_id once the stop is known. */
  stopId?: string;
  /** A stop name as typed, still to resolve. */
  stopQuery?: string;
  towards?: string;
  /** What the last answer asked for. */
  awaiting?: 'route' | 'kind' | 'stop';
  /** ISO time of the last transit turn. */
  at: string;
}

export type TimetableAccess = { state: 'ready'; timetable: TransitTimetable } | { state: 'loading' | 'disabled' | 'failed' };

export interface DialogueInput {
  text: string;
  payload?: string;
  language: string;
  slots?: TransitSlots;
  now: Date;
  /** The classifier thinks this is a transport question. */
  transitIntent: boolean;
  /** The classifier is confident it is something else (thanks, a counselor request...). */
  otherIntent?: boolean;
}

/** A live-arrival lookup the caller may run for a next-departures answer. */
export interface LiveRequest {
  /** The route as residents read it ("7-2번 버스"). */
  label: string;
  routeNumber: string;
  stopName: string;
  stopCode: string;
}

export type DialogueResult =
  | { handled: false }
  | {
      handled: true;
      text: string;
      quickReplies: QuickReply[];
      links: LinkRef[];
      /** Slots to store; null clears them. */
      slots: TransitSlots | null;
      live?: LiveRequest;
    };

/** Slots older than this are not continued. */
export const FOLLOW_UP_MS = 10 * 60_000;
const GBIS_LINK = 'https://www.gbis.go.kr';
const MAX_BUTTONS = 6;

function gbisLink(language: string): LinkRef[] {
  return [{ title: tr('resident.transit.linkTitle', language), url: GBIS_LINK }];
}

/** Runs one transit turn. */
export function transitDialogue(input: DialogueInput, access: TimetableAccess): DialogueResult {
  const payload = decodeTransitPayload(input.payload);
  const prev = input.slots && input.now.getTime() - Date.parse(input.slots.at) < FOLLOW_UP_MS ? input.slots : undefined;
  const q = parseTransitQuestion(input.text);
  const lang = input.language;

  if (access.state !== 'ready') {
    const asks = !!payload || (!!q.kind && (input.transitIntent || !!q.mode || q.routes.length > 0 || q.stops.length > 0)) || (input.transitIntent && q.routes.some((r) => r.strong));
    if (!asks) return { handled: false };
    return reply(tr(access.state === 'loading' ? 'resident.transit.loading' : 'resident.transit.notConfigured', lang), [], null, gbisLink(lang));
  }
  const tt = access.timetable;
  const at = input.now.toISOString();
  const found = routesInText(tt, q, input.text);

  let s: TransitSlots | undefined;
  if (payload) {
    s = { ...prev, at, awaiting: undefined };
    if (payload.type === 'kind') s.kind = payload.kind;
    if (payload.type === 'route') s.routeId = payload.routeId;
    if (payload.type === 'stop') [s.stopId, s.stopQuery] = [payload.stopId, undefined];
  } else if (prev?.awaiting === 'route' && found.routes.length > 0) {
    s = { ...prev, at, awaiting: undefined, ...fromQuestion(q) };
  } else if (prev?.awaiting === 'kind' && q.kind) {
    s = { ...prev, at, awaiting: undefined, kind: q.kind };
  } else if (prev?.awaiting === 'stop' && !q.kind && !input.otherIntent && found.routes.length === 0 && (q.stops.length > 0 || looksLikeName(input.text))) {
    s = { ...prev, at, awaiting: undefined, stopId: undefined, stopQuery: q.stops[0] ?? input.text.trim() };
  } else {
    const strong = q.routes.some((r) => r.strong) && (input.transitIntent || !!q.mode || !!q.kind);
    if (!q.kind && found.routes.length === 0 && !strong) return { handled: false };
    s = { at, ...fromQuestion(q) };
    // A follow-up names only what changed: "막차는요?" keeps the route, "3000번은요?" the question.
    if (prev && found.routes.length === 0 && q.routes.length === 0 && q.kind) {
      s.routeId = prev.routeId;
      if (q.stops.length === 0 && prev.stopId) s.stopId = prev.stopId;
    }
    if (prev && !q.kind && prev.kind) s.kind = prev.kind;
  }
  return resolve(tt, s, found, q, input, lang);
}

function fromQuestion(q: TransitQuestion): Partial<TransitSlots> {
  return {
    ...(q.kind && { kind: q.kind }),
    ...(q.mode && { mode: q.mode }),
    ...(q.stops[0] && { stopQuery: q.stops[0] }),
    ...(q.towards && { towards: q.towards }),
  };
}

/** Routes the text names: the first route number the feed knows, else rail lines by name. */
function routesInText(tt: TransitTimetable, q: TransitQuestion, text: string): { routes: number[]; number?: string; unknownStrong?: string } {
  let unknownStrong: string | undefined;
  for (const token of q.routes) {
    const routes = tt.routesByNumber(token.number, q.mode);
    if (routes.length > 0) return { routes, number: token.number };
    if (token.strong) unknownStrong ??= token.number;
  }
  const rail = q.mode !== 'bus' ? tt.railLinesIn(text) : [];
  if (rail.length) return { routes: rail };
  return { routes: [], ...(unknownStrong && { unknownStrong }) };
}

function reply(text: string, quickReplies: QuickReply[], slots: TransitSlots | null, links: LinkRef[] = []): DialogueResult {
  return { handled: true, text, quickReplies: quickReplies.slice(0, MAX_BUTTONS + 2), links, slots };
}

function routeLabel(route: RouteSummary, language: string): string {
  if (route.rail) return route.longName || route.shortName;
  return tr('resident.transit.busRoute', language, { number: route.shortName || route.longName });
}

function routeButton(tt: TransitTimetable, r: number, language: string): QuickReply {
  const route = tt.route(r);
  const [from, to] = route.ends;
  const ends = from >= 0 && to >= 0 ? ` ${tt.stopName(from, language)}↔${tt.stopName(to, language)}` : '';
  return {
    label: `${route.shortName || route.longName}${ends}${route.agency ? ` (${route.agency})` : ''}`.slice(0, 60),
    payload: encodeTransitPayload({ type: 'route', routeId: route.id }),
  };
}

const KIND_LABEL: Record<TransitKind, ResidentKey> = {
  first: 'resident.transit.kindFirst',
  last: 'resident.transit.kindLast',
  next: 'resident.transit.kindNext',
  headway: 'resident.transit.kindHeadway',
};

function kindButtons(language: string, except?: TransitKind): QuickReply[] {
  return (['first', 'last', 'next', 'headway'] as const)
    .filter((k) => k !== except)
    .map((k) => ({ label: tr(KIND_LABEL[k], language), payload: encodeTransitPayload({ type: 'kind', kind: k }) }));
}

function resolve(
  tt: TransitTimetable,
  s: TransitSlots,
  found: ReturnType<typeof routesInText>,
  q: TransitQuestion,
  input: DialogueInput,
  lang: string,
): DialogueResult {
  // 1. The route.
  let r = s.routeId !== undefined ? tt.routeById(s.routeId) : undefined;
  if (r === undefined) {
    const candidates = found.routes;
    if (candidates.length === 1) r = candidates[0];
    else if (candidates.length > 1) {
      const number = found.number ?? '';
      return reply(
        tr('resident.transit.chooseRoute', lang, { number }),
        candidates.slice(0, MAX_BUTTONS).map((c) => routeButton(tt, c, lang)),
        { ...s, routeId: undefined, awaiting: 'route' },
      );
    }
  }
  if (r === undefined) {
    if (s.stopQuery) {
      const match = tt.searchStops(s.stopQuery, 1)[0];
      const atStop = match ? tt.routesAtStops(match.stops, s.mode) : [];
      if (atStop.length === 1) r = atStop[0];
      else if (match && atStop.length > 1)
        return reply(
          tr('resident.transit.askRouteAtStop', lang, { stop: tt.stopName(match.stops[0]!, lang) }),
          atStop.slice(0, MAX_BUTTONS).map((c) => routeButton(tt, c, lang)),
          { ...s, awaiting: 'route' },
        );
    }
  }
  if (r === undefined) {
    if (found.unknownStrong) {
      const similar = similarRoutes(tt, found.unknownStrong);
      const text = [tr('resident.transit.routeNotFound', lang, { number: found.unknownStrong }), ...(similar.length ? [tr('resident.transit.didYouMean', lang)] : [])].join('\n');
      return reply(text, similar.map((c) => routeButton(tt, c, lang)), { ...s, awaiting: 'route' });
    }
    return reply(tr('resident.transit.askRoute', lang), [], { ...s, awaiting: 'route' });
  }
  const route = tt.route(r);
  s = { ...s, routeId: route.id };
  const label = routeLabel(route, lang);

  // 2. What they want to know.
  if (!s.kind) return reply(tr('resident.transit.askKind', lang, { route: label }), kindButtons(lang), { ...s, awaiting: 'kind' });

  // 3. The stop, when one was named (always needed for next departures).
  let stops: number[] | undefined;
  if (s.stopId) {
    const stop = tt.stopById(s.stopId);
    if (stop !== undefined) stops = tt.withFamily([stop]);
  } else if (s.stopQuery) {
    const matches = tt.searchStops(s.stopQuery, 8);
    const served = matches.filter((m) => tt.routesAtStops(m.stops).includes(r));
    if (served.length === 0) {
      const key = matches.length ? 'resident.transit.stopNotServed' : 'resident.transit.stopNotFound';
      return reply(tr(key, lang, { route: label, stop: s.stopQuery }), terminalButtons(tt, r, lang), { ...s, stopQuery: undefined, awaiting: 'stop' });
    }
    const [best, second] = served;
    if (served.length === 1 || best!.score >= 0.99 || (best!.score >= 0.8 && best!.score - (second?.score ?? 0) >= 0.1)) stops = best!.stops;
    else
      return reply(
        tr('resident.transit.chooseStop', lang, { stop: s.stopQuery }),
        served.slice(0, MAX_BUTTONS).map((m) => ({
          label: tt.stopName(m.stops[0]!, lang),
          payload: encodeTransitPayload({ type: 'stop', stopId: tt.stopId(m.stops[0]!) }),
        })),
        { ...s, awaiting: 'stop' },
      );
    s = { ...s, stopQuery: undefined, stopId: tt.stopId(stops[0]!) };
  }
  if (s.kind === 'next' && !stops)
    return reply(tr('resident.transit.askStop', lang, { route: label }), terminalButtons(tt, r, lang), { ...s, awaiting: 'stop' });

  // 4. The answer.
  const kept: TransitSlots = { ...s, awaiting: undefined };
  const followUps = kindButtons(lang, s.kind).slice(0, 3);
  const stopLabel = stops ? tt.stopName(stops[0]!, lang) : '';
  if (s.kind === 'first' || s.kind === 'last') {
    const times = towardsFilter(tt.firstOrLast(r, s.kind, input.now, stops), s.towards);
    if (times.length === 0) {
      const { date } = tt.moment(input.now);
      return reply(tr('resident.transit.noService', lang, { route: label, date: dateText(date, lang) }), followUps, kept);
    }
    const header = stops
      ? tr(s.kind === 'first' ? 'resident.transit.firstAtHeader' : 'resident.transit.lastAtHeader', lang, { route: label, stop: stopLabel })
      : tr(s.kind === 'first' ? 'resident.transit.firstHeader' : 'resident.transit.lastHeader', lang, { route: label });
    const basisDay = times[0]!.day;
    const lines = times.map((d) => directionLine(tt, d, lang, !stops, basisDay));
    const today = tt.moment(input.now).date;
    const note = s.kind === 'first' && times.every((d) => d.day.date > today) ? [tr('resident.transit.tomorrowNote', lang)] : [];
    return reply([header, ...note, ...lines, basis(tt, basisDay, lang)].join('\n'), followUps, kept);
  }
  if (s.kind === 'next') {
    const deps = towardsFilter(tt.nextDepartures(r, stops!, input.now), s.towards);
    const { date, seconds } = tt.moment(input.now);
    const day = tt.serviceDay(r, date);
    const live = route.rail ? undefined : { label, routeNumber: route.shortName, stopName: tt.stopName(stops![0]!), stopCode: tt.stopCode(stops![0]!) };
    if (deps.length === 0) {
      const tomorrow = tt.firstOrLast(r, 'first', input.now, stops);
      const lines = tomorrow.map((d) => directionLine(tt, d, lang, false, d.day));
      const text = [tr('resident.transit.noMoreToday', lang, { route: label, stop: stopLabel }), ...(lines.length ? [tr('resident.transit.firstAtHeader', lang, { route: label, stop: stopLabel }), ...lines] : []), basis(tt, tomorrow[0]?.day ?? day, lang)];
      return { ...(reply(text.join('\n'), followUps, kept) as Extract<DialogueResult, { handled: true }>), ...(live && { live }) };
    }
    const lines = deps.map((d) => tr('resident.transit.directionLine', lang, { towards: towardsText(tt, d.towards, lang), time: d.times.map((t) => timeText(t, lang)).join(', ') }));
    const header = tr('resident.transit.nextHeader', lang, { route: label, stop: stopLabel, now: timeText(seconds, lang) });
    return { ...(reply([header, ...lines, basis(tt, day, lang)].join('\n'), followUps, kept) as Extract<DialogueResult, { handled: true }>), ...(live && { live }) };
  }
  const { day, directions } = tt.headways(r, input.now);
  const filtered = towardsFilter(directions, s.towards);
  if (filtered.length === 0) return reply(tr('resident.transit.noService', lang, { route: label, date: dateText(day.date, lang) }), followUps, kept);
  const lines = filtered.map((d) => {
    const detail = d.windows.length
      ? d.windows
          .slice(0, 4)
          .map((w) => tr('resident.transit.headwayWindow', lang, { start: timeText(w.start, lang), end: timeText(w.end, lang), minutes: Math.round(w.headway / 60) }))
          .join(', ')
      : d.computed
        ? tr('resident.transit.headwayComputed', lang, {
            median: Math.round(d.computed.median / 60),
            count: d.computed.departures,
            first: timeText(d.computed.first, lang),
            last: timeText(d.computed.last, lang),
          })
        : tr('resident.transit.headwaySingle', lang, { count: 1 });
    return tr('resident.transit.directionLine', lang, { towards: towardsText(tt, d.towards, lang), time: detail });
  });
  return reply([tr('resident.transit.headwayHeader', lang, { route: label }), ...lines, basis(tt, day, lang)].join('\n'), followUps, kept);
}

/** A direction label in the resident's language when it is a stop name the feed translates. */
function towardsText(tt: TransitTimetable, towards: string, lang: string): string {
  if (lang === 'ko') return towards;
  const match = tt.searchStops(towards, 1)[0];
  return match && match.score >= 0.99 ? tt.stopName(match.stops[0]!, lang) : towards;
}

function directionLine(tt: TransitTimetable, d: DirectionTime, lang: string, withStop: boolean, basisDay: ServiceDayRef): string {
  let time = timeText(d.time, lang);
  if (withStop) time += ` ${tr('resident.transit.fromStop', lang, { stop: tt.stopName(d.stop, lang) })}`;
  if (d.day.date !== basisDay.date) time += ` ${tr('resident.transit.otherServiceDay', lang, { date: dateText(d.day.date, lang) })}`;
  return tr('resident.transit.directionLine', lang, { towards: towardsText(tt, d.towards, lang), time });
}

/** "Based on the weekday timetable for Mon 30 Nov · Source: feed, version". */
function basis(tt: TransitTimetable, day: ServiceDayRef, lang: string): string {
  const feed = tt.feed.version
    ? tr('resident.transit.feedVersion', lang, { name: tt.feed.name, version: tt.feed.version })
    : tr('resident.transit.feedDated', lang, { name: tt.feed.name, date: tt.feed.fileDate });
  const services = day.kind === 'holiday' && day.services.length ? tr('resident.transit.servicesSuffix', lang, { ids: day.services.join(', ') }) : '';
  return tr('resident.transit.basis', lang, { date: dateText(day.date, lang), day: dayKindText(day.kind, lang), services, feed });
}

/** Keeps the directions matching a "towards" hint, or all when none matches. */
function towardsFilter<T extends { towards: string }>(items: T[], hint: string | undefined): T[] {
  if (!hint) return items;
  const h = normalizeStopName(hint);
  const kept = items.filter((i) => {
    const t = normalizeStopName(i.towards);
    return !!h && !!t && (t.includes(h) || h.includes(t));
  });
  return kept.length ? kept : items;
}

/** Buttons for the route's terminals (where most residents board). */
function terminalButtons(tt: TransitTimetable, r: number, lang: string): QuickReply[] {
  return tt
    .terminals(r)
    .slice(0, MAX_BUTTONS)
    .map((stop) => ({ label: tt.stopName(stop, lang), payload: encodeTransitPayload({ type: 'stop', stopId: tt.stopId(stop) }) }));
}

/** Routes whose number differs only by dashes ("72" vs "7-2"), to offer when a number is unknown. */
function similarRoutes(tt: TransitTimetable, number: string): number[] {
  const bare = normalizeRouteNumber(number).replace(/-/g, '');
  const out: number[] = [];
  for (const variant of dashVariants(bare)) out.push(...tt.routesByNumber(variant));
  return [...new Set(out)].slice(0, MAX_BUTTONS);
}

function dashVariants(bare: string): string[] {
  const variants = [bare];
  for (let i = 1; i < bare.length; i++) variants.push(`${bare.slice(0, i)}-${bare.slice(i)}`);
  return variants;
}

/** Adds live arrivals (or the fallback note) to a next-departures answer, above its source line. */
export function withLiveArrivals(
  result: Extract<DialogueResult, { handled: true }>,
  live: { arrivals: { towards: string; minutes: number; stopsAway?: number }[] } | { unavailable: true },
  language: string,
): Extract<DialogueResult, { handled: true }> {
  const lines = result.text.split('\n');
  const footer = lines.pop()!;
  const added =
    'unavailable' in live
      ? [tr('resident.transit.liveFallback', language)]
      : live.arrivals.length === 0
        ? [tr('resident.transit.liveNone', language, { route: result.live?.label ?? '' })]
        : [
            tr('resident.transit.liveHeader', language),
            ...live.arrivals.map((a) => tr('resident.transit.liveLine', language, { towards: a.towards, minutes: a.minutes, stops: a.stopsAway ?? '?' })),
          ];
  return { ...result, text: [...lines, ...added, footer].join('\n') };
}
