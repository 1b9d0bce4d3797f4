import type { CrisisContext, CrisisJudge } from '../../src/core/crisis-port';
import type { Classification, IntentClassifier } from '../../src/core/nlu-port';
import { understandStep } from '../../src/turn/steps/understand';
import type { TurnContext } from '../../src/core/turn-context';

/** A classifier that calls every message a crisis, with a runner-up. */
const crisisHappy: IntentClassifier = {
  name: 'test-crisis-happy',
  async classify(): Promise<Classification> {
    return {
      intent: 'crisis_support',
      confidence: 0.55,
      top: [
        { intent: 'crisis_support', confidence: 0.55 },
        { intent: 'thanks_goodbye', confidence: 0.4 },
      ],
      model: 'test',
    };
  },
};
const lexicon = { isCrisis: (text: string) => /자살|죽고\s*싶/u.test(text) };

async function understand(text: string) {
  const ctx = { text, language: 'ko', inbound: { content: { kind: 'text', text } } } as unknown as TurnContext;
  await understandStep({ classifier: () => crisisHappy, crisis: lexicon })(ctx, async () => undefined);
  return ctx.nlu!;
}

describe('understand step: crisis verdicts', () => {
  it('does not let the model call a one- or two-letter message a crisis', async () => {
    for (const text of ['계속', '네', 'ok', '계속!']) {
      const nlu = await understand(text);
      expect(nlu.crisis).toBe(false);
      expect(nlu.intent).toBe('thanks_goodbye');
    }
  });

  it('still lets the lexicon flag a short explicit word', async () => {
    const nlu = await understand('자살');
    expect(nlu.crisis).toBe(true);
  });

  it("keeps the model's crisis verdict on a message with content", async () => {
    const nlu = await understand('이제 다 정리했어요');
    expect(nlu.crisis).toBe(true);
    expect(nlu.intent).toBe('crisis_support');
  });
});

describe('understand step: crisis decided in context', () => {
  const conversation = { state: 'queued', priority: 'request', lastIntent: 'counselor_request', flow: undefined };

  async function judged(text: string, verdict: boolean, awaiting?: () => Promise<'survey_comment' | undefined>, reason = 'test') {
    const seen: { context?: CrisisContext; asked: number } = { asked: 0 };
    const judge: CrisisJudge = {
      async judge(input) {
        seen.asked++;
        seen.context = await input.context();
        return { crisis: verdict, reason };
      },
    };
    const ctx = { text, language: 'ko', conversation, inbound: { content: { kind: 'text', text } } } as unknown as TurnContext;
    await understandStep({ classifier: () => crisisHappy, crisis: lexicon, judge, ...(awaiting && { awaiting }) })(ctx, async () => undefined);
    return { nlu: ctx.nlu!, seen };
  }

  it('takes the verdict of the judge and gives a cleared crisis the runner-up intent', async () => {
    const { nlu, seen } = await judged('너무 오래 기다렸어요', false);
    expect(seen.asked).toBe(1);
    expect(nlu).toMatchObject({ crisis: false, intent: 'thanks_goodbye', confidence: 0.4 });
    expect(seen.context).toEqual({ state: 'queued', priority: 'request', lastIntent: 'counselor_request' });
  });

  it('marks crisis-like words the judge read as everyday talk, so no step answers them with crisis lines', async () => {
    expect((await judged('Trời nóng muốn chết luôn', false, undefined, 'everyday:hyperbole')).nlu.everydayTalk).toBe(true);
    expect((await judged('고마웠어요 안녕히 계세요', false, undefined, 'context-farewell')).nlu.everydayTalk).toBe(true);
    expect((await judged('무슨 말인지 모르겠네요', false, undefined, 'model-unsupported')).nlu.everydayTalk).toBeUndefined();
    expect((await judged('이제 다 정리했어요', true, undefined, 'model')).nlu.everydayTalk).toBeUndefined();
  });

  it('keeps the crisis intent when the judge says crisis', async () => {
    const { nlu } = await judged('이제 다 정리했어요', true);
    expect(nlu).toMatchObject({ crisis: true, intent: 'crisis_support' });
  });

  it('tells the judge what the bot waits for (a pending survey comment)', async () => {
    const { seen } = await judged('상담사님 그동안 고마웠어요', false, async () => 'survey_comment');
    expect(seen.context?.awaiting).toBe('survey_comment');
  });
});

describe('understand step: button presses are events', () => {
  it('never classifies a label nor checks it for crisis or abuse', async () => {
    let classified = 0;
    const counting: IntentClassifier = { name: 'counting', classify: async () => (classified++, crisisHappy.classify('', 'ko')) };
    for (const [label, payload] of [
      ['도움이 안 됐어요', 'faq-unhelpful:x'],
      ['죽고 싶을 만큼 기다렸어요', 'handoff:wait'],
    ] as const) {
      const ctx = { text: label, language: 'ko', inbound: { content: { kind: 'button', text: label, payload } } } as unknown as TurnContext;
      await understandStep({ classifier: () => counting, crisis: lexicon, abuse: { isAbusive: () => true } })(ctx, async () => undefined);
      expect(ctx.nlu).toMatchObject({ crisis: false, abusive: false, model: 'payload' });
    }
    expect(classified).toBe(0);
  });

  it('selects the intent of an intent button', async () => {
    const ctx = {
      text: '상담사 연결',
      language: 'ko',
      button: { kind: 'intent', intent: 'counselor_request' },
      inbound: { content: { kind: 'button', text: '상담사 연결', payload: 'intent:counselor_request' } },
    } as unknown as TurnContext;
    await understandStep({ classifier: () => crisisHappy, crisis: lexicon })(ctx, async () => undefined);
    expect(ctx.nlu).toMatchObject({ intent: 'counselor_request', confidence: 1, crisis: false });
  });
});
