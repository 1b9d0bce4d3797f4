/**
 * Console routes for sign-in locks: supervisors and admins see which accounts are refusing
 * sign-ins from every address after a guessing campaign, and lift the lock (audited). Per-address
 * delays need no unlock: they only slow down the address that guessed.
 */
import { z } from 'zod';
import type { Store } from '../core/store-port';
import type { ConsoleRole } from '../core/user-port';
import { HandoffError } from '../handoff/handoff-errors';
import type { ConsoleAuth } from './console-auth';
import type { ConsoleRoute } from './console-routes';
import { toUserView } from './console-views';

export interface AccountLockRouteDeps {
  store: Store;
  auth: ConsoleAuth;
}

const LOCK_MANAGERS: ConsoleRole[] = ['supervisor', 'admin'];
/** Accounts looked at by the lock list at most (the center has tens of staff accounts). */
const MAX_ACCOUNTS = 1_000;

const lockView = z.object({
  userId: z.string(),
  login: z.string(),
  displayName: z.string(),
  role: z.string(),
  lockedForSeconds: z.number().int(),
});

/** GET /account-locks and POST /users/:id/unlock. */
export function accountLockRoutes({ store, auth }: AccountLockRouteDeps): ConsoleRoute[] {
  return [
    {
      method: 'get',
      path: '/account-locks',
      roles: LOCK_MANAGERS,
      summary: 'Accounts refusing sign-ins from every address after many wrong passwords, and for how long',
      response: z.object({ items: z.array(lockView) }),
      async handler() {
        const users = (await store.users.list()).slice(0, MAX_ACCOUNTS);
        const items = [];
        for (const u of users) {
          const waitMs = await auth.lockWait(u);
          if (waitMs > 0)
            items.push({ userId: u.id, login: u.login, displayName: u.displayName, role: u.role, lockedForSeconds: Math.ceil(waitMs / 1000) });
        }
        return { items };
      },
    },
    {
      method: 'post',
      path: '/users/:id/unlock',
      roles: LOCK_MANAGERS,
      summary: 'Lift every sign-in delay of an account (supervisors: counselor and supervisor accounts)',
      conflicts: '403 supervisors cannot unlock admin accounts; 404 no such user',
      async handler({ req, auth: a }) {
        const user = await store.users.get(String(req.params.id ?? ''));
        if (!user) throw new HandoffError(404, 'not_found', { key: 'staff.error.noSuchUser' });
        if (user.role === 'admin' && a.user.role !== 'admin') throw new HandoffError(403, 'forbidden', { key: 'staff.error.adminUnlockOnly' });
        return { user: toUserView(await auth.unlock(user, a.user.id)) };
      },
    },
  ];
}
