/**
 * Runs guided flows over the conversation record: the active flow and step live in
 * `conversation.flow`, collected values in `conversation.slots` (by step id). Reports end in a
 * ticket; complaint_status looks tickets up. Flows can be cancelled, paused by another question or
 * a crisis, and resumed.
 */
import type { ImageRef, MessageContent, QuickReply } from '../core/message';
import type { Ticket, TicketLocation } from '../core/ticket-port';
import type { TicketService } from '../tickets/ticket-service';
import { ticketSummary } from '../tickets/ticket-summary';
import type { TurnContext } from '../turn/turn-context';
import type { FlowDefinition, FlowStep } from './flow-schema';
import { FLOW_PAYLOAD, readStepInput, type StepValue } from './flow-inputs';
import { localizedText as pick } from '../core/localized';
import type { ResidentKey } from '../i18n/locales';
import { tr } from '../i18n/translate';

/** Slot keys the runner keeps for itself next to the collected values. */
const PAUSED = '_paused';
const REMINDED = '_reminded';

/** Invalid answers re-asked before a counselor is offered. */
export const MAX_REASKS = 2;
/** A flow left alone longer than this is dropped. */
export const FLOW_TTL_MS = 24 * 3_600_000;

export interface FlowRunnerDeps {
  flows: () => Map<string, FlowDefinition>;
  tickets: TicketService;
}

export class FlowRunner {
  constructor(private readonly deps: FlowRunnerDeps) {}

  /** The flow a conversation is in (undefined when none, unknown, or expired). */
  active(ctx: TurnContext): FlowDefinition | undefined {
    const state = ctx.conversation.flow;
    if (!state) return undefined;
    if (Date.now() - Date.parse(state.startedAt) > FLOW_TTL_MS) return undefined;
    return this.deps.flows().get(state.name);
  }

  /** The flow started by an intent, if any. */
  forIntent(intent: string | undefined): FlowDefinition | undefined {
    return [...this.deps.flows().values()].find((f) => f.intent === intent);
  }

  isPaused(ctx: TurnContext): boolean {
    return ctx.conversation.slots[PAUSED] === true;
  }

  /** Puts the flow on hold (another question, a crisis); its values are kept. */
  async pause(ctx: TurnContext): Promise<void> {
    await ctx.update({ slots: { ...ctx.conversation.slots, [PAUSED]: true, [REMINDED]: false } });
  }

  /** Offers to continue a paused flow, once per pause so a resident who moved on is not nagged. */
  async remind(ctx: TurnContext, flow: FlowDefinition): Promise<void> {
    if (ctx.conversation.slots[REMINDED] === true) return;
    await ctx.update({ slots: { ...ctx.conversation.slots, [REMINDED]: true } });
    ctx.reply({
      text: tr('resident.flow.paused', ctx.language, { title: pick(flow.title, ctx.language) }),
      quickReplies: [
        this.button('resident.button.continue', FLOW_PAYLOAD.resume, ctx.language),
        this.button('resident.button.cancel', FLOW_PAYLOAD.cancel, ctx.language),
      ],
    });
  }

  async resume(ctx: TurnContext, flow: FlowDefinition): Promise<void> {
    const { [PAUSED]: _p, [REMINDED]: _r, ...slots } = ctx.conversation.slots;
    await ctx.update({ slots });
    ctx.reply(tr('resident.flow.resumed', ctx.language, { title: pick(flow.title, ctx.language) }));
    await this.prompt(ctx, flow, this.currentStep(ctx, flow));
  }

  async cancel(ctx: TurnContext, flow: FlowDefinition): Promise<void> {
    await ctx.update({ flow: undefined, slots: {} });
    ctx.reply(tr('resident.flow.cancelled', ctx.language, { title: pick(flow.title, ctx.language) }));
  }

  /** Starts a flow; a first message that already answers the first step (a shared location, a reference) counts. */
  async start(ctx: TurnContext, flow: FlowDefinition, content: MessageContent): Promise<void> {
    const first = flow.steps[0]!;
    await ctx.update({
      flow: { name: flow.name, step: first.id, retries: 0, startedAt: new Date().toISOString() },
      slots: {},
    });
    ctx.reply(pick(flow.intro, ctx.language));
    const prefill =
      first.type === 'location'
        ? content.location
          ? readStepInput(first, { location: content.location })
          : undefined
        : first.type === 'ticket_reference'
          ? readStepInput(first, content)
          : undefined;
    if (prefill) await this.accept(ctx, flow, first, prefill);
    else await this.prompt(ctx, flow, first);
  }

