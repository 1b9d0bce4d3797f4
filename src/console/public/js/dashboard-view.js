// The supervisor dashboard: live queue and staff, wait/handle times, containment, CSAT, charts, CSV.
import { csvUrl, get } from './api.js';
import { $, clear, dateTime, duration, h } from './dom.js';
import { currentLanguage, label, t } from './i18n.js';

const COLORS = ['#0b6b5b', '#c62828', '#b26a00', '#1565c0', '#6a1b9a', '#2e7d32', '#546e7a', '#ad1457', '#00838f', '#4e342e'];

/** chart.js plugin: writes each bar's value at its end, so no bar needs a tooltip to be read. */
const VALUE_LABELS = {
  id: 'valueLabels',
  afterDatasetsDraw(chart) {
    if (chart.config.type !== 'bar') return;
    const { ctx } = chart;
    const horizontal = chart.options.indexAxis === 'y';
    ctx.save();
    ctx.font = '600 12px system-ui, sans-serif';
    ctx.fillStyle = '#1d2733';
    chart.data.datasets.forEach((ds, i) => {
      chart.getDatasetMeta(i).data.forEach((bar, j) => {
        const value = ds.data[j];
        if (value === null || value === undefined) return;
        ctx.textAlign = horizontal ? 'left' : 'center';
        ctx.textBaseline = horizontal ? 'middle' : 'bottom';
        ctx.fillText(String(value), horizontal ? bar.x + 4 : bar.x, horizontal ? bar.y : bar.y - 2);
      });
    });
    ctx.restore();
  },
};

export class DashboardView {
  constructor(state) {
    this.state = state;
    this.charts = {};
    this.pending = null;
    $('#days').addEventListener('change', () => this.refresh());
  }

  onFrame(frame) {
    if (this.state.view !== 'dashboard') return;
    // Coalesce bursts of frames into one reload.
    if (['queue', 'presence', 'conversation', 'alert', 'alerts'].includes(frame.type) && !this.pending) {
      this.pending = setTimeout(() => {
        this.pending = null;
        this.refresh();
      }, 500);
    }
  }

  async refresh() {
    const days = Number($('#days').value);
    $('#csv').href = csvUrl(days);
    let d;
    try {
      d = await get(`/dashboard?days=${days}`);
    } catch (err) {
      $('#dash-updated').textContent = err.message;
      return;
    }
    $('#dash-updated').textContent = t('dash.updated', { time: new Date(d.generatedAt).toLocaleTimeString(currentLanguage() === 'en' ? 'en-GB' : 'ko-KR'), from: d.period.fromDay, to: d.period.toDay });
    const pct = (x) => (x === null ? '-' : `${Math.round(x * 100)}%`);
    const score = (x) => (x === null ? '-' : x.toFixed(2));
    const p90 = (x) => t('dash.kpi.p90Sub', { duration: duration(x.p90Ms), count: x.count });
    const kpis = [
      ['queue', t('dash.kpi.queue'), d.queue.total, t('dash.kpi.queueSub', { duration: duration(d.queue.oldestWaitMs) })],
      ['wait', t('dash.kpi.wait'), duration(d.wait.avgMs), p90(d.wait)],
      ['handle', t('dash.kpi.handle'), duration(d.handle.avgMs), p90(d.handle)],
      ['containment', t('dash.kpi.containment'), pct(d.containment.rate), t('dash.kpi.containmentSub', { conversations: d.containment.conversations, escalated: d.containment.escalated })],
      ['csat', t('dash.kpi.csat'), score(d.csat.overall), t('dash.kpi.csatSub', { responses: d.csat.responses, surveys: d.csat.surveys, satisfied: pct(d.csat.satisfiedRate) })],
      ['csat-kindness', t('dash.kpi.kindness'), score(d.csat.averages.kindness), ''],
      ['csat-professionalism', t('dash.kpi.professionalism'), score(d.csat.averages.professionalism), ''],
      ['csat-promptness', t('dash.kpi.promptness'), score(d.csat.averages.promptness), ''],
      ['helpful', t('dash.kpi.helpful'), `${d.csat.helpful.yes} / ${d.csat.helpful.yes + d.csat.helpful.no}`, t('dash.kpi.helpfulSub')],
      ['alerts', t('dash.kpi.openAlerts'), d.openAlerts, ''],
    ];
    clear($('#kpis')).append(
      ...kpis.map(([id, name, value, sub]) =>
        h('div', { class: 'kpi', 'data-testid': `kpi-${id}` }, h('div', { class: 'label' }, name), h('div', { class: 'value', 'data-testid': id }, value), h('div', { class: 'sub' }, sub)),
      ),
    );

    const priorities = Object.keys(d.queue.byPriority);
    this.chart('chart-priority', 'dash.byPriority', 'bar', priorities.map((p) => label('priority', p)), [{ label: t('dash.waiting'), data: priorities.map((p) => d.queue.byPriority[p]) }]);
    const languages = Object.keys(d.queue.byLanguage);
    this.chart('chart-language', 'dash.byLanguage', 'bar', languages.map((l) => label('language', l)), [{ label: t('dash.waiting'), data: languages.map((l) => d.queue.byLanguage[l]) }]);
    const presences = Object.keys(d.counselors.byPresence);
    const presenceColor = { available: '#2e7d32', away: '#f9a825', offline: '#b0bec5' };
    this.chart('chart-presence', 'dash.presence', 'doughnut', presences.map((p) => `${label('presence', p)} ${d.counselors.byPresence[p]}`), [{ data: presences.map((p) => d.counselors.byPresence[p]), backgroundColor: presences.map((p) => presenceColor[p]) }]);
    this.chart('chart-daily', 'dash.daily', 'line', d.daily.map((x) => x.day.slice(5)), [
      { label: t('dash.conversations'), data: d.daily.map((x) => x.conversations) },
      { label: t('dash.escalated'), data: d.daily.map((x) => x.escalated) },
    ]);
    // Intent names in the console's language; the code in brackets for names an admin added.
    this.chart('chart-intents', 'dash.intents', 'bar', d.topIntents.map((i) => label('intent', i.intent)), [{ label: t('dash.count'), data: d.topIntents.map((i) => i.count) }], { indexAxis: 'y' });
    this.chart('chart-channels', 'dash.channels', 'doughnut', d.volumeByChannel.map((c) => `${label('channel', c.channel)} ${c.count}`), [{ data: d.volumeByChannel.map((c) => c.count) }]);

    this.staffing();
    this.care();

    clear($('#survey-rows')).append(
      ...(d.csat.recent.length
        ? d.csat.recent.map((r) =>
            h('tr', { 'data-testid': 'survey-row' }, h('td', {}, dateTime(r.at)), h('td', {}, r.scores.kindness ?? '-'), h('td', {}, r.scores.professionalism ?? '-'), h('td', {}, r.scores.promptness ?? '-'), h('td', {}, r.comment ?? '')),
          )
        : [h('tr', {}, h('td', { colspan: 5, class: 'muted' }, t('dash.noAnswers')))]),
    );
    clear($('#staff-rows')).append(
      ...d.counselors.list.map((u) =>
        h('tr', {}, h('td', {}, u.displayName), h('td', {}, label('presence', u.presence)), h('td', {}, label('shift', u.shift)), h('td', {}, u.languages.join(', ')), h('td', {}, u.teams.join(', ')), h('td', {}, `${u.load}/${u.cap}`)),
      ),
    );
  }

