/**
 * Personal data masking (issue 12): the forms residents actually type (+82, (010), Unicode dashes,
 * full-width digits, spaced registration numbers, card and account numbers) and text inside Error
 * objects handed to the logger (message and stack) never reach a log line.
 */
import { Writable } from 'node:stream';
import { luhnValid, maskPersonalData } from '../../src/core/mask';
import { createLogger } from '../../src/logger';

describe('maskPersonalData', () => {
  it.each([
    ['+82 10-9876-5432', '9876'],
    ['+82-10-9876-5432로 연락 주세요', '9876'],
    ['+82 (0)10 9876 5432', '9876'],
    ['+821098765432', '9876'],
    ['(010) 9876-5432', '9876'],
    ['010–9876–5432', '9876'],
    ['010—9876—5432', '9876'],
    ['010−9876−5432', '9876'],
    ['０１０-９８７６-５４３２', '９８７６'],
    ['02-987-6543', '987'],
    ['900101 - 1234567', '234567'],
    ['9001011234567', '234567'],
    ['９００１０１－１２３４５６７', '２３４５６７'],
    ['카드 4111 1111 1111 1234'.replace('1234', '1111'), '4111 1111 1111'],
    ['4539-1488-0343-6467', '4539-1488-0343'],
    ['계좌 110-123-456789 로 보내주세요', '110-123-45'],
    ['국민은행 123456-01-123456', '123456-01-12'],
    ['계좌번호: 11012345678901', '1101234567'],
    ['minji.kim@example.co.kr', 'minji.kim'],
  ])('masks %s', (text, secret) => {
    expect(maskPersonalData(text)).not.toContain(secret);
  });

  it('keeps what is not personal data: dates, ticket references, short numbers, non-Luhn card-like numbers', () => {
    for (const text of ['2026-06-01 접수했어요', 'GG-20260601-0001', '버스 1004번 몇 시', '12시 30분', '1234 5678 9012 3456']) {
      expect(maskPersonalData(text)).toBe(text);
    }
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('1234567890123456')).toBe(false);
  });
});

describe('the service logger', () => {
  function capture() {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    return { logger: createLogger('info', stream), lines };
  }

  it('masks personal data inside Error objects: message and stack, logged alone or under err', () => {
    const { logger, lines } = capture();
    const err = new Error('could not save 010-9876-5432 for 900101-1234567 (minji.kim@example.co.kr)');
    logger.error({ err, conversationId: 'c1' }, 'turn failed');
    logger.error(err as unknown as Record<string, unknown>);
    logger.warn({ cause: new TypeError('+82 10-9876-5432 rejected') }, 'send failed');
    expect(lines).toHaveLength(3);
    const all = lines.join('\n');
    for (const secret of ['9876-5432', '1234567', 'minji.kim']) expect(all).not.toContain(secret);
    const first = JSON.parse(lines[0]!) as { err: { type: string; message: string; stack: string }; msg: string };
    expect(first.err.type).toBe('Error');
    expect(first.err.message).toContain('010-****-5432');
    expect(first.err.stack).toContain('010-****-5432');
    expect(first.msg).toBe('turn failed');
    expect((JSON.parse(lines[1]!) as { msg: string }).msg).toContain('010-****-5432');
  });
});
