/** JSON body parsing that keeps the exact bytes, for webhook signature checks. */
import express, { type Request } from 'express';

export type RequestWithRawBody = Request & { rawBody?: Buffer };

export function jsonWithRawBody(limit = '1mb') {
  return express.json({
    limit,
    verify: (req, _res, buf) => {
      (req as RequestWithRawBody).rawBody = Buffer.from(buf);
    },
  });
}
