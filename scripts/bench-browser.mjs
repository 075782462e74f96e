#!/usr/bin/env node
// Browser figures of the shipped pkg/ in headless Chromium (Debian's), against the real
// `inflow serve`: navigation start to offers rendered on the CRM demo page, on a first visit
// (fresh profile: cold HTTP cache, no compiled code, nothing in IndexedDB) and on a returning
// visit (same profile: cached files revalidated, wasm code cache, saved state), median of N
// loads each, with the adapter's User Timing marks per phase, beside the first paint of the same
// page without Inflow (the floor: what the browser and the host page take alone); `check`
// called from JS (median per call over 100,000 calls, 7 runs), offers for one user on the demo
// catalog (median of 9 batches of 50 calls), and scoring + ranking 1,000 synthetic modules.
// Prints tables. Needs `scripts/build-wasm.sh` first.
//
//   node scripts/bench-browser.mjs [--loads N] [--only-load]

import { readFileSync } from 'node:fs';
import { launch, openDemo, REPO, rendered, startServer } from '../tests/e2e/harness.mjs';

const arg = (name) => process.argv.indexOf(name);
const loads = Number(process.argv[arg('--loads') + 1]) || 25;
const onlyLoad = arg('--only-load') > 0;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const range = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

/**
 * "Rendered": the first animation frame after the panel's offers are in the DOM (the adapter's
 * `inflow:offers-rendered` mark), i.e. the frame that paints them. Checked by the page itself
 * each frame, so nothing is injected into the page while it loads.
 */
const FRAME_WATCH = `(() => {
  const tick = () => performance.getEntriesByName('inflow:offers-rendered').length
    ? performance.mark('bench:offers-frame') : requestAnimationFrame(tick);
  requestAnimationFrame(tick);
})();`;

/** The phases the adapter and the page mark (see www/inflow.js), in order. */
const PHASES = [
  ['resources', 'last response of the page, modules, wasm, manifests'],
  ['domContentLoaded', 'DOMContentLoaded (page parsed; its async scripts run when they arrive)'],
  ['inflow:wasm-ready', 'wasm compiled and instantiated'],
  ['inflow:manifests-ready', 'manifests fetched and parsed'],
  ['inflow:state-restored', 'saved state read from IndexedDB'],
  ['inflow:engine-created', 'Engine created (after seeding, on a first visit)'],
  ['inflow:offers-rendered', 'offers in the panel\'s DOM'],
  ['bench:offers-frame', 'the frame that paints them (the figure)'],
];

/**
 * The CRM page as its host would serve it without Inflow: the same HTML and stylesheet, with the
 * scripts and the preloads of what they fetch taken out. Its first paint is the floor the
 * offers' frame is measured against (what the browser and the host page take by themselves).
 */
const HOST_ONLY = readFileSync(`${REPO}/www/demo/crm.html`, 'utf8')
  .replace(/<script\b[^>]*><\/script>\s*/g, '')
  .replace(/<link rel="(?:modulepreload|preload)"[^>]*>\s*/g, '');

/** Loads the host page without Inflow in `page`; resolves to its first paint. */
async function hostOnlyPaint(page, url) {
  await page.route(url, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: HOST_ONLY }));
  await page.goto(url, { waitUntil: 'load' });
  return page.evaluate(() => new Promise((ok) => {
    const seen = () => performance.getEntriesByName('first-contentful-paint')[0];
    const poll = () => (seen() ? ok(seen().startTime) : requestAnimationFrame(poll));
    poll();
  }));
}

/** Loads `url` in `page`, waits for the offers' frame; resolves to the phases' times. */
async function timedLoad(page, url) {
  const cdp = await page.context().newCDPSession(page);
  await page.goto(url, { waitUntil: 'commit' });
  const probe = 'performance.getEntriesByName("bench:offers-frame").length';
  const deadline = Date.now() + 30_000;
  while (!(await cdp.send('Runtime.evaluate', { expression: probe, returnByValue: true })).result.value) {
    if (Date.now() > deadline) throw new Error(`no offers rendered on ${url} within 30 s`);
    await new Promise((ok) => setTimeout(ok, 10));
  }
  await cdp.detach();
  return page.evaluate(() => {
    const at = Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]));
    const nav = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource').filter((r) => r.startTime < at['inflow:engine-created']);
    const wasm = resources.find((r) => r.name.endsWith('.wasm'));
    return {
      ...at,
      resources: Math.max(nav.responseEnd, ...resources.map((r) => r.responseEnd)),
      domContentLoaded: nav.domContentLoadedEventStart,
      wasmTransfer: wasm?.transferSize ?? null,
    };
  });
}

