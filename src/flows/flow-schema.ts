/** Guided flows are data (knowledge/flows/*.json); this validates them and loads the folder. */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { INTENTS } from '../core/nlu-port';

/** Text by language; Korean and English are required, others optional. */
const localized = z
  .record(z.string().regex(/^[a-z]{2,3}$/), z.string().min(1))
  .refine((m) => typeof m.ko === 'string' && typeof m.en === 'string', 'needs at least ko and en');

const base = {
  id: z.string().regex(/^[a-z_]+$/),
  prompt: localized,
  /** Said (before the prompt again) when the answer does not fit. */
  invalid: localized.optional(),
};

export const flowStepSchema = z.discriminatedUnion('type', [
  /** A shared map location, or a typed address. */
  z.object({ ...base, type: z.literal('location') }).strict(),
  /** Free text within length limits. */
  z
    .object({
      ...base,
      type: z.literal('text'),
      minLength: z.number().int().min(1).default(5),
      maxLength: z.number().int().max(4000).default(1000),
    })
    .strict(),
  /** One or more photos; `optional` steps offer a skip button. */
  z.object({ ...base, type: z.literal('photo'), optional: z.boolean().default(true) }).strict(),
  /** Yes/no over a summary of the collected values. */
  z.object({ ...base, type: z.literal('confirm') }).strict(),
  /** A ticket reference such as GG-20261127-0042, or "my recent tickets". */
  z.object({ ...base, type: z.literal('ticket_reference') }).strict(),
]);

export const flowSchema = z
  .object({
    name: z.string().regex(/^[a-z_]+$/),
    /** Intent that starts the flow. */
    intent: z.enum(INTENTS),
    /** Said when the flow starts. */
    intro: localized,
    steps: z.array(flowStepSchema).min(1),
    /** What happens when the last step is done. */
    action: z.enum(['create_ticket', 'lookup_ticket']),
    /** Ticket category (create_ticket); defaults to the flow name. */
    category: z
      .string()
      .regex(/^[a-z_]+$/)
      .optional(),
    /** Short name of the report, for the summary and status messages. */
    title: localized,
    /** Said after the action; `{reference}` is replaced. */
    done: localized.optional(),
  })
  .strict()
  .superRefine((flow, ctx) => {
    const ids = flow.steps.map((s) => s.id);
    if (new Set(ids).size !== ids.length)
      ctx.addIssue({ code: 'custom', path: ['steps'], message: 'step ids must be unique' });
    if (flow.action === 'create_ticket' && !flow.done)
      ctx.addIssue({ code: 'custom', path: ['done'], message: 'create_ticket flows need a done text' });
  });

export type FlowDefinition = z.infer<typeof flowSchema>;
export type FlowStep = z.infer<typeof flowStepSchema>;

/** Loads every `*.json` in `dir`. @throws Error naming the file and field of a bad definition. */
export function loadFlows(dir: string): Map<string, FlowDefinition> {
  const flows = new Map<string, FlowDefinition>();
  if (!fs.existsSync(dir)) return flows;
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const parsed = flowSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    if (!parsed.success) {
      throw new Error(
        `flows/${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    if (flows.has(parsed.data.name))
      throw new Error(`flows/${file}: duplicate flow name ${parsed.data.name}`);
    flows.set(parsed.data.name, parsed.data);
  }
  return flows;
}
