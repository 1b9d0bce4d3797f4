/**
 * The web chat never relies on sound (issue 18: deaf and hard-of-hearing residents use it): it plays
 * none, so every cue is visible (see docs/sign-language.md for the list). A sound added later must
 * come with a visible equivalent; this check makes whoever adds one read that note first.
 */
import fs from 'node:fs';
import path from 'node:path';

const PUBLIC_DIR = path.join(__dirname, '..', '..', 'channels', 'webchat', 'public');
/** Ways a page makes sound or vibrates: audio elements and files, Web Audio, speech, vibration. */
const SOUND = /<audio\b|new\s+Audio\s*\(|AudioContext|speechSynthesis|navigator\.vibrate|\.(mp3|wav|ogg|m4a)\b/;

describe('web chat without sound', () => {
  it('has no audio, speech or vibration anywhere in its page, scripts, styles or embed script', () => {
    const files = fs.readdirSync(PUBLIC_DIR).filter((f) => /\.(js|html|css)$/.test(f));
    expect(files).toEqual(expect.arrayContaining(['index.html', 'webchat.js', 'webchat-view.js', 'embed.js']));
    const sounding = files.filter((f) => SOUND.test(fs.readFileSync(path.join(PUBLIC_DIR, f), 'utf8')));
    expect(sounding).toEqual([]);
  });
});
