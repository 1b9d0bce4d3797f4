/**
 * Builds the guided flows (knowledge/flows/*.json) over the ticket service: the step that runs
 * them and the one that pauses an active flow when a crisis comes.
 */
import path from 'node:path';
import type { TurnStep } from '../core/turn-context';
import type { TicketService } from '../tickets/ticket-service';
import { FlowRunner } from './flow-runner';
import { loadFlows } from './flow-schema';
import { flowStep, pauseFlowOnCrisisStep, type FlowStepOptions } from './flow-step';

export interface FlowModule {
  /** Goes right before the crisis guard: a crisis pauses the active flow instead of losing it. */
  crisisPauseStep: TurnStep;
  /** Goes after routing to the owner: continues or starts guided flows. */
  flowStep: TurnStep;
}

export function createFlowModule(deps: { knowledgeDir: string; tickets: TicketService; options: FlowStepOptions }): FlowModule {
  const flows = loadFlows(path.join(deps.knowledgeDir, 'flows'));
  const runner = new FlowRunner({ flows: () => flows, tickets: deps.tickets });
  return { crisisPauseStep: pauseFlowOnCrisisStep(runner), flowStep: flowStep(runner, deps.options) };
}
