// Vigil's dashboard page. It computes no figure of its own: every number is one the collector's report, alerts and
// incident log give (v1/report, v1/alerts, v1/incidents), fetched by relative URL every few seconds. A figure the
// report gives as null is shown as "—", never as 0.
(function () {
  'use strict';

  const REFRESH_MS = 5000;
  const MINUTE_MS = 60 * 1000;
  const MAX_POINTS = 360;          // per trend: half an hour of 5-second points, bounded memory
  const BACKFILL_MINUTES = 30;     // one-minute windows asked for on load
  const BACKFILL_IN_FLIGHT = 4;
  const INCIDENTS_SHOWN = 20;
  const DASH = '\u2014';

  const $ = (selector) => document.querySelector(selector);
  const figureElements = (name) => document.querySelectorAll(`[data-figure="${name}"]`);

  // ---- formatting ------------------------------------------------------------------------------------------------

  const isNumber = (value) => typeof value === 'number' && Number.isFinite(value);
  const percentOfRate = (rate) => (isNumber(rate) ? `${(rate * 100).toFixed(1)}%` : DASH);
  const percent = (value) => (isNumber(value) ? `${value.toFixed(1)}%` : DASH);
  const count = (value) => (isNumber(value) ? value.toLocaleString('en-US') : DASH);
  const fixed = (digits) => (value) => (isNumber(value) ? value.toFixed(digits) : DASH);
  const signed = (value) => (isNumber(value) ? (value > 0 ? `+${value}` : `${value}`) : DASH);

  function milliseconds(value) {
    if (!isNumber(value)) return DASH;
    return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`;
  }

  function usd(value) {
    if (!isNumber(value)) return DASH;
    if (value === 0) return '$0';
    if (Math.abs(value) >= 100) return `$${value.toFixed(0)}`;
    if (Math.abs(value) >= 1) return `$${value.toFixed(2)}`;
    return `$${value.toPrecision(3)}`;
  }

  const pad = (n) => String(n).padStart(2, '0');
  function clock(ms) {
    const d = new Date(ms);
    return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }

  function dateTime(text) {
    if (!text) return DASH;
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) return DASH;
    const d = new Date(ms);
    const today = new Date();
    const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
    return sameDay ? clock(ms) : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(ms)}`;
  }

  function setFigure(name, text) {
    for (const element of figureElements(name)) element.textContent = text;
  }

  // ---- fetching --------------------------------------------------------------------------------------------------

  class FetchError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  // Same-origin: a browser that opened the page with Basic credentials sends them with these requests too.
  async function getJson(path, query) {
    const url = new URL(path, document.baseURI);
    if (query) for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    let response;
    try {
      response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' });
    } catch (error) {
      throw new FetchError(0, 'offline');
    }
    if (!response.ok) throw new FetchError(response.status, `HTTP ${response.status}`);
    return response.json();
  }

  const report = (fromMs, toMs) =>
    getJson('v1/report', fromMs === undefined ? undefined : { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() });

  // Runs the tasks with at most `limit` of them in flight; resolves when all settled.
  async function pool(tasks, limit) {
    let next = 0;
    const worker = async () => {
      while (next < tasks.length) {
        const task = tasks[next++];
        try {
          await task();
        } catch (error) {
          // a missing backfill point is a gap in a chart, not a failure of the page
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  }

  // ---- trends ----------------------------------------------------------------------------------------------------

  // Points sorted by time, at most MAX_POINTS: backfilled ones land in order among the live ones.
  class Series {
    constructor() {
      this.points = [];
    }

    add(t, value) {
      let at = this.points.length;
      while (at > 0 && this.points[at - 1].t > t) at--;
      this.points.splice(at, 0, { t, value });
      if (this.points.length > MAX_POINTS) this.points.splice(0, this.points.length - MAX_POINTS);
    }

    map(pick) {
      return this.points.map((p) => ({ x: p.t, y: nullable(pick(p.value)) }));
    }
  }

  const nullable = (value) => (isNumber(value) ? value : null);
  const times100 = (value) => (isNumber(value) ? value * 100 : null);

  const minuteTrend = new Series(); // reports of the trailing minute
  const hourTrend = new Series();   // the collector's window (the trailing hour by default): its cost

  // ---- charts ----------------------------------------------------------------------------------------------------

  const palette = ['#1b7f4b', '#1d5fa8', '#b06a00', '#c0262d', '#6b4fa8', '#0f8b8d'];
  const charts = {};

  function timeAxis() {
    return {
      type: 'linear',
      ticks: { callback: (value) => clock(value), maxRotation: 0, autoSkipPadding: 16, font: { size: 10 } },
      grid: { display: false },
    };
  }

  function lineChart(id, datasets, y, extra) {
    const canvas = document.getElementById(id);
    return new Chart(canvas, {
      type: 'line',
      data: {
        datasets: datasets.map((d, i) => ({
          label: d.label,
          data: [],
          yAxisID: d.axis || 'y',
          borderColor: d.color || palette[i % palette.length],
          backgroundColor: d.color || palette[i % palette.length],
          borderWidth: 1.5,
          borderDash: d.dash,
          pointRadius: d.dash ? 0 : 1.5, // a lone point between gaps (a minute with data among empty ones) stays visible
          tension: 0.2,
          spanGaps: false,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 10, font: { size: 10 } } },
          tooltip: { callbacks: { title: (items) => (items.length ? clock(items[0].parsed.x) : '') } },
        },
        scales: Object.assign({ x: timeAxis(), y: Object.assign({ ticks: { font: { size: 10 } } }, y) }, extra),
      },
    });
  }

  function createCharts() {
    Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
    Chart.defaults.color = '#5f6b7a';

    charts.rates = lineChart('chart-rates', [{ label: 'success %' }, { label: 'good %' }], { min: 0, max: 100 });
    charts.latency = lineChart('chart-latency',
      [{ label: 'p50' }, { label: 'p95' }, { label: 'p99' }, { label: 'TTFT p95' }],
      { beginAtZero: true, ticks: { callback: (v) => milliseconds(v), font: { size: 10 } } });
    charts.cost = lineChart('chart-cost',
      [{ label: 'cost of the last hour' }, { label: 'hourly budget', color: '#c0262d', dash: [6, 4] }],
      { beginAtZero: true, ticks: { callback: (v) => usd(v), font: { size: 10 } } });
    charts.satisfaction = lineChart('chart-satisfaction',
      [{ label: 'thumbs up %' }, { label: 'CSAT satisfied %' }, { label: 'NPS' }, { label: 'avg rating', axis: 'rating' }],
      { min: -100, max: 100 },
      { rating: { position: 'right', min: 1, max: 5, grid: { display: false }, ticks: { font: { size: 10 } } } });

    charts.errors = new Chart(document.getElementById('chart-errors'), {
      type: 'bar',
      data: { labels: [], datasets: [{ label: 'interactions', data: [], backgroundColor: '#c0262d' }] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: 'y',
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0, font: { size: 10 } } }, y: { ticks: { font: { size: 11 } } } },
      },
    });
  }

  function drawTrends() {
    const data = (chart, ...picks) => picks.forEach((pick, i) => { chart.data.datasets[i].data = pick; });
    const global = (r) => (r.sla && r.sla.global) || {};
    data(charts.rates,
      minuteTrend.map((r) => times100(global(r).success_rate)),
      minuteTrend.map((r) => times100(global(r).good_rate)));
    data(charts.latency,
      minuteTrend.map((r) => global(r).p50_ms),
      minuteTrend.map((r) => global(r).p95_ms),
      minuteTrend.map((r) => global(r).p99_ms),
      minuteTrend.map((r) => global(r).ttft_p95_ms));
    data(charts.cost,
      hourTrend.map((r) => r.cost && r.cost.total_usd),
      hourTrend.map((r) => r.cost && r.cost.budget && r.cost.budget.hourly_budget_usd));
    data(charts.satisfaction,
      minuteTrend.map((r) => times100(r.satisfaction && r.satisfaction.thumbs_up_rate)),
      minuteTrend.map((r) => r.satisfaction && r.satisfaction.csat_satisfied_percent),
      minuteTrend.map((r) => r.satisfaction && r.satisfaction.nps),
      minuteTrend.map((r) => r.satisfaction && r.satisfaction.avg_rating));
    for (const name of ['rates', 'latency', 'cost', 'satisfaction']) charts[name].update('none');
  }

  // ---- panels ----------------------------------------------------------------------------------------------------

  function showReport(r) {
    const global = (r.sla && r.sla.global) || {};
    setFigure('success_rate', percentOfRate(global.success_rate));
    setFigure('good_rate', percentOfRate(global.good_rate));
    setFigure('error_budget_remaining_percent', percent(global.error_budget_remaining_percent));
    setFigure('requests', count(global.requests));
    setFigure('p50_ms', milliseconds(global.p50_ms));
    setFigure('p95_ms', milliseconds(global.p95_ms));
    setFigure('p99_ms', milliseconds(global.p99_ms));
    setFigure('ttft_p95_ms', milliseconds(global.ttft_p95_ms));

    const budget = (r.cost && r.cost.budget) || {};
    setFigure('hourly_budget_usd', usd(budget.hourly_budget_usd));
    setFigure('month_total_usd', usd(budget.month_total_usd));
    setFigure('usage_percent', percent(budget.usage_percent));
    setFigure('projected_monthly_usd', usd(budget.projected_monthly_usd));
    for (const flag of figureElements('projected_over_budget')) flag.hidden = budget.projected_over_budget !== true;

    const s = r.satisfaction || {};
    setFigure('thumbs_up_rate', percentOfRate(s.thumbs_up_rate));
    setFigure('avg_rating', fixed(2)(s.avg_rating));
    setFigure('csat_satisfied_percent', percent(s.csat_satisfied_percent));
    setFigure('nps', signed(s.nps));

    const q = r.quality || {};
    setFigure('avg_overall', fixed(2)(q.avg_overall));
    setFigure('evaluated', count(q.evaluated));
    setFigure('hallucination_rate', percentOfRate(q.hallucination_rate));
    setFigure('hallucination_evaluated', count(q.evaluated));

    const c = r.cache || {};
    setFigure('cache_hit_rate', percentOfRate(c.hit_rate));
    setFigure('cache_hits', count(c.hits));
    setFigure('cache_misses', count(c.misses));

    const incident = r.incident || {};
    for (const badge of figureElements('mode')) {
      badge.textContent = incident.mode || DASH;
      badge.className = `badge mode-${incident.mode || 'unknown'}`;
    }
    setFigure('mode_since', incident.since ? dateTime(incident.since) : DASH);
    setFigure('mode_reason', incident.reason || '');

    const w = r.window || {};
    $('#window').textContent = w.from || w.to ? `${dateTime(w.from)} \u2013 ${dateTime(w.to)}` : DASH;

    showErrors(r.errors || {});
    showDrift(r.drift || {});
  }

  function showErrors(errors) {
    const entries = Object.entries(errors).filter(([, n]) => isNumber(n) && n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    charts.errors.data.labels = entries.map(([name]) => name);
    charts.errors.data.datasets[0].data = entries.map(([, n]) => n);
    charts.errors.update('none');
    $('[data-empty="errors"]').hidden = entries.length > 0;
  }

  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function tag(row, text, className) {
    const td = document.createElement('td');
    const span = document.createElement('span');
    span.textContent = text;
    span.className = className;
    td.appendChild(span);
    row.appendChild(td);
  }

  function replaceRows(tbody, rows, empty) {
    tbody.replaceChildren(...rows);
    $(`[data-empty="${empty}"]`).hidden = rows.length > 0;
  }

  // The report's drift object: one entry per detector (quality dimensions, the embedding watch and its methods).
  function showDrift(drift) {
    const rows = Object.entries(drift)
      .filter(([, d]) => d && typeof d === 'object' && 'severity' in d)
      .map(([name, d]) => {
        const row = document.createElement('tr');
        cell(row, name.replace(/_/g, ' '));
        tag(row, String(d.severity), `sev sev-${d.severity}`);
        const drifting = d.ready === false ? 'not ready' : d.is_drifting === true ? 'yes' : d.is_drifting === false ? 'no' : DASH;
        cell(row, drifting, d.is_drifting ? 'state-firing' : '');
        const score = [d.score, d.drift_score, d.z_score].find(isNumber);
        cell(row, fixed(2)(score));
        return row;
      });
    replaceRows($('#drift-rows'), rows, 'drift');
  }

  // Only http(s) runbook links become links: a label's text is never turned into script.
  function safeLink(text) {
    try {
      const url = new URL(text, document.baseURI);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function showAlerts(body) {
    const alerts = (body && Array.isArray(body.alerts) ? body.alerts : [])
      .slice()
      .sort((a, b) => (a.state === b.state ? 0 : a.state === 'firing' ? -1 : 1));
    const rows = alerts.map((a) => {
      const row = document.createElement('tr');
      cell(row, a.name || DASH);
      tag(row, a.severity || DASH, `sev sev-${a.severity}`);
      cell(row, a.state || DASH, `state-${a.state}`);
      cell(row, dateTime(a.since));
      cell(row, a.summary || '', 'summary');
      const td = cell(row, '');
      const href = a.runbook_url ? safeLink(a.runbook_url) : null;
      if (href) {
        const link = document.createElement('a');
        link.href = href;
        link.textContent = 'runbook';
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
        td.appendChild(link);
      }
      return row;
    });
    replaceRows($('#alert-rows'), rows, 'alerts');
  }

  function showIncidents(body) {
    const entries = (body && Array.isArray(body.incidents) ? body.incidents : []).slice(-INCIDENTS_SHOWN).reverse();
    const rows = entries.map((e) => {
      const row = document.createElement('tr');
      cell(row, dateTime(e.timestamp));
      cell(row, e.action || DASH);
      tag(row, e.severity || DASH, `sev sev-${e.severity}`);
      cell(row, e.mode || DASH);
      cell(row, e.from_mode || DASH);
      cell(row, e.reason || '', 'summary');
      return row;
    });
    replaceRows($('#incident-rows'), rows, 'incidents');
  }

  // ---- the loop --------------------------------------------------------------------------------------------------

  function showConnection(error) {
    const note = $('#connection');
    if (!error) {
      note.hidden = true;
      return;
    }
    note.textContent = error.status === 401 || error.status === 403
      ? `not authorized (HTTP ${error.status}): reload the page to give a read key`
      : error.status === 0 ? 'offline, retrying' : `collector answered HTTP ${error.status}, retrying`;
    note.hidden = false;
  }

  let refreshes = 0;

  async function refresh() {
    const now = Date.now();
    try {
      // The report without from/to is the collector's in-memory window (the last hour by default): no store scan.
      const [whole, minute, alerts, incidents] = await Promise.all([
        report(),
        report(now - MINUTE_MS, now),
        getJson('v1/alerts'),
        getJson('v1/incidents', { limit: String(INCIDENTS_SHOWN) }),
      ]);
      showReport(whole);
      setFigure('hour_cost_usd', usd(whole.cost && whole.cost.total_usd));
      minuteTrend.add(now, minute);
      hourTrend.add(now, whole);
      drawTrends();
      showAlerts(alerts);
      showIncidents(incidents);
      showConnection(null);
      $('#refreshed').textContent = clock(now);
      refreshes++;
      document.body.dataset.refreshes = String(refreshes); // for tests and scripts: the page has live figures
    } catch (error) {
      // The last figures stay; the note says why they are not moving. Expected states log nothing.
      showConnection(error instanceof FetchError ? error : new FetchError(0, 'offline'));
    } finally {
      setTimeout(refresh, REFRESH_MS);
    }
  }

  // Half an hour of one-minute windows, so the trends have a past from the first look.
  async function backfill() {
    const now = Date.now();
    const tasks = [];
    for (let k = 1; k <= BACKFILL_MINUTES; k++) {
      const end = now - k * MINUTE_MS;
      tasks.push(async () => minuteTrend.add(end, await report(end - MINUTE_MS, end)));
    }
    await pool(tasks, BACKFILL_IN_FLIGHT);
    drawTrends();
    document.body.dataset.backfilled = 'true';
  }

  function start() {
    if (typeof Chart === 'undefined') {
      showConnection(new FetchError(0, 'chart library missing'));
      return;
    }
    createCharts();
    refresh();
    backfill();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
