/** The channel helpers every adapter relies on: splitting, rich-to-plain fallback, retry classification. */
import { KeyedLock } from '../../channels/shared/keyed-lock';
import { BUTTON_ONLY_TEXT, planOutbound, type PlanLimits } from '../../channels/shared/outbound-plan';
import { PartProgress } from '../../channels/shared/part-progress';
import { isRetryableStatus, parseRetryAfter, sendFailure } from '../../channels/shared/send-errors';
import { splitText, truncateText } from '../../channels/shared/text-split';
import { safeEqual } from '../../channels/shared/webhook-utils';
import { DajeongError } from '../../src/core/errors';

describe('splitText', () => {
  it('keeps short text whole and returns one empty chunk for empty text', () => {
    expect(splitText('안녕하세요', 10)).toEqual(['안녕하세요']);
    expect(splitText('', 10)).toEqual(['']);
  });

  it('prefers paragraph, then sentence, then word boundaries, and never exceeds the limit', () => {
    const text = `${'가'.repeat(30)}\n\n${'나'.repeat(30)}`;
    expect(splitText(text, 40)).toEqual(['가'.repeat(30), '나'.repeat(30)]);
    const sentences = '첫 번째 문장입니다. 두 번째 문장입니다. 세 번째 문장입니다.';
    const chunks = splitText(sentences, 25);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(25);
    expect(chunks[0]).toBe('첫 번째 문장입니다. 두 번째 문장입니다.');
    expect(chunks.join(' ')).toBe(sentences);
  });

  it('cuts text without spaces hard, but never inside a surrogate pair', () => {
    const emoji = '😀'.repeat(10); // 20 UTF-16 code units
    const chunks = splitText(emoji, 5);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(5);
      expect(c).toMatch(/^(😀)+$/u);
    }
    expect(chunks.join('')).toBe(emoji);
  });

  it('rejects a limit below 2', () => {
    expect(() => splitText('abc', 1)).toThrow(RangeError);
  });
});

describe('truncateText', () => {
  it('ends cut text with an ellipsis within the limit', () => {
    expect(truncateText('상담사 연결하기 버튼입니다', 8)).toBe('상담사 연결하…');
    expect(truncateText('짧다', 8)).toBe('짧다');
    expect(truncateText('😀😀😀', 4)).toBe('😀…');
  });
});

describe('planOutbound (rich-to-plain fallback)', () => {
  const limits: PlanLimits = {
    maxTextLength: 50,
    maxQuickReplies: 2,
    maxButtonLabel: 6,
    maxLinkButtons: 1,
    images: true,
    maxCaptionLength: 10,
  };

  it('puts images first and buttons on the last text part', () => {
    const parts = planOutbound(
      {
        text: '가'.repeat(80),
        images: [{ url: 'https://x/1.jpg', caption: '사진' }],
        quickReplies: [{ label: '예', payload: 'y' }],
      },
      limits,
    );
    expect(parts.map((p) => p.kind)).toEqual(['image', 'text', 'text']);
    expect(parts[1]).toMatchObject({ quickReplies: [] });
    expect(parts[2]).toMatchObject({ quickReplies: [{ label: '예', payload: 'y' }] });
  });

  it('folds overflowing quick replies, links and unsupported images into text, losing nothing', () => {
    const parts = planOutbound(
      {
        text: '골라 주세요',
        quickReplies: [
          { label: '교통', payload: 'a' },
          { label: '복지', payload: 'b' },
          { label: '지방세 문의', payload: 'c' },
        ],
        links: [
          { title: '경기도청', url: 'https://www.gg.go.kr' },
          { title: '정부24', url: 'https://www.gov.kr' },
        ],
        images: [{ url: 'https://x/map.png', caption: '지도' }],
      },
      { ...limits, images: false, maxTextLength: 500 },
    );
    expect(parts).toHaveLength(1);
    const [part] = parts;
    expect(part).toMatchObject({
      kind: 'text',
      quickReplies: [{ label: '교통' }, { label: '복지' }],
      links: [{ title: '경기도청' }],
    });
    if (part?.kind !== 'text') throw new Error('expected text');
    expect(part.text).toBe(
      '골라 주세요\n\n지도: https://x/map.png\n\n정부24: https://www.gov.kr\n\n• 지방세 문의',
    );
  });

  it('shortens button labels, sends a long caption as text, and gives button-only messages a text', () => {
    const parts = planOutbound({ quickReplies: [{ label: '상담사와 연결하기', payload: 'p' }] }, limits);
    expect(parts).toEqual([
      {
        kind: 'text',
        text: BUTTON_ONLY_TEXT,
        quickReplies: [{ label: '상담사와…', payload: 'p' }],
        links: [],
      },
    ]);
    const captioned = planOutbound(
      { images: [{ url: 'u', caption: '아주 긴 사진 설명입니다 정말로' }] },
      limits,
    );
    expect(captioned[0]).toEqual({ kind: 'image', image: { url: 'u', caption: undefined } });
    expect(captioned[1]).toMatchObject({ kind: 'text', text: '아주 긴 사진 설명입니다 정말로' });
  });

  it('plans nothing for empty content', () => {
    expect(planOutbound({}, limits)).toEqual([]);
  });
});

describe('send failure classification', () => {
  it('retries 408, 425, 429 and 5xx only', () => {
    expect([400, 401, 403, 404, 408, 425, 429, 500, 502, 503].map(isRetryableStatus)).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    const e = sendFailure('telegram', 429, 'slow down', { retryAfterMs: 3000 });
    expect(e).toBeInstanceOf(DajeongError);
    expect(e).toMatchObject({ code: 'channel_send_failed', retryable: true });
    expect(e.options.details).toMatchObject({ platform: 'telegram', status: 429, retryAfterMs: 3000 });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('PartProgress', () => {
  it('resumes a multi-part send after the part that failed instead of repeating earlier parts', async () => {
    const progress = new PartProgress();
    const sent: string[] = [];
    let failOnce = true;
    const sendOne = async (part: string) => {
      if (part === 'b' && failOnce) {
        failOnce = false;
        throw new Error('502');
      }
      sent.push(part);
      return [`id-${part}`];
    };
    await expect(progress.run('m1', ['a', 'b', 'c'], sendOne)).rejects.toThrow('502');
    expect(await progress.run('m1', ['a', 'b', 'c'], sendOne)).toEqual(['id-a', 'id-b', 'id-c']);
    expect(sent).toEqual(['a', 'b', 'c']);
  });
});

describe('KeyedLock', () => {
  it('runs tasks of one key one at a time, in order, even when one fails', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const task =
      (name: string, ms: number, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      lock.run('k', task('1', 30, true)),
      lock.run('k', task('2', 1)),
      lock.run('other', task('x', 1)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log.indexOf('end 1')).toBeLessThan(log.indexOf('start 2'));
    expect(log.indexOf('start x')).toBeLessThan(log.indexOf('end 1'));
  });
});

describe('safeEqual', () => {
  it('compares secrets of any length', () => {
    expect(safeEqual('secret', 'secret')).toBe(true);
    expect(safeEqual('secret', 'secreT')).toBe(false);
    expect(safeEqual('secret', 'secret-longer')).toBe(false);
    expect(safeEqual(undefined, 'secret')).toBe(false);
  });
});
