/**
 * Route numbers and rail line names as residents write them. Bus numbers match exactly after
 * unifying dashes, width and case ("7-2" is never "72"); rail lines are found by name inside the
 * text ("신분당선" wins over the "분당선" inside it).
 */

/** GTFS route types residents call subway or train (basic and extended types). */
export function isRailType(routeType: number): boolean {
  return [0, 1, 2, 5, 6, 7, 11, 12].includes(routeType) || (routeType >= 100 && routeType < 200) || (routeType >= 400 && routeType < 500) || (routeType >= 900 && routeType < 1000);
}

/** Canonical form of a route number: "７－２번" -> "7-2", "m 5107" -> "M5107". */
export function normalizeRouteNumber(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[‐‑‒–—―−－~]/g, '-')
    .replace(/\s+/g, '')
    .replace(/(번|路|号|số)$/u, '')
    .replace(/^(số)/u, '')
    .toUpperCase();
}

/** Words that, right after a number, make it a time, count or rail line rather than a bus number. */
const NOT_A_ROUTE_AFTER = /^\s*(?:시|분|초|일|월|년|호선|호|명|원|개|번째|층|살|세|정거장|정류장\s*전|km|m\b|%|:|h\b|min|minutes?\b|\/|\.\d|hours?\b|am\b|pm\b|点|分|号线|giờ|phút)/iu;
const ROUTE_TOKEN = /(?<![A-Za-z\p{N}\-:/.])([A-Za-z]{0,3}\d{1,5}(?:-\d{1,4})?[A-Za-z]?)(?![\p{N}-]|[A-Za-z]{2})/gu;
/** "번" after the number, or "bus"/"route" before it, marks a route number for sure. */
const STRONG_AFTER = /^\s*(?:번|路|bus\b)/iu;
const STRONG_BEFORE = /(?:bus|route|tuyến|xe buýt|số)\s*(?:no\.?|number|#)?\s*$/iu;

export interface RouteToken {
  /** Normalized number. */
  number: string;
  /** Marked by 번 / "bus" / "route": a route number even when no feed knows it. */
  strong: boolean;
}

/** Candidate route numbers in the text, in order; phone numbers and times are left out. */
export function routeTokens(text: string): RouteToken[] {
  const s = text.normalize('NFKC').replace(/[‐‑‒–—―−－]/g, '-');
  const tokens: RouteToken[] = [];
  for (const m of s.matchAll(ROUTE_TOKEN)) {
    const raw = m[1]!;
    const end = (m.index ?? 0) + m[0].length;
    const after = s.slice(end);
    if (NOT_A_ROUTE_AFTER.test(after)) continue;
    // Part of a longer dashed number (a phone number such as 010-1234-5678).
    if (/^-\d/.test(after) || /\d-$/.test(s.slice(0, m.index))) continue;
    const strong = STRONG_AFTER.test(after) || STRONG_BEFORE.test(s.slice(0, m.index));
    tokens.push({ number: normalizeRouteNumber(raw), strong });
  }
  return tokens;
}

/** Comparison form of a rail line name (spaces and case dropped). */
export function normalizeLineName(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\-_.·]+/g, '');
}

/** The names a rail line is called by, from its GTFS short and long names. */
export function railLineAliases(shortName: string, longName: string): string[] {
  const names = new Set<string>();
  for (const raw of [shortName, longName]) {
    const n = normalizeLineName(raw);
    if (!n) continue;
    const number = /^(?:line)?(\d+)(?:호선|号线|line)?$/.exec(n)?.[1];
    if (number) for (const alias of [`${number}호선`, `line${number}`, `${number}号线`, `tuyến${number}`, `${number}line`]) names.add(alias);
    else {
      names.add(n);
      // "수인분당선" is also said "수인분당라인"; "gtx-a" also "gtxa선".
      if (n.endsWith('선')) names.add(`${n.slice(0, -1)}라인`);
      if (n.length >= 3 && !n.endsWith('선') && !n.endsWith('line')) names.add(`${n}선`);
      if (n.endsWith('line') && n.length > 6) names.add(n.slice(0, -4));
    }
  }
  return [...names].filter((n) => n.length >= 2);
}
