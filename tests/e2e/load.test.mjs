// What a demo page downloads, served by the real `inflow serve`, in Debian's Chromium: the page's
// script, the Inflow bundle and the wasm (no module of the sources), each once (the preloads are
// used, not fetched again), the wasm and the bundle as the build's brotli copies, all under the
// CSP `script-src 'self' 'wasm-unsafe-eval'`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';

import { OPEN_SHADOW_ROOTS, REPO } from './harness.mjs';
import { demoSuite } from './suite.mjs';

const demo = demoSuite();

/** Opens `page` for a first visit; resolves to the requests made and the resource entries. */
async function firstVisit(page) {
  const context = await demo.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const requests = [];
  context.on('request', (r) => requests.push(new URL(r.url()).pathname));
  const tab = await context.newPage();
  const violations = [];
  tab.on('console', (m) => /Content Security Policy/.test(m.text()) && violations.push(m.text()));
  const errors = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  await tab.addInitScript(OPEN_SHADOW_ROOTS);
  await tab.addInitScript(() => localStorage.setItem('inflow.demo.user', 'u-rep-01'));
  const response = await tab.goto(`${demo.server.url}demo/${page}.html`);
  await tab.waitForFunction(() => performance.getEntriesByName('inflow:offers-rendered').length > 0);
  const entries = await tab.evaluate(() =>
    performance.getEntriesByType('resource').map((r) => ({
      path: new URL(r.name).pathname,
      initiator: r.initiatorType,
      encoded: r.encodedBodySize,
      decoded: r.decodedBodySize,
    })),
  );
  const offers = await tab.evaluate(() => document.querySelector('inflow-offers').shadowRoot.textContent);
  return { context, tab, response, requests, entries, violations, errors, offers };
}

const count = (list, path) => list.filter((p) => p === path).length;

for (const page of ['crm', 'product']) {
  test(`the ${page} page loads its script, the bundle and the wasm, each once, and renders offers under the CSP`, async () => {
    const v = await firstVisit(page);
    assert.equal(v.response.headers()['content-security-policy'], "script-src 'self' 'wasm-unsafe-eval'; frame-ancestors 'self'");
    assert.deepEqual(v.violations, []);
    assert.deepEqual(v.errors, []);

    // JavaScript: the page's own bundle and the Inflow bundle, nothing of the sources.
    const scripts = v.requests.filter((p) => p.endsWith('.js'));
    assert.deepEqual([...new Set(scripts)].sort(), ['/dist/demo-' + page + '.js', '/dist/inflow.js'].sort());
    // Each file once: the preloads (wasm, manifests, bundle) are what the page uses.
    for (const path of [`/demo/${page}.html`, `/dist/demo-${page}.js`, '/dist/inflow.js', '/pkg/inflow_bg.wasm',
      '/manifests/users.json', '/manifests/catalog.json', '/manifests/contract.json', '/manifests/policy.json', '/manifests/model.json']) {
      assert.equal(count(v.requests, path), 1, `${path} requested ${count(v.requests, path)} times: ${v.requests.join(' ')}`);
    }
    const wasm = v.entries.filter((e) => e.path === '/pkg/inflow_bg.wasm');
    assert.equal(wasm.length, 1, JSON.stringify(v.entries));
    // The build's brotli copy, byte for byte what is on disk, decoded to the whole wasm.
    assert.equal(wasm[0].encoded, statSync(join(REPO, 'pkg/inflow_bg.wasm.br')).size);
    assert.equal(wasm[0].decoded, statSync(join(REPO, 'pkg/inflow_bg.wasm')).size);
    const bundle = v.entries.find((e) => e.path === '/dist/inflow.js');
    assert.equal(bundle.encoded, statSync(join(REPO, 'www/dist/inflow.js.br')).size);

    assert.match(v.offers, /Advanced Reports|E-Signature/);
    await v.context.close();
  });
}

