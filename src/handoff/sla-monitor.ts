/**
 * Makes sure nothing silently vanishes from the queue: a chat waiting past its SLA raises one
 * alert to supervisors (once per queue episode, across instances), a chat whose accept stopped
 * half-way is finished, and a chat held by a counselor who went offline is reported.
 */
import type { Priority } from '../core/conversation';
import type { Logger } from '../core/logger-port';
import type { Store } from '../core/store-port';
import type { StaffKey } from '../i18n/locales';
import { STAFF_LANGUAGE, tr } from '../i18n/translate';
import type { AlertService } from './alert-service';
import type { PositionedEntry } from './handoff-service';
import { isOnline } from './presence';

export interface SlaMonitorDeps {
  store: Store;
  alerts: AlertService;
  slaMs: number;
  presenceTtlMs: number;
  logger: Logger;
}

const PRIORITY_LABELS: Record<Priority, StaffKey> = {
  crisis: 'staff.priority.crisis',
  bot_failure: 'staff.priority.bot_failure',
  request: 'staff.priority.request',
  normal: 'staff.priority.normal',
};

/** How long an accept may sit between its claim and the conversation update before repair. */
const STUCK_ACCEPT_MS = 15_000;

export class SlaMonitor {
  constructor(private readonly deps: SlaMonitorDeps) {}

  /** SLA of a priority: a crisis gets a sixth of the normal SLA, at least 10 seconds. */
  slaFor(priority: string): number {
    return priority === 'crisis' ? Math.max(10_000, Math.round(this.deps.slaMs / 6)) : this.deps.slaMs;
  }

  async run(queue: PositionedEntry[], now: Date): Promise<void> {
    for (const entry of queue) {
      await this.repairStuckAccept(entry, now);
      const waited = now.getTime() - entry.episode.queuedAt.getTime();
      const sla = this.slaFor(entry.conversation.priority);
      if (waited <= sla) continue;
      const { conversation } = entry;
      await this.deps.alerts.raise({
        key: `sla:${entry.episode.id}`,
        kind: 'sla_breach',
        conversationId: conversation.id,
        message: tr('staff.alert.slaBreach', STAFF_LANGUAGE, {
          priority: tr(PRIORITY_LABELS[conversation.priority], STAFF_LANGUAGE),
          language: conversation.language,
          channel: conversation.channel,
          waited: Math.round(waited / 1000),
          sla: Math.round(sla / 1000),
          position: entry.position,
        }),
        details: { priority: conversation.priority, language: conversation.language, waitedMs: waited, slaMs: sla, position: entry.position, callback: Boolean(entry.episode.callback) },
      });
    }
    await this.reportOrphans(now);
  }

  /** A claim won and recorded on the episode, but the conversation never moved: finish it. */
  private async repairStuckAccept(entry: PositionedEntry, now: Date): Promise<void> {
    const { episode, conversation } = entry;
    if (!episode.counselorId || !episode.assignedAt || now.getTime() - episode.assignedAt.getTime() < STUCK_ACCEPT_MS) return;
    await this.deps.store.conversations.update(conversation.id, { state: 'assigned', assigneeId: episode.counselorId });
    await this.deps.store.audit.record({
      actor: 'system',
      action: 'handoff.repair',
      subject: conversation.id,
      details: { from: 'queued', to: 'assigned', counselorId: episode.counselorId, handoffSeq: episode.handoffSeq },
    });
    this.deps.logger.warn({ conversationId: conversation.id }, 'finished an accept that stopped half-way');
  }

  /** Assigned chats whose counselor is offline: supervisors should requeue them. */
  private async reportOrphans(now: Date): Promise<void> {
    const assigned = await this.deps.store.conversations.list({ states: ['assigned'], limit: 10_000 });
    if (!assigned.length) return;
    const users = new Map((await this.deps.store.users.list()).map((u) => [u.id, u]));
    for (const c of assigned) {
      const owner = c.assigneeId ? users.get(c.assigneeId) : undefined;
      if (owner && isOnline(owner, now, this.deps.presenceTtlMs)) continue;
      await this.deps.alerts.raise({
        key: `orphan:${c.id}:${c.handoffSeq}`,
        kind: 'no_counselor',
        conversationId: c.id,
        message: tr('staff.alert.assigneeOffline', STAFF_LANGUAGE, {
          name: owner?.displayName ?? tr('staff.alert.missingAccount', STAFF_LANGUAGE),
        }),
        details: { assigneeId: c.assigneeId },
      });
    }
  }
}
