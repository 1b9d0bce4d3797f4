/**
 * What a resident's message says about transit, in ko/en/zh/vi: the kind of question (first, last,
 * next departures, headway), bus or rail, route numbers, stop names and a direction hint. Pure
 * text analysis; whether a number or name exists is the timetable's business.
 */
import { routeTokens, type RouteToken } from './route-names';

export type TransitKind = 'first' | 'last' | 'next' | 'headway';
export type TransitMode = 'bus' | 'rail';

export interface TransitQuestion {
  kind?: TransitKind;
  mode?: TransitMode;
  routes: RouteToken[];
  /** Stop or station names as written ("경기도청 정류장", "Suwon Station"), in order. */
  stops: string[];
  /** Where the resident is heading ("광교 가는", "to Gangnam"), to pick a direction. */
  towards?: string;
}

const KIND_CUES: [TransitKind, RegExp][] = [
  ['headway', /배차|간격|몇\s*분\s*마다|얼마나\s*자주|자주\s*(?:와|오|다녀|있)|how\s+often|frequen|headway|interval|every\s+how|间隔|多久一班|几分钟一班|bao\s+lâu|tần\s+suất|giãn\s+cách|mấy\s+phút\s+một/iu],
  ['first', /첫\s*차|첫\s*(?:버스|열차|전철|지하철|운행)|몇\s*시부터|first|earliest|首班|头班|chuyến\s+đầu|đầu\s+tiên|sớm\s+nhất/iu],
  ['last', /막\s*차|마지막\s*(?:버스|열차|전철|지하철|차|운행)|몇\s*시까지|끊기|끊겨|끊어|last\s+(?:bus|train|subway|departure|one)|\blast\b|latest|末班|最后一班|chuyến\s+cuối|muộn\s+nhất/iu],
  ['next', /다음\s*(?:버스|열차|차|전철)|언제\s*(?:와|오|도착|출발|있)|몇\s*분\s*(?:남|뒤|후)|도착\s*(?:시간|예정)|어디쯤|곧\s*와|\bnext\b|when\s+(?:does|will|is)\b.*\b(?:come|arriv|leave|depart)|arriv|下一班|什么时候(?:到|来)|几点到|还有几分钟|chuyến\s+tiếp|khi\s+nào\s+(?:đến|tới)|bao\s+giờ\s+(?:đến|tới)|sắp\s+đến/iu],
];
const RAIL = /지하철|전철|열차|호선|기차|subway|metro|\btrain|地铁|号线|列车|tàu\s*điện|\btàu\b|\bline\s*\d/iu;
const BUS = /버스|\bbus|公交|巴士|xe\s*buýt/iu;

/** Korean particles and endings after a stop name. */
const KO_PARTICLE = /(?:에서|에서는|에서의|에|앞에서|앞|까지|부터|으로|로|은|는|이|가|을|를|의|쪽|근처)$/u;
const KO_STOP_WORD = /(역|정류장|정류소|터미널|승강장)(?:에서|에서는|에|앞|까지|부터|으로|로|은|는|이|가|을|를|의)?$/u;

/** Reads one message. */
export function parseTransitQuestion(text: string): TransitQuestion {
  const t = text.normalize('NFKC');
  const kind = KIND_CUES.find(([, re]) => re.test(t))?.[0];
  const mode: TransitMode | undefined = RAIL.test(t) ? 'rail' : BUS.test(t) ? 'bus' : undefined;
  return {
    ...(kind && { kind }),
    ...(mode && { mode }),
    routes: routeTokens(t),
    stops: stopPhrases(t),
    ...directionHint(t),
  };
}

function stopPhrases(t: string): string[] {
  const found: string[] = [];
  const add = (s: string | undefined) => {
    const v = s?.trim();
    if (v && v.length >= 2 && !found.includes(v)) found.push(v);
  };
  // Korean: a word ending in 역/정류장/정류소 (the bare word takes the word before it).
  const words = t.split(/\s+/).filter(Boolean);
  words.forEach((w, i) => {
    const clean = w.replace(/[?!.,~]+$/u, '');
    const m = KO_STOP_WORD.exec(clean);
    if (!m) return;
    const bare = clean.slice(0, clean.length - m[0].length);
    if (bare && !/\d/.test(bare)) add(bare + m[1]);
    else if (!bare && i > 0) add(`${words[i - 1]!.replace(KO_PARTICLE, '')} ${m[1]}`);
  });
  // Korean "X에서" (from X) when X is not a route number.
  for (const m of t.matchAll(/([가-힣A-Za-z][가-힣A-Za-z0-9]{1,14})에서/gu)) if (!/(정류장|정류소|역)$/.test(m[1]!)) add(m[1]);
  // English: "at/from X (stop|station)" or "X station/stop".
  for (const m of t.matchAll(/\b(?:at|from)\s+((?:[A-Za-z][\w'-]*\s+){0,3}?(?:station|stop))\b/giu)) add(m[1]);
  for (const m of t.matchAll(/((?:[A-Z][\w'-]*\s+){1,3}(?:Station|Stop|station|stop))\b/gu)) add(m[1]);
  for (const m of t.matchAll(/\b(?:at|from)\s+([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3})/gu)) add(m[1]);
  // Chinese: "在X站" / "X站".
  for (const m of t.matchAll(/在?([\u4e00-\u9fa5A-Za-z0-9]{1,10}?站)/gu)) add(m[1]);
  // Vietnamese: "trạm/ga/bến X".
  for (const m of t.matchAll(/(?:trạm|ga|bến)\s+([^\s,?.!]+(?:\s+[^\s,?.!]+)?)/giu)) add(m[1]);
  return found;
}

function directionHint(t: string): { towards?: string } {
  const patterns = [
    /([가-힣A-Za-z0-9]{2,15}?)\s*(?:방향|방면|행)(?=\s|$|[?.!,])/u,
    /([가-힣A-Za-z0-9]{2,15}?)(?:으로|로)?\s*가는/u,
    /\b(?:to|towards?|bound\s+for)\s+([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2})/u,
    /(?:往|去|开往)([\u4e00-\u9fa5]{2,8})/u,
    /(?:đi|hướng|về)\s+([^\s,?.!]+(?:\s+[^\s,?.!]+)?)/iu,
  ];
  for (const re of patterns) {
    const m = re.exec(t);
    const v = m?.[1]?.replace(KO_PARTICLE, '').trim();
    if (v && !/^\d/.test(v)) return { towards: v };
  }
  return {};
}

/** True when the message is plausibly an answer naming a stop (short, no question cue of its own). */
export function looksLikeName(text: string): boolean {
  const t = text.trim();
  return t.length >= 2 && t.length <= 40 && !/[?？]$/.test(t);
}
