/**
 * Every conversation story under test/conversations/stories/ (one YAML file per category), played
 * through the resident app API against the real service. `npm run eval:conversations` prints the
 * pass rate per category from the same runner.
 */
import type { Service } from '../../src/main';
import { explain, loadStoryFiles, runStory } from './story-runner';
import { startStoryService } from './story-service';

jest.setTimeout(600_000);

for (const { file, spec } of loadStoryFiles()) {
  describe(`${spec.category} (${file})`, () => {
    let service: Service;
    beforeAll(async () => {
      service = await startStoryService(spec.env);
    });
    afterAll(async () => {
      await service?.close();
    });

    it.each(spec.stories.map((s) => [s.story, s] as const))('%s', async (_name, story) => {
      const outcome = await runStory(service, story);
      if (!outcome.passed) throw new Error(`story failed:\n${explain(outcome)}`);
    });
  });
}
