/**
 * A time question with a number is not a transit question when the classifier is sure it is about
 * something else: "경기도 120 콜센터는 몇 시까지 상담해요?" asks for the center's hours (once answered
 * with the timetable apology, "120" read as a route). A clearly named route still is one.
 */
import { transitDialogue } from '../../src/transit/transit-dialogue';

const now = new Date('2026-11-30T01:00:00Z');
const disabled = { state: 'disabled' } as const;

describe('transit dialogue and the classifier\'s other intents', () => {
  it('leaves a confidently other question with a time and a number to the other steps', () => {
    const result = transitDialogue({ text: '경기도 120 콜센터는 몇 시까지 상담해요?', language: 'ko', now, transitIntent: false, otherIntent: true }, disabled);
    expect(result.handled).toBe(false);
  });

  it('still takes the same words as a transit question when the classifier is not sure of another intent', () => {
    const result = transitDialogue({ text: '120번 몇 시까지 다녀요?', language: 'ko', now, transitIntent: false, otherIntent: false }, disabled);
    expect(result.handled).toBe(true);
  });

  it('still answers a clearly named route whatever the classifier says', () => {
    const result = transitDialogue({ text: '7-2번 버스 첫차가 몇 시예요?', language: 'ko', now, transitIntent: true, otherIntent: false }, disabled);
    expect(result.handled).toBe(true);
  });
});
