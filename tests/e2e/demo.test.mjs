// The demo pages, served by the real `inflow serve`, in Debian's Chromium: what a user sees and
// does. Each test opens a fresh browser context (its own IndexedDB).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { openDemo, rendered, OPEN_SHADOW_ROOTS } from './harness.mjs';
import { demoSuite } from './suite.mjs';

const demo = demoSuite();

const crm = () => `${demo.server.url}demo/crm.html`;
const product = () => `${demo.server.url}demo/product.html`;
const panel = 'inflow-offers[mode=panel]';
/** The text an element shows from its (forced open) shadow root. */
const shown = (locator) => locator.first().evaluate((el) => el.shadowRoot.textContent);
/** The offer cards' titles in the sidebar panel. */
const titles = (page) => page.locator(`${panel} article .title`).allTextContents();

test('offers render and differ sensibly for three scenario users', async () => {
  const seen = {};
  for (const user of ['u-rep-01', 'u-mgr-01', 'u-rep-03']) {
    const { page, context, errors } = await openDemo(demo.browser, crm(), { user });
    seen[user] = { titles: await titles(page), text: await shown(page.locator(panel)) };
    assert.deepEqual(errors, [], user);
    await context.close();
  }
  assert.equal(seen['u-rep-01'].titles[0], 'Advanced Reports');
  assert.match(seen['u-rep-01'].text, /exports/);
  assert.match(seen['u-rep-01'].text, /\$10\.80 per user \/ month/);
  assert.match(seen['u-rep-01'].text, /billed to Sales Ops budget, auto-approved/);
  assert.equal(seen['u-mgr-01'].titles[0], 'Pipeline Forecasting');
  assert.match(seen['u-mgr-01'].text, /Try 14 days/);
  // u-rep-03 owns Advanced Reports and never opened it: help, not a sale.
  assert.equal(seen['u-rep-03'].titles[0], 'Advanced Reports');
  assert.match(seen['u-rep-03'].text, /Tip/);
  assert.doesNotMatch(seen['u-rep-03'].text, /\$10\.80/);
});

test('the user switcher shows another user\'s offers in place and remembers the choice', async () => {
  // No user set by the test: a first visit opens the scenario's default user, u-rep-01.
  const { page, context, errors } = await openDemo(demo.browser, crm());
  assert.equal(await page.locator('#user').inputValue(), 'u-rep-01');
  assert.equal((await titles(page))[0], 'Advanced Reports');
  const navigations = [];
  page.on('framenavigated', (f) => navigations.push(f.url()));
  await page.locator('#user').selectOption('u-mgr-01');
  await page.locator(`${panel} article .title`).first().filter({ hasText: 'Pipeline Forecasting' }).waitFor();
  assert.match(await shown(page.locator(panel)), /Try 14 days/);
  assert.deepEqual(navigations, [], 'switching users does not reload the page');
  // The same offers as a page opened for that user directly.
  const direct = await openDemo(demo.browser, crm(), { user: 'u-mgr-01' });
  assert.deepEqual(await titles(page), await titles(direct.page));
  await direct.context.close();
  await page.reload();
  await rendered(page);
  assert.equal(await page.locator('#user').inputValue(), 'u-mgr-01');
  assert.equal((await titles(page))[0], 'Pipeline Forecasting');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the panel follows its attributes once on the page: the compact look, then the panel again', async () => {
  const { page, context } = await openDemo(demo.browser, crm(), { user: 'u-rep-01' });
  const look = () => page.locator('inflow-offers').nth(1).evaluate((el) => el.shadowRoot.querySelector('section').getAttribute('aria-label'));
  assert.equal(await look(), 'Suggested for you');
  await page.locator(panel).evaluate((el) => el.setAttribute('mode', 'compact'));
  assert.equal(await look(), 'Suggested add-on');
  await page.locator('inflow-offers').nth(1).evaluate((el) => el.setAttribute('mode', 'panel'));
  assert.equal(await look(), 'Suggested for you');
  assert.deepEqual(await titles(page), ['Advanced Reports']);
  await context.close();
});

