/**
 * Builds the guided flows (knowledge/flows/*.json) over the ticket service: the step that runs
 * them and the one that pauses an active flow when a crisis comes.
 */
import path from 'node:path';
import type { IntentName } from '../core/intents';
import type { TurnStep } from '../core/turn-context';
import type { TicketService } from '../tickets/ticket-service';
import { FlowRunner } from './flow-runner';
import { loadFlows } from './flow-schema';
import { flowStep, pauseFlowStep, type FlowStepOptions } from './flow-step';

export interface FlowModule {
  /** Runs on a crisis, before the crisis guard: the active flow is paused instead of lost. */
  pauseStep: TurnStep;
  /** Goes after routing to the owner: continues or starts guided flows. */
  flowStep: TurnStep;
  /** True when the intent starts a guided flow. */
  startsFlow(intent: string): boolean;
}

export function createFlowModule(deps: { knowledgeDir: string; tickets: TicketService; options: FlowStepOptions }): FlowModule {
  const flows = loadFlows(path.join(deps.knowledgeDir, 'flows'));
  const runner = new FlowRunner({ flows: () => flows, tickets: deps.tickets });
  return {
    pauseStep: pauseFlowStep(runner),
    flowStep: flowStep(runner, deps.options),
    startsFlow: (intent) => Boolean(runner.forIntent(intent as IntentName)),
  };
}
