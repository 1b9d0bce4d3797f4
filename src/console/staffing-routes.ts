/**
 * Console API of the staffing forecast (supervisors): counselors needed per hour for the coming
 * week from the chat history (Erlang C at the configured target) beside the counselors scheduled
 * by their shifts.
 */
import { z } from 'zod';
import type { ConsoleRole } from '../core/user-port';
import type { StaffingService } from '../handoff/staffing-service';
import type { ConsoleRoute } from './console-routes';

const SUPERVISOR: ConsoleRole[] = ['supervisor'];

const hourView = z.object({ start: z.string(), hourOfWeek: z.number(), arrivalsPerHour: z.number(), required: z.number(), scheduled: z.number(), reachable: z.boolean() }).loose();

export function staffingRoutes(deps: { staffing: StaffingService }): ConsoleRoute[] {
  return [
    {
      method: 'get',
      path: '/staffing',
      roles: SUPERVISOR,
      summary: 'Counselors needed per hour for the coming 7 days (Erlang C from arrivals per hour of week and handle time) vs. counselors scheduled by shift',
      response: z
        .object({
          generatedAt: z.string(),
          handleSeconds: z.number(),
          hours: z.array(hourView),
          shortHours: z.number(),
          peakRequired: z.number(),
          roster: z.object({ scheduled: z.number(), unscheduled: z.number() }),
        })
        .loose(),
      async handler() {
        return deps.staffing.forecast();
      },
    },
  ];
}
