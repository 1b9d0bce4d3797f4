/**
 * Raises supervisor alerts (crisis, SLA breach, abuse escalation): stored once per key across
 * instances, audited, and pushed to the consoles of supervisors who are online.
 */
import type { EventBus } from '../core/event-port';
import type { Alert, AlertKind } from '../core/handoff-port';
import type { ConsoleUser } from '../core/user-port';
import { HandoffError } from './handoff-errors';
import type { Logger } from '../core/logger-port';
import type { Store } from '../core/store-port';
import { isOnline } from './presence';

export interface AlertServiceDeps {
  store: Store;
  bus: EventBus;
  logger: Logger;
  presenceTtlMs: number;
}

export interface RaiseAlert {
  key: string;
  kind: AlertKind;
  conversationId?: string;
  message: string;
  raisedBy?: string;
  details?: Record<string, unknown>;
}

export class AlertService {
  constructor(private readonly deps: AlertServiceDeps) {}

  /** Stores the alert unless its key exists; returns it with `created` (false = raised before). */
  async raise(input: RaiseAlert): Promise<{ alert: Alert; created: boolean }> {
    const { store, bus, logger } = this.deps;
    const now = new Date();
    const supervisors = (await store.users.list({ role: 'supervisor' })).filter((u) =>
      isOnline(u, now, this.deps.presenceTtlMs),
    );
    const result = await store.alerts.raise({
      ...input,
      raisedAt: now,
      details: { ...input.details, notifiedSupervisors: supervisors.map((s) => s.id) },
    });
    if (!result.created) return result;
    if (!supervisors.length) logger.warn({ key: input.key }, 'alert raised while no supervisor is online');
    logger.warn({ kind: input.kind, conversationId: input.conversationId, key: input.key }, input.message);
    await store.audit.record({
      actor: input.raisedBy ?? 'system',
      action: `alert.${input.kind}`,
      subject: input.conversationId,
      details: { alertId: result.alert.id, key: input.key },
    });
    bus.publish('alert', result.alert);
    return result;
  }

  /** Alerts newest first; `open` true = not acknowledged yet, false = acknowledged. */
  list(open?: boolean): Promise<Alert[]> {
    return this.deps.store.alerts.list({ ...(open !== undefined && { open }), limit: 200 });
  }

  /** A supervisor acknowledges an alert (audited); 404 for an unknown id. */
  async acknowledge(user: ConsoleUser, alertId: string): Promise<Alert> {
    const { store } = this.deps;
    const existing = await store.alerts.get(alertId);
    if (!existing) throw new HandoffError(404, 'not_found', { key: 'staff.error.noSuchAlert' });
    const alert = await store.alerts.acknowledge(existing.id, user.id, new Date());
    await store.audit.record({ actor: user.id, action: 'alert.ack', subject: alert.conversationId, details: { alertId: alert.id } });
    return alert;
  }
}
