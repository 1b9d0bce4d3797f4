/**
 * Two needs in one message, and close calls: does the bot address every need? Each line of the set
 * ({text, lang, kind: 'two-need'|'ambiguous', needs: [faq id or intent, ...]}) opens a fresh chat
 * through the app API of a real service; a need counts as addressed when the bot's turn answered
 * it (the FAQ entry answered, the flow started, the intent answered) or offered it as a button.
 *
 *   npm run bench:clarification [-- --set test/fixtures/nlu/clarification-dev.jsonl] [--nlu lexical|auto] [--misses]
 *
 * `--nlu auto` (the service's default) waits for the transformer before the first message.
 *
 * The default set is the blind held-out one: measure it, report the figure, never tune on it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeButton } from '../src/core/button-payload';
import type { Message } from '../src/core/message';
import { loadFaqFiles } from '../src/knowledge/faq-loader';
import { createService } from '../src/main';
import { AppClient, silentLogger } from '../test/support/service';

interface Row {
  text: string;
  lang: string;
  kind: string;
  needs: string[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      set: { type: 'string', default: 'test/fixtures/nlu/clarification-heldout.jsonl' },
      nlu: { type: 'string', default: 'lexical' },
      misses: { type: 'boolean', default: false },
    },
  });
  const rows = fs
    .readFileSync(values.set!, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row);
  const root = path.resolve(__dirname, '..');
  const intentOf = new Map(loadFaqFiles(path.join(root, 'knowledge', 'faq')).map((e) => [e.id, e.intent as string]));
  const service = await createService({
    env: { PORT: '0', HOST: '127.0.0.1', NLU_MODE: values.nlu!, LOG_LEVEL: 'silent' },
    logger: silentLogger(),
  });
  if (values.nlu === 'auto') await service.nlu.start({ modelDir: service.config.modelDir });
  const byKind = new Map<string, { all: number; addressed: number; some: number }>();
  const misses: string[] = [];
  try {
    for (const [i, row] of rows.entries()) {
      const resident = new AppClient(service.url);
      await startWithinRateLimit(resident, { deviceId: `clarify-${i}`, locale: row.lang });
      const { messageId } = await resident.say(row.text);
      const replies = await repliesTo(service.store.messages, resident.conversationId, messageId);
      const conversation = await service.store.conversations.get(resident.conversationId);
      const covered = new Set<string>();
      const cover = (faqOrIntent: string | undefined) => {
        if (!faqOrIntent) return;
        covered.add(faqOrIntent);
        const intent = intentOf.get(faqOrIntent);
        if (intent) covered.add(intent);
      };
      for (const reply of replies) {
        if (reply.content.kind !== 'text') continue;
        for (const q of reply.content.quickReplies ?? []) {
          const button = decodeButton(q.payload);
          if (button?.kind === 'faq' || button?.kind === 'faq-unhelpful') cover(button.faqId);
          if (button?.kind === 'intent') cover(button.intent);
        }
      }
      // The FAQ answer offers related questions too: its own entry is the one under "not helpful".
      if (conversation?.flow) cover(conversation.flow.name);
      if (conversation?.lastIntent) cover(conversation.lastIntent);
      const addressed = row.needs.filter((n) => covered.has(n)).length;
      const tally = byKind.get(row.kind) ?? { all: 0, addressed: 0, some: 0 };
      tally.all++;
      if (addressed === row.needs.length) tally.addressed++;
      else if (values.misses) misses.push(`${row.kind} ${row.lang}: ${row.text}\n   needs ${row.needs.join(', ')}; covered ${[...covered].join(', ') || 'nothing'}`);
      if (addressed > 0) tally.some++;
      byKind.set(row.kind, tally);
    }
  } finally {
    await service.close();
  }
  console.log(`set ${values.set} (${rows.length} messages), NLU ${values.nlu}`);
  for (const [kind, t] of byKind)
    console.log(`  ${kind.padEnd(10)} every need addressed ${t.addressed}/${t.all} (${((100 * t.addressed) / t.all).toFixed(1)}%), at least one ${t.some}/${t.all}`);
  const all = [...byKind.values()].reduce((a, t) => ({ all: a.all + t.all, addressed: a.addressed + t.addressed }), { all: 0, addressed: 0 });
  console.log(`  all        every need addressed ${all.addressed}/${all.all} (${((100 * all.addressed) / all.all).toFixed(1)}%)`);
  if (misses.length) console.log(`\nmisses:\n${misses.join('\n')}`);
}

/** Opens a session, waiting out the per-address session limit (30 a minute) when it is reached. */
async function startWithinRateLimit(resident: AppClient, body: Record<string, unknown>): Promise<void> {
  for (;;) {
    try {
      await resident.start(body);
      return;
    } catch (err) {
      if (!String(err).includes('429')) throw err;
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}

/** The bot's messages answering `messageId`, once its turn has stored them. */
async function repliesTo(messages: { listByConversation(id: string, o?: { limit?: number }): Promise<Message[]> }, conversationId: string, messageId: string): Promise<Message[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const all = await messages.listByConversation(conversationId, { limit: 200 });
    const replies = all.filter((m) => m.replyToId === messageId);
    const handled = all.find((m) => m.id === messageId)?.handledAt;
    if (handled) return replies;
    if (Date.now() > deadline) throw new Error(`no turn for ${messageId} within 30 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