test('the budget-strained user is told a purchase needs approval', async () => {
  const { page, context } = await openDemo(demo.browser, crm(), { user: 'u-rep-05' });
  assert.match(await shown(page.locator(panel)), /approv/i);
  await context.close();
});

test('the export limit shows the Advanced Reports offer in place', async () => {
  const { page, context } = await openDemo(demo.browser, product(), { user: 'u-rep-01' });
  const gate = page.locator('inflow-gate[feature="reports.export"]');
  await page.locator('#usage', { hasText: '47 of 50' }).waitFor();
  for (let i = 0; i < 3; i++) {
    await page.locator('#export').click();
    await page.locator('#usage', { hasText: `${48 + i} of 50` }).waitFor();
  }
  await gate.locator('article .title', { hasText: 'Advanced Reports' }).waitFor();
  assert.equal(await page.locator('#export').count(), 1); // still in the light DOM, not shown
  assert.equal(await page.locator('#export').isVisible(), false);
  assert.match(await shown(gate), /You have used all 50 allowed/);
  assert.match(await shown(gate), /Buy/);
  await context.close();
});

test('usage survives a reload: the used-up export limit still offers Advanced Reports in place', async () => {
  const { page, context } = await openDemo(demo.browser, product(), { user: 'u-rep-01' });
  const gate = page.locator('inflow-gate[feature="reports.export"]');
  await page.locator('#usage', { hasText: '47 of 50' }).waitFor();
  await page.locator('#export').click();
  await page.locator('#usage', { hasText: '48 of 50' }).waitFor();
  await page.reload();
  await page.locator('#usage', { hasText: '48 of 50' }).waitFor();
  for (const n of [49, 50]) {
    await page.locator('#export').click();
    await page.locator('#usage', { hasText: `${n} of 50` }).waitFor();
  }
  await page.reload();
  await page.locator('#usage', { hasText: '50 of 50' }).waitFor();
  await gate.locator('article .title', { hasText: 'Advanced Reports' }).waitFor();
  assert.equal(await page.locator('#export').isVisible(), false);
  assert.match(await shown(gate), /You have used all 50 allowed/);
  await context.close();
});

test('a trial unlocks the Forecast gate without a reload', async () => {
  const { page, context } = await openDemo(demo.browser, crm(), { user: 'u-mgr-01' });
  await page.getByRole('tab', { name: 'Forecast' }).click();
  const gate = page.locator('inflow-gate[feature="forecast.pipeline"]');
  assert.equal(await page.getByRole('table', { name: 'Q4 forecast by stage' }).isVisible(), false);
  const navigations = [];
  page.on('framenavigated', (f) => navigations.push(f.url()));
  await gate.getByRole('button', { name: 'Try 14 days of Pipeline Forecasting free' }).click();
  await page.getByRole('table', { name: 'Q4 forecast by stage' }).waitFor();
  assert.match(await gate.locator('.notice').textContent(), /trial of Pipeline Forecasting has started/);
  assert.deepEqual(navigations, []);
  await context.close();
});

test('a purchase unlocks the Forecast gate without a reload', async () => {
  const { page, context } = await openDemo(demo.browser, crm(), { user: 'u-rep-01' });
  await page.getByRole('tab', { name: 'Forecast' }).click();
  const gate = page.locator('inflow-gate[feature="forecast.pipeline"]');
  await gate.getByRole('button', { name: 'Buy Pipeline Forecasting' }).click();
  const confirm = gate.locator('.confirm');
  await confirm.getByRole('button', { name: 'Confirm purchase' }).waitFor();
  assert.match(await confirm.textContent(), /22\.50/); // 25.00 less the 10 % contract discount
  await confirm.getByRole('button', { name: 'Confirm purchase' }).click();
  await page.getByRole('table', { name: 'Q4 forecast by stage' }).waitFor();
  assert.match(await gate.locator('.notice').textContent(), /Pipeline Forecasting is yours \(\$22\.50\)/);
  await context.close();
});

