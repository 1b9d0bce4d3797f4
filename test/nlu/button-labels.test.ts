/** bench:crisis measures false alarms on every button label; the list must follow the catalogue. */
import { catalogueLabels } from '../../bench/button-labels';

describe('button labels for the crisis benchmark', () => {
  const labels = catalogueLabels('src');
  const text = (key: string, language: string) => labels.find((l) => l.key === key && l.language === language)?.text;

  it('reads the resident buttons from the catalogue in ko, en, zh and vi', () => {
    expect(text('button.noPhoto', 'en')).toBe('No photo');
    for (const language of ['ko', 'en', 'zh', 'vi']) {
      for (const key of ['button.notHelpful', 'button.keepWaiting', 'button.leaveMessage', 'button.noPhoto', 'transit.kindLast'])
        expect({ key, language, text: text(key, language) }).toEqual({ key, language, text: expect.any(String) });
    }
  });

  it('reads labels from the knowledge data (welcome topics)', () => {
    expect(labels.filter((l) => l.file.includes('welcome') && l.language === 'ko').length).toBeGreaterThanOrEqual(4);
  });
});