  /** The step the conversation is on. */
  currentStep(ctx: TurnContext, flow: FlowDefinition): FlowStep {
    return flow.steps.find((s) => s.id === ctx.conversation.flow?.step) ?? flow.steps[0]!;
  }

  /** Reads the message as the current step's answer; false when it does not answer it. */
  async answer(ctx: TurnContext, flow: FlowDefinition, content: MessageContent): Promise<boolean> {
    const step = this.currentStep(ctx, flow);
    const value = readStepInput(step, content);
    if (!value) return false;
    await this.accept(ctx, flow, step, value);
    return true;
  }

  /** Re-asks politely after an answer that does not fit; after MAX_REASKS offers a counselor. */
  async reask(ctx: TurnContext, flow: FlowDefinition): Promise<void> {
    const state = ctx.conversation.flow!;
    const step = this.currentStep(ctx, flow);
    const retries = state.retries + 1;
    if (retries > MAX_REASKS) {
      // Start counting again, so the resident can still try after declining the counselor.
      await ctx.update({ flow: { ...state, retries: 0 } });
      ctx.reply({
        text: tr('resident.flow.tooManyRetries', ctx.language),
        quickReplies: [
          { label: tr('resident.button.talkToCounselor', ctx.language), payload: 'intent:counselor_request' },
          this.button('resident.button.cancel', FLOW_PAYLOAD.cancel, ctx.language),
        ],
      });
      return;
    }
    await ctx.update({ flow: { ...state, retries } });
    if (step.invalid) ctx.reply(pick(step.invalid, ctx.language));
    await this.prompt(ctx, flow, step);
  }

  private async accept(
    ctx: TurnContext,
    flow: FlowDefinition,
    step: FlowStep,
    value: StepValue,
  ): Promise<void> {
    if (value.kind === 'confirm' && !value.value) return this.cancel(ctx, flow);
    if (value.kind === 'mine' || value.kind === 'reference') {
      await ctx.update({ flow: undefined, slots: {} });
      return this.lookup(ctx, value.kind === 'reference' ? value.value : undefined);
    }
    const slots = { ...ctx.conversation.slots };
    if (value.kind !== 'confirm') slots[step.id] = value.value;
    const index = flow.steps.findIndex((s) => s.id === step.id);
    const next = flow.steps[index + 1];
    if (next) {
      await ctx.update({ slots, flow: { ...ctx.conversation.flow!, step: next.id, retries: 0 } });
      return this.prompt(ctx, flow, next);
    }
    await ctx.update({ slots });
    if (flow.action === 'create_ticket') await this.createTicket(ctx, flow);
    await ctx.update({ flow: undefined, slots: {} });
  }

  private async createTicket(ctx: TurnContext, flow: FlowDefinition): Promise<void> {
    const slots = ctx.conversation.slots;
    const location = flow.steps.find((s) => s.type === 'location');
    const description = flow.steps.find((s) => s.type === 'text');
    const photo = flow.steps.find((s) => s.type === 'photo');
    const place = location ? (slots[location.id] as TicketLocation | undefined) : undefined;
    const ticket = await this.deps.tickets.create({
      category: flow.category ?? flow.name,
      residentId: ctx.conversation.residentId,
      conversationId: ctx.conversation.id,
      channel: ctx.conversation.channel,
      externalUserId: ctx.conversation.externalUserId,
      language: ctx.language,
      ...(place && { location: place }),
      description: description ? String(slots[description.id] ?? '') : '',
      photos: photo ? ((slots[photo.id] as ImageRef[] | undefined) ?? []) : [],
    });
    ctx.reply({
      text: pick(flow.done!, ctx.language).replace(/\{reference\}/g, ticket.reference),
      quickReplies: [{ label: ticket.reference, payload: `flow:ref:${ticket.reference}` }],
    });
  }