test('a returning visit revalidates the bundle and the wasm without downloading them again', async () => {
  const v = await firstVisit('crm');
  const tab = await v.context.newPage();
  const statuses = new Map();
  tab.on('response', (r) => statuses.set(new URL(r.url()).pathname, r.status()));
  await tab.goto(`${demo.server.url}demo/crm.html`);
  await tab.waitForFunction(() => performance.getEntriesByName('inflow:offers-rendered').length > 0);
  const sizes = await tab.evaluate(() =>
    Object.fromEntries(performance.getEntriesByType('resource').map((r) => [new URL(r.name).pathname, r.encodedBodySize])),
  );
  // Served from the HTTP cache after a 304 (or without asking): no body over the wire.
  for (const path of ['/dist/inflow.js', '/pkg/inflow_bg.wasm']) {
    assert.ok([undefined, 200, 304].includes(statuses.get(path)), `${path}: ${statuses.get(path)}`);
    const transfer = await tab.evaluate((p) => performance.getEntriesByType('resource').find((r) => new URL(r.name).pathname === p)?.transferSize, path);
    assert.ok(transfer < 1024, `${path} transferred ${transfer} bytes on a returning visit (${sizes[path]} encoded)`);
  }
  await v.context.close();
});

/**
 * Records, from the page's start, each `checkVisibility` call (and whether the first offers were
 * in the DOM by then) and each content the elements' shadow roots receive, with the number of
 * the animation frame it came in. Patched on the prototypes, so closed roots are seen too.
 */
const RENDER_LOG = `(() => {
  let frame = 0;
  const tick = () => { frame++; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const name = (el) => el.localName + (el.getAttribute('feature') ? '[' + el.getAttribute('feature') + ']' : '[' + el.getAttribute('mode') + ']');
  const asked = (globalThis.__asked = []);
  const check = Element.prototype.checkVisibility;
  Element.prototype.checkVisibility = function (...args) {
    asked.push({ element: name(this), afterOffers: performance.getEntriesByName('inflow:offers-rendered').length > 0 });
    return check.apply(this, args);
  };
  const renders = (globalThis.__renders = []);
  const append = ShadowRoot.prototype.append;
  ShadowRoot.prototype.append = function (...nodes) {
    const text = nodes.map((n) => n.textContent).join(' ');
    const loading = /Loading suggestions|Checking access/.test(text);
    renders.push({ element: name(this.host), frame, loading });
    return append.apply(this, nodes);
  };
})();`;

test('the elements in sight are asked whether they are in sight before any renders, and fill in together; one in a hidden tab fills in after', async () => {
  const context = await demo.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const tab = await context.newPage();
  await tab.addInitScript(RENDER_LOG);
  await tab.addInitScript(() => localStorage.setItem('inflow.demo.user', 'u-rep-01'));
  await tab.goto(`${demo.server.url}demo/crm.html`);
  const hidden = 'inflow-gate[forecast.pipeline]';
  await tab.waitForFunction((h) => globalThis.__renders.some((r) => r.element === h && !r.loading), hidden);
  const { asked, renders } = await tab.evaluate(() => ({ asked: globalThis.__asked, renders: globalThis.__renders }));

  // Asking lays the page out: asked between renders, each element would lay it out again.
  assert.ok(asked.length >= 4, JSON.stringify(asked));
  assert.deepEqual(asked.filter((a) => a.afterOffers), [], JSON.stringify(asked));

  const filled = new Map();
  for (const r of renders) if (!r.loading && !filled.has(r.element)) filled.set(r.element, r.frame);
  const panel = filled.get('inflow-offers[panel]');
  assert.ok(panel !== undefined, JSON.stringify(renders));
  for (const inSight of ['inflow-offers[compact]', 'inflow-gate[email.assistant]']) {
    assert.equal(filled.get(inSight), panel, `${inSight} filled in at frame ${filled.get(inSight)}, the panel at ${panel}`);
  }
  assert.ok(filled.get(hidden) > panel, `the hidden tab's gate filled in at frame ${filled.get(hidden)}, the panel at ${panel}`);
  await context.close();
});
