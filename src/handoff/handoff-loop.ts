/**
 * Runs the queue on each instance: a pass (auto-route, position notices, SLA checks) every tick
 * and soon after queue changes seen here. Passes and in-turn escalations run one at a time per
 * instance; across instances the unique claims and alert keys keep the outcome single.
 */
import type { Conversation } from '../core/conversation';
import type { Logger } from '../core/logger-port';
import type { OutboundDraft } from '../core/message';
import type { AutoRouter } from './auto-router';
import type { HandoffService } from './handoff-service';
import { tr } from '../i18n/translate';
import type { QueueNotifier } from './queue-notifier';
import type { SlaMonitor } from './sla-monitor';

export interface HandoffLoopDeps {
  handoff: HandoffService;
  router: AutoRouter;
  notifier: QueueNotifier;
  sla: SlaMonitor;
  routing: 'auto' | 'manual';
  tickMs: number;
  logger: Logger;
}

export class HandoffLoop {
  private timer?: NodeJS.Timeout;
  private soon?: NodeJS.Timeout;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: HandoffLoopDeps) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.requestPass(), this.deps.tickMs);
    this.timer.unref();
    this.requestPass();
  }

  /** Stops the timers and waits for the running pass. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.soon);
    await this.chain.catch(() => undefined);
  }

  /** Schedules a pass shortly (coalescing bursts of events into one). */
  requestPass(): void {
    if (this.stopped || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.exclusive(() => this.pass()).catch((err) => this.deps.logger.error({ err }, 'handoff pass failed'));
    }, 25);
    this.soon.unref();
  }

  /** One pass: route (ROUTING=auto), tell residents their position, check SLAs. */
  async pass(): Promise<void> {
    const { handoff, router, notifier, sla } = this.deps;
    let queue = await handoff.queue();
    if (this.deps.routing === 'auto' && queue.length) {
      const assigned = await router.route(queue);
      if (assigned.length) queue = await handoff.queue();
    }
    const now = new Date();
    if (queue.length) await notifier.run(queue, await notifier.staffing(now));
    await sla.run(queue, now);
  }

  /**
   * A bot turn just queued this conversation: route it at once when possible and return the
   * resident notice (counselor joined, or position and wait) to send after the turn's replies.
   */
  async onTurnEscalated(conversation: Conversation): Promise<OutboundDraft[]> {
    return this.exclusive(async () => {
      const { handoff, router, notifier } = this.deps;
      await handoff.episodeFor(conversation);
      let queue = await handoff.queue();
      let entry = queue.find((e) => e.conversation.id === conversation.id);
      if (!entry) return [];
      if (this.deps.routing === 'auto') {
        const assigned = await router.route([entry], { notify: false });
        if (assigned.length) {
          return [{ author: 'system', content: { text: await this.joinedText(conversation.id, conversation.language) } }];
        }
        queue = await handoff.queue();
        entry = queue.find((e) => e.conversation.id === conversation.id);
        if (!entry) return [];
      }
      const now = new Date();
      await notifier.markTold(entry, now);
      return [{ author: 'system', content: notifier.notice(entry, await notifier.staffing(now)) }];
    });
  }

  private async joinedText(conversationId: string, language: string): Promise<string> {
    const name = await this.deps.handoff.assigneeName(conversationId);
    return tr('resident.handoff.counselorJoined', language, { name: name ?? '' });
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