  /** Each counselor's abusive and crisis chats lately; a run of them is marked. */
  async care() {
    let load;
    try {
      load = await get('/care/load');
    } catch {
      return;
    }
    clear($('#care-rows')).append(
      ...load.items.map((c) =>
        h(
          'tr',
          { class: c.alert ? 'crisis' : '', 'data-testid': 'care-row' },
          h('td', {}, c.name),
          h('td', {}, c.abuse),
          h('td', {}, c.crisis),
          h('td', {}, c.alert ? t('care.streakAlert', { n: c.streak }) : c.streak),
          h('td', {}, c.breakUntil ? t('care.until', { time: new Date(c.breakUntil).toLocaleTimeString(currentLanguage() === 'en' ? 'en-GB' : 'ko-KR', { hour: '2-digit', minute: '2-digit' }) }) : '-'),
        ),
      ),
    );
  }

  /** Counselors needed per hour for the coming week (Erlang C) against those scheduled by shift. */
  async staffing() {
    let f;
    try {
      f = await get('/staffing');
    } catch (err) {
      $('#staffing-summary').textContent = err.message;
      return;
    }
    const hourLabel = (iso) => new Date(iso).toLocaleString(currentLanguage() === 'en' ? 'en-GB' : 'ko-KR', { timeZone: 'Asia/Seoul', weekday: 'short', hour: '2-digit' });
    $('#staffing-summary').textContent = t('staffing.summary', {
      peak: f.peakRequired,
      short: f.shortHours,
      handle: Math.round(f.handleSeconds / 60),
      level: Math.round(f.target.serviceLevel * 100),
      seconds: f.target.targetSeconds,
      unscheduled: f.roster.unscheduled,
    });
    this.chart('chart-staffing', 'staffing.title', 'line', f.hours.map((x) => hourLabel(x.start)), [
      { label: t('staffing.required'), data: f.hours.map((x) => x.required), stepped: true, pointRadius: 0 },
      { label: t('staffing.scheduled'), data: f.hours.map((x) => x.scheduled), stepped: true, pointRadius: 0 },
    ]);
  }

  chart(id, titleKey, type, labels, datasets, options = {}) {
    const canvas = document.getElementById(id);
    // Screen readers get the numbers the picture shows.
    const items = labels.map((l, i) => `${l}${type === 'doughnut' ? '' : ` ${datasets.map((ds) => ds.data[i]).join('/')}`}`).join(', ');
    canvas.setAttribute('aria-label', t('dash.chartSummary', { title: t(titleKey), items: items || '-' }));
    if (!window.Chart) return; // chart.js failed to load: the numbers above still show
    const colored = datasets.map((ds, i) => ({
      ...ds,
      backgroundColor: ds.backgroundColor ?? (type === 'doughnut' ? COLORS.slice(0, labels.length) : COLORS[i]),
      borderColor: type === 'line' ? COLORS[i] : undefined,
    }));
    const existing = this.charts[id];
    if (existing) {
      existing.data.labels = labels;
      existing.data.datasets = colored;
      existing.update();
      return;
    }
    const valueAxis = options.indexAxis === 'y' ? 'x' : 'y';
    this.charts[id] = new window.Chart(canvas, {
      type,
      data: { labels, datasets: colored },
      plugins: [VALUE_LABELS],
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        // Room for the value written after the longest bar.
        layout: { padding: options.indexAxis === 'y' ? { right: 28 } : { top: 18 } },
        plugins: { legend: { display: type !== 'bar', position: 'bottom' } },
        ...(type !== 'doughnut' && { scales: { [valueAxis]: { beginAtZero: true, ticks: { precision: 0 } }, ...(options.indexAxis === 'y' && { y: { ticks: { autoSkip: false } } }) } }),
        ...options,
      },
    });
  }
}
