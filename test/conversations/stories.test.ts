/**
 * Every conversation story under test/conversations/stories/ (one YAML file per category), played
 * through the resident app API against the real service. `npm run eval:conversations` prints the
 * pass rate per category from the same runner.
 */
import fs from 'node:fs';
import type { Service } from '../../src/main';
import { explain, loadStoryFiles, PENDING_DIR, runStory } from './story-runner';
import { closeStoryServices, storyServiceFor } from './story-service';

jest.setTimeout(600_000);

describe('story files', () => {
  it('stories that run in the suite name no bug; every pending story names its bug', () => {
    const running = loadStoryFiles().flatMap(({ file, spec }) => spec.stories.filter((s) => s.bug).map((s) => `${file}: ${s.story}`));
    expect(running).toEqual([]);
    const pending = fs.existsSync(PENDING_DIR) ? loadStoryFiles(PENDING_DIR) : [];
    expect(pending.flatMap(({ file, spec }) => spec.stories.filter((s) => !s.bug).map((s) => `${file}: ${s.story}`))).toEqual([]);
  });
});

afterAll(async () => {
  await closeStoryServices();
});

for (const { file, spec } of loadStoryFiles()) {
  describe(`${spec.category} (${file})`, () => {
    let service: Service;
    // The first file waits for the transformer to start, which takes minutes on a busy machine.
    beforeAll(async () => {
      service = await storyServiceFor(spec);
    }, 1_800_000);

    it.each(spec.stories.map((s) => [s.story, s] as const))('%s', async (_name, story) => {
      const outcome = await runStory(service, story);
      if (!outcome.passed) throw new Error(`story failed:\n${explain(outcome)}`);
    });
  });
}