const server = await startServer();
const browser = await launch();
const rows = [];
const phaseRows = [];
try {
  // 1. Page load. Each round: a fresh profile loads the CRM page (first visit), then, after a
  //    pause (V8 stores the wasm's compiled code a while after compiling it), a new tab of the
  //    same profile loads it again (returning visit). The first two rounds warm the server.
  const first = [];
  const again = [];
  const hostFirst = [];
  const hostAgain = [];
  const url = `${server.url}demo/crm.html`;
  for (let i = 0; i < loads + 2; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    await context.addInitScript(() => localStorage.setItem('inflow.demo.user', 'u-rep-01'));
    await context.addInitScript(FRAME_WATCH);
    const page = await context.newPage();
    const cold = await timedLoad(page, url);
    await new Promise((ok) => setTimeout(ok, 2500));
    await page.close();
    const warm = await timedLoad(await context.newPage(), url);
    await context.close();
    // The same page without Inflow, first and returning visit, in a profile of its own.
    const hostContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const hostCold = await hostOnlyPaint(await hostContext.newPage(), url);
    const hostWarm = await hostOnlyPaint(await hostContext.newPage(), url);
    await hostContext.close();
    if (i >= 2) {
      first.push(cold);
      again.push(warm);
      hostFirst.push(hostCold);
      hostAgain.push(hostWarm);
    }
  }
  const figure = (runs) => runs.map((r) => r['bench:offers-frame']);
  rows.push(['navigation start → offers rendered, first visit (fresh profile)', `${median(figure(first)).toFixed(0)} ms`, '<= 150 ms', `median of ${loads} loads (range ${range(figure(first))})`]);
  rows.push(['navigation start → offers rendered, returning visit (same profile)', `${median(figure(again)).toFixed(0)} ms`, '<= 150 ms', `median of ${loads} loads (range ${range(figure(again))})`]);
  const floor = (xs) => `${median(xs).toFixed(0)} ms`;
  rows.push(['the same page without Inflow: navigation start → first paint, first visit', floor(hostFirst), '', `median of ${loads} loads (range ${range(hostFirst)})`]);
  rows.push(['the same page without Inflow: navigation start → first paint, returning visit', floor(hostAgain), '', `median of ${loads} loads (range ${range(hostAgain)})`]);
  for (const [key, what] of PHASES) {
    const at = (runs) => {
      const xs = runs.map((r) => r[key]).filter((x) => x != null);
      return xs.length ? `${median(xs).toFixed(0)} ms` : '–';
    };
    phaseRows.push([what, at(first), at(again)]);
  }
  const kb = (runs) => `${(median(runs.map((r) => r.wasmTransfer)) / 1024).toFixed(0)} KB`;
  phaseRows.push(['wasm bytes over the wire (transferSize)', kb(first), kb(again)]);

  if (onlyLoad) throw Object.assign(new Error('only the page load'), { skip: true });

  // 2 and 3 run on the Engine directly, in the demo page's module context.
  const { page, context } = await openDemo(browser, `${server.url}demo/crm.html`, { user: 'u-rep-01' });
  await rendered(page);
  const engineFigures = await page.evaluate(async () => {
    const pkg = await import('/pkg/inflow.js');
    await pkg.default({ module_or_path: '/pkg/inflow_bg.wasm' });
    const get = async (n) => (await fetch(`/manifests/${n}.json`)).json();
    const [catalog, contract, policy, model, users] = await Promise.all(['catalog', 'contract', 'policy', 'model', 'users'].map(get));
    const { seedState } = await import('/demo/telemetry.js');
    const user = users.users.find((u) => u.id === 'u-rep-01');
    const now = Date.now();
    const manifests = { catalog, contract, policy, model };
    const engine = new pkg.Engine(manifests, user, seedState(user, now, 'larkspur-demo'));
    const med = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];

    const checkRuns = [];
    for (let r = 0; r < 7; r++) {
      const t = performance.now();
      for (let i = 0; i < 100_000; i++) engine.check('reports.export', now);
      checkRuns.push(((performance.now() - t) / 100_000) * 1000);
    }
    // A check the engine must compute (and serialize, and JS parse) each time: every call is
    // on another day, so no kept answer applies.
    const DAY = 86_400_000;
    const computedRuns = [];
    for (let r = 0; r < 7; r++) {
      const t = performance.now();
      for (let i = 0; i < 100_000; i++) engine.check('reports.export', now + (i % 2) * DAY);
      computedRuns.push(((performance.now() - t) / 100_000) * 1000);
    }
    const allowedRuns = [];
    for (let r = 0; r < 7; r++) {
      const t = performance.now();
      for (let i = 0; i < 100_000; i++) engine.allowed('reports.export', now);
      allowedRuns.push(((performance.now() - t) / 100_000) * 1000);
    }
    // offers() records what it shows (the daily cap): a fresh engine per call keeps every
    // call equal, so engines are built outside the timed part, and timed in batches of 50
    // (the page's clock is coarse, 0.1 ms without cross-origin isolation).
    const offerRuns = [];
    for (let r = 0; r < 9; r++) {
      const engines = Array.from({ length: 50 }, () => new pkg.Engine(manifests, user, seedState(user, now, 'larkspur-demo')));
      const t = performance.now();
      for (const e of engines) e.offers(3, now);
      offerRuns.push((performance.now() - t) / engines.length);
      for (const e of engines) e.free();
    }

    // 1,000 synthetic modules: each a per-seat module with one switch feature, offered to the
    // user's community, with model weights over the demo features; the user owns none.
    const big = structuredClone(catalog);
    const bigPolicy = structuredClone(policy);
    const bigModel = structuredClone(model);
    const template = catalog.modules.find((m) => m.id === 'advanced-reports');
    const weights = model.modules['advanced-reports'].weights;
    const ids = [];
    for (let i = 0; i < 1000; i++) {
      const id = `synthetic-${i}`;
      ids.push(id);
      big.features.push({ id: `${id}.use`, name: `Synthetic ${i}`, kind: 'switch' });
      big.modules.push({ ...structuredClone(template), id, name: `Synthetic ${i}`, features: [{ feature: `${id}.use` }] });
      bigModel.modules[id] = { bias: -3 + (i % 7) * 0.2, weights };
    }
    for (const c of bigPolicy.communities) if (c.id === 'sales-reps' || (c.modules ?? []).includes('advanced-reports')) c.modules = [...(c.modules ?? []), ...ids];
    let synthetic;
    let syntheticOffers;
    try {
      const e = new pkg.Engine({ catalog: big, contract, policy: bigPolicy, model: bigModel }, user, seedState(user, now, 'larkspur-demo'));
      // Scoring and ranking alone (`suggest` neither prices nor records): batches of 10.
      const runs = [];
      for (let r = 0; r < 21; r++) {
        const t = performance.now();
        for (let i = 0; i < 10; i++) if (!e.suggest(3, now).length) throw new Error('no suggestion from 1,000 modules');
        runs.push((performance.now() - t) / 10);
      }
      synthetic = { ms: med(runs) };
      const offerTimes = [];
      for (let r = 0; r < 9; r++) {
        const f = new pkg.Engine({ catalog: big, contract, policy: bigPolicy, model: bigModel }, user, seedState(user, now, 'larkspur-demo'));
        const t = performance.now();
        f.offers(3, now);
        offerTimes.push(performance.now() - t);
        f.free();
      }
      syntheticOffers = med(offerTimes);
      e.free();
    } catch (error) {
      synthetic = { error: String(error?.message ?? error).split('\n')[0] };
    }
    return { check: med(checkRuns), checkComputed: med(computedRuns), allowed: med(allowedRuns), offers: med(offerRuns), synthetic, syntheticOffers };
  });
  await context.close();
  rows.push(['`check` from JS (the answer as an object; unchanged session and day)', `${(engineFigures.check * 1000).toFixed(0)} ns`, '<= 1 µs', 'median per call, 7 × 100,000 calls']);
  rows.push(['`check` from JS, computed each call (the day alternates)', `${(engineFigures.checkComputed * 1000).toFixed(0)} ns`, '', 'median per call, 7 × 100,000 calls']);
  rows.push(['`allowed` from JS (the gate\'s yes/no)', `${(engineFigures.allowed * 1000).toFixed(0)} ns`, '<= 1 µs', 'median per call, 7 × 100,000 calls']);
  rows.push(['`offers` for one user, demo catalog', `${engineFigures.offers.toFixed(3)} ms`, '<= 1 ms', 'median of 9 batches of 50 calls (u-rep-01, trained model)']);
  rows.push(
    engineFigures.synthetic.error
      ? ['score + rank 1,000 synthetic modules', 'not measured', '<= 1 ms', engineFigures.synthetic.error]
      : ['score + rank 1,000 synthetic modules (`suggest`)', `${engineFigures.synthetic.ms.toFixed(3)} ms`, '<= 1 ms', 'median of 21 batches of 10 calls'],
  );
  if (engineFigures.syntheticOffers != null) {
    rows.push(['`offers` over 1,000 synthetic modules (ranked, top 3 priced)', `${engineFigures.syntheticOffers.toFixed(3)} ms`, '', 'median of 9 fresh engines']);
  }
} catch (error) {
  if (!error.skip) throw error;
} finally {
  await browser.close();
  await server.stop();
}

function table(head, body) {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of body) console.log(line(r));
}
table(['figure', 'value', 'goal', 'how'], rows);
console.log('\nPage load by phase (median time since navigation start, u-rep-01 on the CRM page):\n');
table(['phase', 'first visit', 'returning visit'], phaseRows);
