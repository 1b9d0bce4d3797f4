/** The source line under FAQ answers: the language's words and date, one short line. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadFaqFiles } from '../../src/knowledge/faq-loader';
import { faqSourceLine, MAX_SOURCE_CHARS, shortSource } from '../../src/knowledge/faq-source';

const ROOT = path.join(__dirname, '..', '..');
const entry = { source: 'Wetax (wetax.go.kr); Government24', updatedAt: '2026-12-06' };

describe('FAQ source line', () => {
  it.each([
    ['ko', '출처: Wetax (wetax.go.kr); Government24 · 최종 업데이트 2026년 12월 6일'],
    ['en', 'Source: Wetax (wetax.go.kr); Government24 · last updated December 6, 2026'],
    ['zh', '来源：Wetax (wetax.go.kr); Government24 · 最后更新：2026年12月6日'],
    ['vi', 'Nguồn: Wetax (wetax.go.kr); Government24 · cập nhật lần cuối: 6 tháng 12, 2026'],
    // A language without resident texts reads the English line, with the date written in English too.
    ['fr', 'Source: Wetax (wetax.go.kr); Government24 · last updated December 6, 2026'],
  ])('is written in %s', (language, line) => {
    expect(faqSourceLine(entry, language)).toBe(line);
  });

  it('shows the same day whatever the server time zone', () => {
    // A fresh process per zone: the zone is read when the process starts.
    const module = JSON.stringify(path.join(ROOT, 'src/knowledge/faq-source.ts'));
    const script = `console.log(require(${module}).faqSourceLine({ source: 'x', updatedAt: '2026-01-01' }, 'en'))`;
    for (const tz of ['Pacific/Kiritimati', 'Asia/Seoul', 'UTC', 'Pacific/Pago_Pago']) {
      const run = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['-e', script], { cwd: ROOT, env: { ...process.env, TZ: tz }, encoding: 'utf8' });
      expect([tz, run.stdout.trim()]).toEqual([tz, 'Source: x · last updated January 1, 2026']);
    }
  });

  it('gives no line for an entry without a readable date', () => {
    expect(faqSourceLine({ source: 'x', updatedAt: 'soon' }, 'ko')).toBeUndefined();
  });

  it('keeps long sources to one short line: the leading parts that fit, details dropped, cut at a word', () => {
    expect(shortSource('A; B; C')).toBe('A; B; C');
    expect(shortSource(`Main agency; ${'x'.repeat(80)}`)).toBe('Main agency');
    expect(shortSource(`An act (${'details '.repeat(20)}); Wetax`)).toBe('An act; Wetax');
    const cut = shortSource('word '.repeat(40));
    expect([...cut].length).toBeLessThanOrEqual(MAX_SOURCE_CHARS);
    expect(cut).toMatch(/word…$/);
    for (const e of loadFaqFiles(path.join(ROOT, 'knowledge/faq'))) {
      expect([e.id, shortSource(e.source).length <= MAX_SOURCE_CHARS]).toEqual([e.id, true]);
    }
  });
});
