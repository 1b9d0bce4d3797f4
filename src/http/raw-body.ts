/** JSON body parsing that keeps the exact bytes, for webhook signature checks. */
import express, { type Request } from 'express';
import { refuseDeepJson } from './json-depth';

export type RequestWithRawBody = Request & { rawBody?: Buffer };

/** Parses JSON up to `limit` bytes, refusing deep nesting before parsing, and keeps the raw bytes. */
export function jsonWithRawBody(limit = '1mb') {
  const refuseDeep = refuseDeepJson();
  return express.json({
    limit,
    verify: (req, res, buf) => {
      refuseDeep(req, res, buf);
      (req as RequestWithRawBody).rawBody = Buffer.from(buf);
    },
  });
}

/** Plain JSON parsing for our own APIs: `limit` bytes at most, deep nesting refused before parsing. */
export function boundedJson(limit: string) {
  return express.json({ limit, verify: refuseDeepJson() });
}
