#!/usr/bin/env node
// Browser figures of the shipped pkg/ in headless Chromium (Debian's), against the real
// `inflow serve`: navigation start to offers rendered on the CRM demo page, on a first visit
// (nothing of the site cached: HTTP cache, compiled code, IndexedDB) and on a returning visit
// (cached files revalidated, saved state), median of N loads each, in two browsers: one in use
// (a regular profile kept for the whole run, as a user's browser is) and a private window per
// load (a new off-the-record context each round); with the adapter's User Timing marks per
// phase, beside the first paint of the same page without Inflow (the floor: what the browser
// and the host page take alone); `check` called from JS (median per call over 100,000 calls,
// 7 runs), offers for one user on the demo catalog (median of 9 batches of 50 calls), and
// scoring + ranking 1,000 synthetic modules.
// Prints tables. Needs `scripts/build-wasm.sh` first.
//
//   node scripts/bench-browser.mjs [--loads N] [--only-load]

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, launchProfile, openDemo, REPO, rendered, startServer } from '../tests/e2e/harness.mjs';

const arg = (name) => process.argv.indexOf(name);
const loads = Number(process.argv[arg('--loads') + 1]) || 25;
const onlyLoad = arg('--only-load') > 0;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const range = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

/**
 * "Rendered": the first animation frame after offers are in the DOM (the adapter's
 * `inflow:offers-rendered` mark, left by the first element to show them; the elements in sight
 * render in one task, so it is the panel's frame too), i.e. the frame that paints them.
 * Checked by the page itself each frame, so nothing is injected into the page while it loads;
 * `__benchOffersFrame` resolves then, and is all the bench waits on (one call into the page,
 * not a poll: on a two-core machine every poll takes time from the page it measures).
 */
const FRAME_WATCH = `(() => {
  let seen;
  globalThis.__benchOffersFrame = new Promise((ok) => { seen = ok; });
  const tick = () => performance.getEntriesByName('inflow:offers-rendered').length
    ? (performance.mark('bench:offers-frame'), seen(true)) : requestAnimationFrame(tick);
  requestAnimationFrame(tick);
})();`;