  /** Answers a status question: one ticket by reference, or the resident's recent ones. */
  async lookup(ctx: TurnContext, reference: string | undefined): Promise<void> {
    const lang = ctx.language;
    const titleOf = (t: Ticket) =>
      pick(this.deps.flows().get(t.category)?.title ?? { ko: t.category, en: t.category }, lang);
    const mine = await this.deps.tickets.list({ residentId: ctx.conversation.residentId, limit: 5 });
    if (reference) {
      const ticket = await this.deps.tickets.find(reference);
      // Only the resident's own tickets: references are sequential and easy to guess.
      if (!ticket || ticket.residentId !== ctx.conversation.residentId) {
        ctx.reply({
          text: tr('resident.ticket.notFound', lang, { reference }),
          quickReplies: mine.length ? [this.button('resident.button.myReports', FLOW_PAYLOAD.mine, lang)] : [],
        });
        return;
      }
      ctx.reply(ticketSummary(ticket, titleOf(ticket), lang));
      return;
    }
    if (!mine.length) {
      ctx.reply(tr('resident.ticket.noneInChat', lang));
      return;
    }
    ctx.reply({
      text: [tr('resident.ticket.yoursHeader', lang), ...mine.map((t) => ticketSummary(t, titleOf(t), lang))].join('\n'),
      quickReplies: mine.slice(0, 3).map((t) => ({ label: t.reference, payload: `flow:ref:${t.reference}` })),
    });
  }

  /** Asks for a step, with the buttons that fit it. */
  async prompt(ctx: TurnContext, flow: FlowDefinition, step: FlowStep): Promise<void> {
    const lang = ctx.language;
    const cancel = this.button('resident.button.cancel', FLOW_PAYLOAD.cancel, lang);
    switch (step.type) {
      case 'photo':
        ctx.reply({
          text: pick(step.prompt, lang),
          quickReplies: [
            ...(step.optional ? [this.button('resident.button.noPhoto', FLOW_PAYLOAD.skip, lang)] : []),
            cancel,
          ],
        });
        return;
      case 'confirm':
        ctx.reply({
          text: `${this.summary(ctx, flow)}\n${pick(step.prompt, lang)}`,
          quickReplies: [
            this.button('resident.button.submitYes', FLOW_PAYLOAD.yes, lang),
            this.button('resident.button.submitNo', FLOW_PAYLOAD.no, lang),
          ],
        });
        return;
      case 'ticket_reference': {
        const mine = await this.deps.tickets.list({ residentId: ctx.conversation.residentId, limit: 3 });
        ctx.reply({
          text: pick(step.prompt, lang),
          quickReplies: [
            ...mine.map((t) => ({ label: t.reference, payload: `flow:ref:${t.reference}` })),
            this.button('resident.button.myReports', FLOW_PAYLOAD.mine, lang),
          ],
        });
        return;
      }
      default:
        ctx.reply({ text: pick(step.prompt, lang), quickReplies: [cancel] });
    }
  }

  /** What the resident is about to submit. */
  private summary(ctx: TurnContext, flow: FlowDefinition): string {
    const lang = ctx.language;
    const slots = ctx.conversation.slots;
    const lines = [tr('resident.flow.summaryHeader', lang), `- ${tr('resident.flow.summaryType', lang)}: ${pick(flow.title, lang)}`];
    for (const step of flow.steps) {
      const value = slots[step.id];
      if (step.type === 'location' && value) {
        const v = value as TicketLocation;
        const where =
          v.address ??
          tr('resident.flow.mapPin', lang, { lat: v.latitude?.toFixed(5) ?? '', lon: v.longitude?.toFixed(5) ?? '' });
        lines.push(`- ${tr('resident.flow.summaryLocation', lang)}: ${where}`);
      } else if (step.type === 'text' && typeof value === 'string') {
        lines.push(`- ${tr('resident.flow.summaryDescription', lang)}: ${value}`);
      } else if (step.type === 'photo') {
        const n = Array.isArray(value) ? value.length : 0;
        lines.push(
          `- ${tr('resident.flow.summaryPhotos', lang)}: ${n ? tr('resident.flow.photoCount', lang, { n }) : tr('resident.flow.noPhotos', lang)}`,
        );
      }
    }
    return lines.join('\n');
  }

  private button(
    key: ResidentKey,
    payload: string,
    lang: string,
  ): QuickReply {
    return { label: tr(key, lang), payload };
  }
}
