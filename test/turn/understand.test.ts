import type { CrisisContext, CrisisJudge } from '../../src/core/crisis-port';
import type { Classification, IntentClassifier } from '../../src/core/nlu-port';
import { understandStep } from '../../src/turn/steps/understand';
import type { TurnContext } from '../../src/turn/turn-context';

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
  const ctx = { text, language: 'ko' } as unknown as TurnContext;
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

  async function judged(text: string, verdict: boolean, awaiting?: () => Promise<'survey_comment' | undefined>) {
    const seen: { context?: CrisisContext; asked: number } = { asked: 0 };
    const judge: CrisisJudge = {
      async judge(input) {
        seen.asked++;
        seen.context = await input.context();
        return { crisis: verdict, reason: 'test' };
      },
    };
    const ctx = { text, language: 'ko', conversation } as unknown as TurnContext;
    await understandStep({ classifier: () => crisisHappy, crisis: lexicon, judge, ...(awaiting && { awaiting }) })(ctx, async () => undefined);
    return { nlu: ctx.nlu!, seen };
  }

  it('takes the verdict of the judge and gives a cleared crisis the runner-up intent', async () => {
    const { nlu, seen } = await judged('너무 오래 기다렸어요', false);
    expect(seen.asked).toBe(1);
    expect(nlu).toMatchObject({ crisis: false, intent: 'thanks_goodbye', confidence: 0.4 });
    expect(seen.context).toEqual({ state: 'queued', priority: 'request', lastIntent: 'counselor_request' });
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
