/** The shape of the console API's route table (console-routes.ts) and what its handlers get. */
import type { Request, RequestHandler, Response } from 'express';
import type { ZodType } from 'zod';
import type { CannedAnswerSearch } from '../core/knowledge-port';
import type { Store } from '../core/store-port';
import type { ConsoleRole } from '../core/user-port';
import type { HandoffModule } from '../handoff/handoff-module';
import type { AbuseService } from './abuse-service';
import type { CaseViewService } from './case-view-service';
import type { Authenticated, ConsoleAuth } from './console-auth';
import type { UserAdminService } from './user-admin-service';

/** What a handler gets: the request, the response, and who is signed in. */
export interface RouteContext {
  req: Request;
  res: Response;
  /** Present on every route except public ones. */
  auth: Authenticated;
}

/** One route of the console API, enforced by console-router.ts and documented by console-openapi.ts. */
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

/** The services route handlers call. */
export interface ConsoleRouteDeps {
  store: Store;
  handoff: HandoffModule;
  auth: ConsoleAuth;
  cases: CaseViewService;
  abuse: AbuseService;
  users: UserAdminService;
  canned: CannedAnswerSearch;
  loginLimiters: RequestHandler[];
}

/** Who may call a route. */
export const STAFF: ConsoleRole[] = ['counselor', 'supervisor'];
export const SUPERVISOR: ConsoleRole[] = ['supervisor'];
export const ADMIN: ConsoleRole[] = ['admin'];

/** A path parameter of the request ('' when absent). */
export const routeParam = (req: Request, name = 'id') => String(req.params[name] ?? '');