/** The phases the adapter and the page mark (see www/inflow.js), in order. */
const PHASES = [
  ['resources', 'last response of the page, modules, wasm, manifests'],
  ['domContentLoaded', 'DOMContentLoaded (page parsed; its async scripts run when they arrive)'],
  ['inflow:wasm-ready', 'wasm compiled and instantiated'],
  ['inflow:manifests-ready', 'manifests fetched and parsed'],
  ['inflow:state-restored', 'saved state read from IndexedDB'],
  ['inflow:inputs-ready', 'all of the above, and the spend and manifest digests the server reports'],
  ['inflow:engine-created', 'Engine created (after seeding, on a first visit)'],
  ['inflow:offers-rendered', 'offers in the DOM (the first element\'s; those in sight render in one task)'],
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
  const frame = cdp.send('Runtime.evaluate', { expression: '__benchOffersFrame', awaitPromise: true, returnByValue: true });
  let timer;
  const late = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`no offers rendered on ${url} within 30 s`)), 30_000);
  });
  try {
    const { exceptionDetails } = await Promise.race([frame, late]);
    if (exceptionDetails) throw new Error(`waiting for the offers on ${url}: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
  } finally {
    clearTimeout(timer);
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

/**
 * One round's four loads: `url` on a first visit and, in a new tab after a pause, a returning
 * one; then the page without Inflow at `hostUrl`, twice (in tabs from `hostTab`, default
 * `newTab`). Resolves to their times.
 */
async function visits(newTab, url, hostUrl, hostTab = newTab) {
  const page = await newTab();
  const cold = await timedLoad(page, url);
  await new Promise((ok) => setTimeout(ok, 2500));
  await page.close();
  const again = await newTab();
  const warm = await timedLoad(again, url);
  await again.close();
  const hostPages = [await hostTab(), await hostTab()];
  const hostCold = await hostOnlyPaint(hostPages[0], hostUrl);
  const hostWarm = await hostOnlyPaint(hostPages[1], hostUrl);
  for (const p of hostPages) await p.close();
  return { cold, warm, hostCold, hostWarm };
}

const server = await startServer();
const browser = await launch();
const profileDir = mkdtempSync(join(tmpdir(), 'inflow-bench-profile-'));
// Every round opens the pages at an origin of its own (r<i>.inflow.test, h<i>.inflow.test, all
// this server), so a first visit in the long-lived profile finds nothing of the site cached.
// Both browsers show the page alike: the same window size and locale, the same demo user.
const PAGE = { viewport: { width: 1280, height: 900 }, locale: 'en-US' };
const profile = await launchProfile(profileDir, { ...PAGE, args: ['--host-resolver-rules=MAP *.inflow.test 127.0.0.1'] });
/** Signs `context` in to the demo as u-rep-01 and has its pages mark the offers' frame. */
async function prepare(context) {
  await context.addInitScript(() => localStorage.setItem('inflow.demo.user', 'u-rep-01'));
  await context.addInitScript(FRAME_WATCH);
  return context;
}
const rows = [];
const phaseRows = [];
try {
  // 1. Page load, in two browsers. Each round: a first visit to the CRM page, then, after a
  //    pause (as a user stays on the page: Chromium writes its code caches a while after
  //    compiling), a returning visit in a new tab of the same profile; and the same page without
  //    Inflow, first and returning visit.
  //    - "browser in use": one regular profile for the whole run (disk caches, the browser
  //      already started, as a user's), each round at a new origin;
  //    - "private window": a new off-the-record context per round (no disk caches; a new
  //      storage partition and network context at each round's first load).
  //    The first two rounds warm the server and are not counted.
  const port = new URL(server.url).port;
  const settings = {
    inUse: { label: 'browser in use', first: [], again: [], hostFirst: [], hostAgain: [] },
    fresh: { label: 'private window', first: [], again: [], hostFirst: [], hostAgain: [] },
  };
  await prepare(profile);
  for (let i = 0; i < loads + 2; i++) {
    process.stderr.write(`\rpage loads: round ${i + 1} of ${loads + 2}`);
    const inUse = await visits(() => profile.newPage(), `http://r${i}.inflow.test:${port}/demo/crm.html`, `http://h${i}.inflow.test:${port}/demo/crm.html`);
    const context = await prepare(await browser.newContext(PAGE));
    const hostContext = await browser.newContext(PAGE);
    const fresh = await visits(() => context.newPage(), `${server.url}demo/crm.html`, `${server.url}demo/crm.html`, () => hostContext.newPage());
    await context.close();
    await hostContext.close();
    if (i < 2) continue;
    for (const [key, r] of [['inUse', inUse], ['fresh', fresh]]) {
      settings[key].first.push(r.cold);
      settings[key].again.push(r.warm);
      settings[key].hostFirst.push(r.hostCold);
      settings[key].hostAgain.push(r.hostWarm);
    }
  }
  process.stderr.write('\n');
  const figure = (runs) => runs.map((r) => r['bench:offers-frame']);
  const ms = (xs) => `${median(xs).toFixed(0)} ms`;
  const how = (xs) => `median of ${loads} loads (range ${range(xs)})`;
  for (const { label, first, again, hostFirst, hostAgain } of Object.values(settings)) {
    rows.push([`navigation start → offers rendered, first visit (${label})`, ms(figure(first)), '<= 150 ms', how(figure(first))]);
    rows.push([`navigation start → offers rendered, returning visit (${label})`, ms(figure(again)), '<= 150 ms', how(figure(again))]);
    rows.push([`the same page without Inflow: first paint, first visit (${label})`, ms(hostFirst), '', how(hostFirst)]);
    rows.push([`the same page without Inflow: first paint, returning visit (${label})`, ms(hostAgain), '', how(hostAgain)]);
  }
  const at = (runs, key) => {
    const xs = runs.map((r) => r[key]).filter((x) => x != null);
    return xs.length ? `${median(xs).toFixed(0)} ms` : '–';
  };
  const { inUse, fresh } = settings;
  for (const [key, what] of PHASES) phaseRows.push([what, at(inUse.first, key), at(inUse.again, key), at(fresh.first, key), at(fresh.again, key)]);
  const kb = (runs) => `${(median(runs.map((r) => r.wasmTransfer)) / 1024).toFixed(0)} KB`;
  phaseRows.push(['wasm bytes over the wire (transferSize)', kb(inUse.first), kb(inUse.again), kb(fresh.first), kb(fresh.again)]);

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
  await profile.close();
  rmSync(profileDir, { recursive: true, force: true });
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
table(['phase', 'first visit (in use)', 'returning (in use)', 'first visit (private)', 'returning (private)'], phaseRows);
