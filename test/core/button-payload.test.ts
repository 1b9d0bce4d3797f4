import { decodeButton, encodeButton, type ButtonPayload } from '../../src/core/button-payload';

/** One button of every kind, with ids as long as the service makes them. */
const SURVEY_ID = 'mbx1k2q3r4AbCdEfGhIjKl'; // newId(): 22 characters
const BUTTONS: ButtonPayload[] = [
  { kind: 'intent', intent: 'counselor_request' },
  { kind: 'intent', intent: 'admin_added_intent' },
  { kind: 'retry' },
  ...(['cancel', 'resume', 'skip', 'yes', 'no', 'mine'] as const).map((action) => ({ kind: 'flow' as const, action })),
  { kind: 'ticket', reference: 'GG-20261127-0042' },
  { kind: 'faq', faqId: 'complaint-status-safety-ereport' },
  { kind: 'faq-unhelpful', faqId: 'complaint-status-safety-ereport' },
  { kind: 'survey-score', surveyId: SURVEY_ID, dimension: 'professionalism', score: 5 },
  { kind: 'survey-skip-comment', surveyId: SURVEY_ID },
  { kind: 'helpful', surveyId: SURVEY_ID, helpful: true },
  { kind: 'helpful', surveyId: SURVEY_ID, helpful: false },
  { kind: 'queue-choice', choice: 'keep-waiting' },
  { kind: 'queue-choice', choice: 'leave-message' },
  { kind: 'language', language: 'vi' },
  { kind: 'check-replies' },
  ...(['first', 'last', 'next', 'headway'] as const).map((kind) => ({ kind: 'transit' as const, pick: { type: 'kind' as const, kind } })),
  { kind: 'transit', pick: { type: 'route', routeId: '241234001' } },
  { kind: 'transit', pick: { type: 'stop', stopId: 'ST:수원역/1' } },
];

describe('button payload codec', () => {
  it('decodes what it encodes, for every kind', () => {
    for (const button of BUTTONS) expect(decodeButton(encodeButton(button))).toEqual(button);
  });

  it('fits Telegram’s 64-byte callback_data with ids of the usual length', () => {
    for (const button of BUTTONS) expect(Buffer.byteLength(encodeButton(button), 'utf8')).toBeLessThanOrEqual(64);
  });

  it('reads the strings buttons already sent to residents carry', () => {
    expect(decodeButton('intent:counselor_request')).toEqual({ kind: 'intent', intent: 'counselor_request' });
    expect(decodeButton('retry')).toEqual({ kind: 'retry' });
    expect(decodeButton('flow:ref:GG-20261127-0042')).toEqual({ kind: 'ticket', reference: 'GG-20261127-0042' });
    expect(decodeButton('flow:skip')).toEqual({ kind: 'flow', action: 'skip' });
    expect(decodeButton('faq:ask:water-bill')).toEqual({ kind: 'faq', faqId: 'water-bill' });
    expect(decodeButton('faq:unhelpful:water-bill')).toEqual({ kind: 'faq-unhelpful', faqId: 'water-bill' });
    expect(decodeButton(`survey:${SURVEY_ID}:kindness:3`)).toEqual({ kind: 'survey-score', surveyId: SURVEY_ID, dimension: 'kindness', score: 3 });
    expect(decodeButton(`survey:${SURVEY_ID}:helpful:no`)).toEqual({ kind: 'helpful', surveyId: SURVEY_ID, helpful: false });
    expect(decodeButton(`survey:${SURVEY_ID}:comment:skip`)).toEqual({ kind: 'survey-skip-comment', surveyId: SURVEY_ID });
    expect(decodeButton('handoff:wait')).toEqual({ kind: 'queue-choice', choice: 'keep-waiting' });
    expect(decodeButton('handoff:message')).toEqual({ kind: 'queue-choice', choice: 'leave-message' });
    expect(decodeButton('kakao:check_replies')).toEqual({ kind: 'check-replies' });
    expect(decodeButton('transit:k:first')).toEqual({ kind: 'transit', pick: { type: 'kind', kind: 'first' } });
    expect(decodeButton('transit:r:7-2%3AA')).toEqual({ kind: 'transit', pick: { type: 'route', routeId: '7-2:A' } });
    expect(decodeButton('transit:s:101')).toEqual({ kind: 'transit', pick: { type: 'stop', stopId: '101' } });
  });

  it('gives undefined, never an exception, for anything else', () => {
    const others = [
      undefined,
      '',
      'GET_STARTED',
      'intent:',
      'intent:Not A Name',
      'flow:explode',
      'flow:ref:',
      'faq:ask:',
      'faq:other:x',
      `survey:${SURVEY_ID}:kindness:6`,
      `survey:${SURVEY_ID}:kindness:0`,
      `survey:${SURVEY_ID}:beauty:3`,
      `survey:${SURVEY_ID}:helpful:maybe`,
      `survey:${SURVEY_ID}:kindness:3:extra`,
      'survey::kindness:3',
      'lang:klingon',
      'handoff:elsewhere',
      'transit:k:midnight',
      'transit:x:1',
      'transit:r:',
      'transit:s:%E0%A4%A',
      ':::',
      '\u0000',
      'x'.repeat(10_000),
    ];
    for (const payload of others) expect(decodeButton(payload)).toBeUndefined();
  });
});
