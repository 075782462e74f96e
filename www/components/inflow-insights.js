// <inflow-insights>: the supplier's expansion insights from GET /v1/insights. Each series is a
// chart drawn by Chart.js (loaded by the page as /vendor/chart.umd.min.js, a copy of the npm
// package made by scripts/vendor.mjs), the table behind it (the accessible alternative), and a
// CSV download of that table. Without Chart.js the tables still show.
//
// The host sets `token` (a signed admin session) and optionally the `api` attribute.

import { h } from './dom.js';
import { adoptStyles } from './styles.js';

const CSS = `
section{margin:1rem 0}.chart{position:relative;height:260px;max-width:900px}
table{border-collapse:collapse;font-size:.9em}th,td{padding:.2rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}
.status[data-state="failed"]{color:var(--inflow-error,#b00020)}
details{margin:.5rem 0}`;

/** RFC 4180 CSV of a header and rows. */
export function toCsv(header, rows) {
  const cell = (v) => {
    const s = v == null ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

const pct = (x) => (x == null ? '' : `${(x * 100).toFixed(1)} %`);

export class InflowInsights extends HTMLElement {
  #root;
  #token = null;
  #status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  #charts = [];
  #pending = []; // charts to draw once their canvases are in the document (Chart.js measures them)

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'closed' });
    adoptStyles(this.#root);
    this.#root.append(h('style', {}, CSS), this.#status);
  }

  set token(value) {
    this.#token = value;
    this.load();
  }

  async load() {
    this.#status.dataset.state = 'pending';
    this.#status.textContent = 'Loading insights…';
    try {
      const res = await fetch(`${this.getAttribute('api') ?? ''}/v1/insights`, {
        headers: { authorization: `Bearer ${this.#token}` },
      });
      const json = await res.json();
      if (!res.ok) throw new Error(json.error?.message ?? `HTTP ${res.status}`);
      this.#render(json);
      this.#status.dataset.state = 'done';
      this.#status.textContent = 'Insights loaded.';
    } catch (e) {
      this.#status.dataset.state = 'failed';
      this.#status.textContent = `Insights could not load: ${e.message}`;
    }
  }

  /** One series: title, summary, a chart config, and the table with its CSV. */
  #section(id, title, summary, header, rows, chart) {
    const canvas = h('canvas', { role: 'img', 'aria-label': `${title}: ${summary}` });
    const table = h('table', { 'data-table': id },
      h('thead', {}, h('tr', {}, header.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c == null ? '' : String(c)))))));
    const download = h('button', { type: 'button', 'data-csv': id, onclick: () => {
      const url = URL.createObjectURL(new Blob([toCsv(header, rows)], { type: 'text/csv' }));
      h('a', { href: url, download: `inflow-${id}.csv` }).click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } }, `Download ${title} as CSV`);
    const section = h('section', { 'aria-label': title, 'data-series': id },
      h('h3', {}, title), h('p', {}, summary), h('div', { class: 'chart' }, canvas),
      h('details', {}, h('summary', {}, 'Table'), table), download);
    if (chart) this.#pending.push([canvas, chart]);
    return section;
  }

  #render(d) {
    for (const c of this.#charts) c.destroy();
    this.#charts = [];
    for (const n of [...this.#root.childNodes]) if (n.localName !== 'style' && n !== this.#status) n.remove();
    const stacked = { scales: { x: { stacked: true }, y: { stacked: true } } };
    const usd = d.revenue.filter((r) => r.currency === 'USD');
    const ratio = d.expansion.map((e) => `${e.currency}: ${e.ratio ?? 'n/a'} expand per land`).join('; ');
    const so = d.second_order;
    const byModule = new Map();
    for (const f of d.funnel) {
      const m = byModule.get(f.module) ?? { shown: 0, opened: 0, trial: 0, bought: 0 };
      for (const k of ['shown', 'opened', 'trial', 'bought']) m[k] += f[k];
      byModule.set(f.module, m);
    }
    const modules = [...byModule.keys()];
    const attach = d.attach.filter((a) => a.members > 0);
    this.#root.append(
      this.#section('revenue', 'Land vs expand revenue', `Per month. Expansion ratio ${ratio}.`,
        ['month', 'currency', 'land', 'expand'], d.revenue.map((r) => [r.month, r.currency, r.land, r.expand]),
        { type: 'bar', data: { labels: usd.map((r) => r.month), datasets: [
          { label: 'Land (USD)', data: usd.map((r) => Number(r.land)) },
          { label: 'Expand (USD)', data: usd.map((r) => Number(r.expand)) }] }, options: stacked }),
      this.#section('second-order', 'Time from first to second order',
        `Median ${so.median_days ?? 'n/a'} days; ${so.repeat_buyers} repeat buyers, ${so.single_buyers} with one order so far.`,
        ['bucket', 'from_days', 'to_days', 'buyers'], so.buckets.map((b) => [b.label, b.from_days, b.to_days, b.buyers]),
        { type: 'bar', data: { labels: so.buckets.map((b) => b.label), datasets: [{ label: 'Buyers', data: so.buckets.map((b) => b.buyers) }] } }),
      this.#section('attach', 'Attach rate per module and community', 'Share of a community’s members who bought each module it offers.',
        ['community', 'module', 'members', 'buyers', 'rate'], d.attach.map((a) => [a.community, a.module, a.members, a.buyers, a.rate.toFixed(4)]),
        { type: 'bar', data: { labels: attach.map((a) => `${a.community} · ${a.module}`), datasets: [{ label: 'Attach rate', data: attach.map((a) => a.rate) }] },
          options: { indexAxis: 'y' } }),
      this.#section('funnel', 'Suggestion funnel', 'Shown, opened, tried and bought, per module (the table splits by surface).',
        ['module', 'surface', 'shown', 'opened', 'trial', 'bought', 'conversion'],
        d.funnel.map((f) => [f.module, f.surface, f.shown, f.opened, f.trial, f.bought, f.conversion.toFixed(4)]),
        { type: 'bar', data: { labels: modules, datasets: ['shown', 'opened', 'trial', 'bought'].map((k) => ({ label: k, data: modules.map((m) => byModule.get(m)[k]) })) } }),
      this.#section('credit', 'Sales credit per owner', 'Purchases credited to each account-team member.',
        ['owner', 'currency', 'purchases', 'land', 'expand', 'total'], d.credit.map((c) => [c.owner, c.currency, c.purchases, c.land, c.expand, c.total]),
        { type: 'bar', data: { labels: d.credit.map((c) => `${c.owner} (${c.currency})`), datasets: [
          { label: 'Land', data: d.credit.map((c) => Number(c.land)) }, { label: 'Expand', data: d.credit.map((c) => Number(c.expand)) }] }, options: stacked }),
      this.#section('calibration', 'Propensity calibration', 'Mean predicted probability against the share bought, per decile.',
        ['from', 'to', 'count', 'predicted', 'observed'], d.calibration.map((c) => [c.from, c.to, c.count, c.predicted, c.observed]),
        { type: 'line', data: { labels: d.calibration.map((c) => `${pct(c.from)}–${pct(c.to)}`), datasets: [
          { label: 'Predicted', data: d.calibration.map((c) => c.predicted) },
          { label: 'Observed', data: d.calibration.map((c) => c.observed) }] } }),
    );
    const Chart = globalThis.Chart;
    for (const [canvas, chart] of this.#pending.splice(0)) {
      if (!Chart) continue;
      this.#charts.push(new Chart(canvas, {
        ...chart,
        options: { animation: false, maintainAspectRatio: false, responsive: true, ...chart.options },
      }));
    }
  }
}

if (!customElements.get('inflow-insights')) customElements.define('inflow-insights', InflowInsights);