test('a dismissal survives a reload', async () => {
  const { page, context } = await openDemo(demo.browser, crm(), { user: 'u-rep-01' });
  assert.ok((await titles(page)).includes('Advanced Reports'));
  await page.locator(panel).getByRole('button', { name: 'Dismiss Advanced Reports' }).click();
  await page.locator(`${panel} .notice`, { hasText: 'dismissed' }).waitFor();
  await page.reload();
  await rendered(page);
  assert.ok(!(await titles(page)).includes('Advanced Reports'));
  assert.ok(!(await shown(page.locator('inflow-offers[mode=compact]'))).includes('Advanced Reports'));
  // The note that lets a first visit skip the wait for IndexedDB is a hint: without it (a state
  // saved before the notes were kept), the session starts fresh, then finds the saved state
  // and takes it up; the dismissal holds, and is written back with the note.
  const note = 'inflow.saved.inflow.u-rep-01';
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), note), '1');
  await page.evaluate((key) => localStorage.removeItem(key), note);
  await page.reload();
  await rendered(page);
  await page.waitForFunction((key) => localStorage.getItem(key) === '1', note);
  assert.ok(!(await titles(page)).includes('Advanced Reports'));
  assert.ok(!(await shown(page.locator('inflow-offers[mode=compact]'))).includes('Advanced Reports'));
  await context.close();
});

test('the pages are served under the CSP and need nothing more', async () => {
  const res = await fetch(crm());
  // WebAssembly allowed, nothing else added; only this site may frame the demo pages.
  assert.equal(res.headers.get('content-security-policy'), "script-src 'self' 'wasm-unsafe-eval'; frame-ancestors 'self'");
  const wasm = await fetch(`${demo.server.url}pkg/inflow_bg.wasm`);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  const { page, context, errors } = await openDemo(demo.browser, product(), { user: 'u-rep-02' });
  const violations = [];
  page.on('console', (m) => /Content Security Policy/.test(m.text()) && violations.push(m.text()));
  await page.reload();
  await rendered(page);
  assert.deepEqual(violations, []);
  assert.deepEqual(errors, []);
  assert.match(await shown(page.locator('inflow-offers')), /E-Signature/);
  await context.close();
});

test('when the engine cannot be downloaded, the elements say so and what to do', async () => {
  const context = await demo.browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(OPEN_SHADOW_ROOTS);
  await page.route('**/pkg/inflow_bg.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto(crm());
  const alert = page.locator(`${panel} [role=alert]`);
  await alert.waitFor();
  const text = await alert.textContent();
  assert.match(text, /Suggestions are unavailable/);
  assert.match(text, /could not be downloaded from http:\/\/[^ ]+\/pkg\/inflow_bg\.wasm: HTTP 404\./);
  assert.match(text, /Check your connection and reload the page\./);
  await context.close();
});

test('when the CSP refuses WebAssembly and no JavaScript build is served, the elements say so', async () => {
  const context = await demo.browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(OPEN_SHADOW_ROOTS);
  // The adapter would fall back to the wasm2js build (tests/e2e/embed-adapter.test.mjs):
  // a site that does not deploy it gets the message.
  await page.route('**/pkg-fallback/**', (route) => route.fulfill({ status: 404, body: 'not deployed' }));
  await page.route('**/demo/crm.html', async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace("'wasm-unsafe-eval'", '');
    await route.fulfill({ response, body, headers: { ...response.headers(), 'content-security-policy': "script-src 'self'" } });
  });
  await page.goto(crm());
  const alert = page.locator(`${panel} [role=alert]`);
  await alert.waitFor();
  const text = await alert.textContent();
  assert.match(text, /Suggestions are unavailable/);
  assert.match(text, /does not allow WebAssembly/);
  assert.match(text, /Your other work on this page is not affected/);
  await page.getByRole('tab', { name: 'Forecast' }).click();
  assert.match(await shown(page.locator('inflow-gate')), /does not allow WebAssembly/);
  await context.close();
});
