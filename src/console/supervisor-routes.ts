/**
 * Console API routes: supervisor figures (JSON and CSV) and alerts.
 */
import { DashboardService } from '../handoff/dashboard-service';
import { parseOr400 } from '../http/http-errors';
import { intentLabel } from '../i18n/intent-labels';
import { consoleLanguage } from './console-language';
import { SUPERVISOR, routeParam, type ConsoleRoute, type ConsoleRouteDeps } from './console-route';
import { alertsQuery, daysQuery } from './console-schemas';

/** Supervisor figures (JSON and CSV) and alerts. */
export function supervisorRoutes(deps: ConsoleRouteDeps): ConsoleRoute[] {
  const { handoff } = deps;
  return [
    {
      method: 'get',
      path: '/dashboard',
      roles: SUPERVISOR,
      summary: 'Supervisor figures: queue, presence, wait and handle times, containment, CSAT, intents, channels',
      query: daysQuery,
      async handler({ req }) {
        const { days } = parseOr400(daysQuery, req.query, 'query');
        const d = await handoff.dashboard.build(days);
        // Intent display names in the console's language, next to the stable intent ids.
        const language = consoleLanguage(req);
        return { ...d, topIntents: d.topIntents.map((i) => ({ ...i, label: intentLabel(i.intent, language) })) };
      },
    },
    {
      method: 'get',
      path: '/dashboard.csv',
      roles: SUPERVISOR,
      summary: 'The supervisor figures as CSV (section,key,value)',
      query: daysQuery,
      raw: true,
      async handler({ req, res }) {
        const { days } = parseOr400(daysQuery, req.query, 'query');
        const d = await handoff.dashboard.build(days);
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="dajeong-figures-${d.period.fromDay}-${d.period.toDay}.csv"`);
        // BOM so spreadsheet programs read the Korean text as UTF-8.
        res.send(`\uFEFF${DashboardService.toCsv(d)}`);
        return undefined;
      },
    },
    {
      method: 'get',
      path: '/alerts',
      roles: SUPERVISOR,
      summary: 'Supervisor alerts (crisis, SLA breach, abuse, chats without a counselor), newest first',
      query: alertsQuery,
      async handler({ req }) {
        const { open } = parseOr400(alertsQuery, req.query, 'query');
        const alerts = await handoff.alerts.list(open && open === 'true');
        return { items: alerts.map((x) => ({ ...x, raisedAt: x.raisedAt.toISOString(), acknowledgedAt: x.acknowledgedAt?.toISOString() })) };
      },
    },
    {
      method: 'post',
      path: '/alerts/:id/ack',
      roles: SUPERVISOR,
      summary: 'Acknowledge an alert',
      async handler({ req, auth: a }) {
        return { alert: await handoff.alerts.acknowledge(a.user, routeParam(req)) };
      },
    },
  ];
}
