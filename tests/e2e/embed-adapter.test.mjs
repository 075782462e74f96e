// The adapter falls back to the wasm2js build by itself: an ordinary page (session() and
// <inflow-offers>, no fallback code of its own) under a CSP without 'wasm-unsafe-eval', or
// with WebAssembly deleted, still shows the offers and no error; where pkg-fallback/ is not
// deployed the element says plainly that the engine cannot run here. With WebAssembly
// allowed, the fallback is never requested. Needs pkg/ and pkg-fallback/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch, OPEN_SHADOW_ROOTS, rendered, REPO } from './harness.mjs';
import { staticServer } from './static-server.mjs';

const PAGE = `<!doctype html><html lang="en"><title>Host</title><main><h1>Account</h1>
<inflow-offers mode="panel" surface="crm.record" max="3"></inflow-offers></main>
<script type="module" src="/tests/e2e/embed-adapter-page.js"></script>`;
const STRICT = { 'content-security-policy': "script-src 'self'" };

let server, browser, hideFallback = false;
before(async () => {
  server = await staticServer({
    pages: {
      '/wasm.html': { body: PAGE, headers: { 'content-security-policy': "script-src 'self' 'wasm-unsafe-eval'" } },
      '/strict.html': { body: PAGE, headers: STRICT },
    },
    hidden: (p) => hideFallback && p.startsWith('/pkg-fallback/'),
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const skip = !existsSync(join(REPO, 'pkg-fallback/inflow_asm.js')) && 'pkg-fallback/ not built (scripts/build-wasm2js.sh)';

/** Opens `path`, waits for the element, returns what it shows and what the page fetched. */
async function open(path, init) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(OPEN_SHADOW_ROOTS);
  if (init) await page.addInitScript(init);
  const from = server.requests.length;
  await page.goto(`http://127.0.0.1:${server.port}${path}`);
  await rendered(page);
  const el = page.locator('inflow-offers');
  const shown = {
    titles: await el.locator('article .title').allTextContents(),
    alerts: await el.locator('[role=alert]').allTextContents(),
    text: await el.evaluate((e) => e.shadowRoot.textContent),
  };
  const fetched = server.requests.slice(from);
  await context.close();
  return { ...shown, errors, fetched };
}

test('with WebAssembly allowed the wasm runs and the fallback is never fetched', { skip }, async () => {
  const r = await open('/wasm.html');
  assert.equal(r.titles.length, 3, r.text);
  assert.deepEqual(r.alerts, []);
  assert.deepEqual(r.errors, []);
  assert.ok(r.fetched.includes('/pkg/inflow_bg.wasm'));
  assert.deepEqual(r.fetched.filter((p) => /fallback/.test(p)), []);
});

test("under a CSP without 'wasm-unsafe-eval' the same offers render through the fallback", { skip }, async () => {
  const wasm = await open('/wasm.html');
  const r = await open('/strict.html');
  assert.deepEqual(r.titles, wasm.titles);
  assert.deepEqual(r.alerts, [], 'the page says nothing is broken');
  assert.doesNotMatch(r.text, /unavailable|not allow|could not/i);
  assert.deepEqual(r.errors, []);
  assert.ok(r.fetched.includes('/pkg-fallback/inflow_asm.js'), r.fetched.join(' '));
});

test('with WebAssembly deleted the same offers render through the fallback', { skip }, async () => {
  const wasm = await open('/wasm.html');
  const r = await open('/wasm.html', () => delete globalThis.WebAssembly);
  assert.deepEqual(r.titles, wasm.titles);
  assert.deepEqual(r.alerts, []);
  assert.deepEqual(r.errors, []);
  assert.ok(r.fetched.includes('/pkg-fallback/inflow_asm.js'));
  assert.ok(!r.fetched.includes('/pkg/inflow_bg.wasm'), 'no wasm download without WebAssembly');
});

test('without pkg-fallback/ deployed the element says clearly why it cannot run', { skip }, async () => {
  hideFallback = true;
  try {
    const r = await open('/strict.html');
    assert.deepEqual(r.titles, []);
    assert.equal(r.alerts.length, 1, r.text);
    assert.match(r.alerts[0], /Content Security Policy does not allow WebAssembly/);
    assert.match(r.alerts[0], /'wasm-unsafe-eval'/);
    assert.match(r.alerts[0], /JavaScript build could not be loaded either/);
    assert.match(r.alerts[0], /Your other work on this page is not affected/);
    assert.match(r.text, /Suggestions are unavailable/);
  } finally {
    hideFallback = false;
  }
});
