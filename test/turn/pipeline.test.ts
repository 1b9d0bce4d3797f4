/** Step composition (when guards, chains) and the order of the bot turn; the crisis guard over real storage. */
import type { ConversationState } from '../../src/core/conversation';
import { textOf, type MessageContent } from '../../src/core/message';
import type { TurnContext, TurnNlu, TurnStep } from '../../src/core/turn-context';
import { chain, composeSteps, turnPipeline, when, type PipelineSteps } from '../../src/turn/pipeline';
import { crisisGuardStep } from '../../src/turn/steps/crisis-guard';
import { tr, translate } from '../../src/i18n/translate';
import { eventually } from '../console/console-client';
import { startTurnHarness, type TurnHarness } from '../support/turn-harness';

/** A step that records its name and goes on. */
const recorder = (log: string[]) => (name: string): TurnStep => async (_ctx, next) => {
  log.push(name);
  await next();
};

describe('step composition', () => {
  const ctx = {} as TurnContext;

  it('runs guarded steps only when the guard holds, and goes on either way', async () => {
    const log: string[] = [];
    const step = recorder(log);
    await composeSteps([when(() => false, step('skipped')), when(() => true, step('a'), step('b')), step('after')])(ctx);
    expect(log).toEqual(['a', 'b', 'after']);
  });

  it('ends the turn at a step that does not call next, and refuses next called twice', async () => {
    const log: string[] = [];
    const stop: TurnStep = async () => undefined;
    await composeSteps([chain([recorder(log)('first'), stop]), recorder(log)('never')])(ctx);
    expect(log).toEqual(['first']);
    const twice: TurnStep = async (_c, next) => {
      await next();
      await next();
    };
    await expect(composeSteps([twice])(ctx)).rejects.toThrow(/called next\(\) twice/);
  });
});

describe('the bot turn in order', () => {
  /** Runs the pipeline with recording steps; `understand` sets the verdict, crisisGuard ends the turn. */
  async function run(nlu: Partial<TurnNlu>, state: ConversationState = 'bot', button?: TurnContext['button']) {
    const log: string[] = [];
    const step = recorder(log);
    const steps: PipelineSteps = {
      detectLanguage: step('detectLanguage'),
      languageNotice: step('languageNotice'),
      understand: async (c, next) => {
        log.push('understand');
        c.nlu = { intent: 'greeting', confidence: 1, top: [], model: 'test', crisis: false, abusive: false, ...nlu };
        await next();
      },
      markHearingImpaired: step('markHearingImpaired'),
      keepAbuseEvidence: step('keepAbuseEvidence'),
      captureSurvey: step('captureSurvey'),
      queueChoice: async () => {
        log.push('queueChoice');
      },
      handoffFollowUp: step('handoffFollowUp'),
      acknowledgeQueued: async () => {
        log.push('acknowledgeQueued');
      },
      pauseFlow: step('pauseFlow'),
      crisisGuard: async () => {
        log.push('crisisGuard');
      },
      welcome: step('welcome'),
      twoNeeds: step('twoNeeds'),
      flow: step('flow'),
      transit: step('transit'),
      signLanguage: step('signLanguage'),
      faq: step('faq'),
      answerIntent: step('answerIntent'),
    };
    const ctx = { conversation: { state }, button } as TurnContext;
    await turnPipeline(steps)(ctx);
    lastEndedBy = ctx.endedBy;
    return log;
  }
  /** The step that ended the last run's turn. */
  let lastEndedBy: string | undefined;
  async function endedBy(...args: Parameters<typeof run>) {
    await run(...args);
    return lastEndedBy;
  }

  it('answers an ordinary message with the bot steps after the handoff steps', async () => {
    expect(await run({})).toEqual(['detectLanguage', 'languageNotice', 'understand', 'markHearingImpaired', 'captureSurvey', 'handoffFollowUp', 'welcome', 'twoNeeds', 'flow', 'transit', 'signLanguage', 'faq', 'answerIntent']);
  });

  it('names the step that ended the turn (logs and metrics), and none when every step passed on', async () => {
    expect(await endedBy({ crisis: true })).toBe('crisisGuard');
    expect(await endedBy({}, 'queued', { kind: 'queue-choice', choice: 'keep-waiting' })).toBe('queueChoice');
    expect(await endedBy({})).toBeUndefined();
  });

  it('keeps abuse evidence for an abusive message', async () => {
    expect(await run({ abusive: true })).toContain('keepAbuseEvidence');
  });

  it('sends a crisis past a waiting survey to the flow pause and the crisis guard, and ends there', async () => {
    expect(await run({ crisis: true })).toEqual(['detectLanguage', 'languageNotice', 'understand', 'markHearingImpaired', 'handoffFollowUp', 'pauseFlow', 'crisisGuard']);
  });

  it('keeps the bot silent while people own the conversation, except for a queued resident’s choice', async () => {
    expect(await run({}, 'assigned')).toEqual(['detectLanguage', 'languageNotice', 'understand', 'markHearingImpaired', 'captureSurvey', 'handoffFollowUp']);
    expect(await run({}, 'queued', { kind: 'queue-choice', choice: 'leave-message' })).toEqual([
      'detectLanguage',
      'languageNotice',
      'understand',
      'markHearingImpaired',
      'captureSurvey',
      'queueChoice',
    ]);
  });

  it('acknowledges what a queued resident writes, and ends the turn there', async () => {
    expect(await run({}, 'queued')).toEqual(['detectLanguage', 'languageNotice', 'understand', 'markHearingImpaired', 'captureSurvey', 'handoffFollowUp', 'acknowledgeQueued']);
  });

  it('sends a queued resident’s crisis to the crisis guard instead of the acknowledgement', async () => {
    expect(await run({ crisis: true }, 'queued')).toEqual(['detectLanguage', 'languageNotice', 'understand', 'markHearingImpaired', 'handoffFollowUp', 'pauseFlow', 'crisisGuard']);
  });
});

