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