describe('crisis guard (in-memory channel and store)', () => {
  let h: TurnHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** The guard behind a stand-in understanding step that calls everything a crisis. */
  const pipeline = composeSteps([
    async (ctx, next) => {
      ctx.nlu = { intent: 'crisis_support', confidence: 1, top: [], model: 'test', crisis: true, abusive: false };
      await next();
    },
    crisisGuardStep(translate),
  ]);

  it('answers with the crisis lines and puts the chat at the top of the queue', async () => {
    h = await startTurnHarness({ pipeline });
    const { conversationId } = await h.channel.say('jo', '더 이상 살고 싶지 않아요');
    const [reply] = await h.channel.waitForSent('jo', 1);
    expect(textOf(reply!.content)).toBe(tr('resident.turn.crisis', 'ko'));
    expect(await h.store.conversations.get(conversationId)).toMatchObject({ state: 'queued', priority: 'crisis', handoffSeq: 1 });
  });

  it('leaves a counselor’s chat with the counselor, raising its priority without a bot reply', async () => {
    h = await startTurnHarness({ pipeline });
    const c = await h.inbound.openConversation({ channel: 'memory', externalUserId: 'kai' });
    await h.store.conversations.update(c.id, { state: 'assigned', assigneeId: 'counselor-1', priority: 'request', handoffSeq: 1 });
    const content: MessageContent = { kind: 'text', text: '죽고 싶어요' };
    const { messageId } = await h.inbound.dispatch({ channel: 'memory', externalUserId: 'kai', channelMessageId: 'k-1', content });
    await eventually(async () => Boolean((await h!.store.messages.get(messageId))?.handledAt));
    expect(await h.store.conversations.get(c.id)).toMatchObject({ state: 'assigned', assigneeId: 'counselor-1', priority: 'crisis', handoffSeq: 1 });
    expect((await h.store.messages.listByConversation(c.id)).filter((m) => m.direction === 'outbound')).toEqual([]);
  });
});
