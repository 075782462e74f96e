// Catalog text is data, and the elements are accessible: a doctored catalog whose names and
// descriptions carry HTML and script is shown as text and never runs; axe-core finds no
// violations in <inflow-offers> or <inflow-gate> (shadow roots forced open for the checks).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { launch, openDemo, startServer, REPO } from './harness.mjs';

const catalog = JSON.parse(readFileSync(join(REPO, 'manifests/catalog.json'), 'utf8'));
const EVIL_NAME = '<img src=x onerror="window.__pwned=1">Advanced <b>Reports</b>';
const EVIL_TAGLINE = '<script>window.__pwned=2</script>Unlimited exports';
const EVIL_FORECAST = 'Pipeline <iframe src="javascript:window.top.__pwned=3"></iframe>Forecasting';
for (const m of catalog.modules) {
  if (m.id === 'advanced-reports') Object.assign(m, { name: EVIL_NAME, tagline: EVIL_TAGLINE, description: '<a href="javascript:window.__pwned=4">more</a>' });
  if (m.id === 'pipeline-forecasting') m.name = EVIL_FORECAST;
}

let doctored;
let demo;
let browser;
before(async () => {
  [doctored, demo, browser] = await Promise.all([startServer({ manifests: { catalog } }), startServer(), launch()]);
});
after(async () => {
  await browser?.close();
  await Promise.all([doctored?.stop(), demo?.stop()]);
});

test('catalog names and descriptions with HTML or script show as text and never run', async () => {
  const { page, context, errors } = await openDemo(browser, `${doctored.url}demo/crm.html`, { user: 'u-rep-01' });
  const card = page.locator('inflow-offers[mode=panel] article').first();
  assert.equal(await card.locator('.title').textContent(), EVIL_NAME);
  assert.match(await card.textContent(), /<script>window.__pwned=2<\/script>Unlimited exports/);
  await page.getByRole('tab', { name: 'Forecast' }).click();
  const gate = page.locator('inflow-gate[feature="forecast.pipeline"]');
  await gate.locator('article .title').waitFor();
  assert.equal(await gate.locator('article .title').textContent(), EVIL_FORECAST);
  await card.getByRole('button', { name: /^Buy/ }).click();
  await card.getByRole('button', { name: 'Confirm purchase' }).waitFor();
  const markup = await page.evaluate(() =>
    [...document.querySelectorAll('inflow-offers, inflow-gate')]
      .map((el) => el.shadowRoot.querySelectorAll('img, script, iframe, b, a').length)
      .reduce((a, b) => a + b, 0),
  );
  assert.equal(markup, 0);
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(errors, []);
  await context.close();
});

/** axe-core's violations inside `selector` (axe reads open shadow roots). */
async function violations(page, selector) {
  await page.addScriptTag({ path: join(REPO, 'node_modules/axe-core/axe.min.js') });
  const result = await page.evaluate(
    (sel) => window.axe.run({ include: [[sel]] }, { resultTypes: ['violations'] }),
    selector,
  );
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

// The axe checks inject axe-core as a script, which the page's CSP would refuse: their
// contexts bypass the CSP (the CSP itself is checked in demo.test.mjs).
const axeOptions = { bypassCSP: true };

test('axe-core finds no violations in <inflow-offers> (panel, compact, confirmation) on the CRM page', async () => {
  const { page, context } = await openDemo(browser, `${demo.url}demo/crm.html`, { user: 'u-rep-01', context: axeOptions });
  assert.deepEqual(await violations(page, 'inflow-offers'), []);
  await page.locator('inflow-offers[mode=panel]').getByRole('button', { name: 'Buy Advanced Reports' }).click();
  await page.locator('inflow-offers[mode=panel]').getByRole('button', { name: 'Confirm purchase' }).waitFor();
  assert.deepEqual(await violations(page, 'inflow-offers[mode=panel]'), []);
  await context.close();
});

test('axe-core finds no violations in <inflow-gate> prompting for a trial or purchase', async () => {
  const { page, context } = await openDemo(browser, `${demo.url}demo/crm.html`, { user: 'u-mgr-01', context: axeOptions });
  await page.getByRole('tab', { name: 'Forecast' }).click();
  await page.locator('inflow-gate[feature="forecast.pipeline"] article').waitFor();
  assert.deepEqual(await violations(page, 'inflow-gate'), []);
  await context.close();
});

test('axe-core finds no violations in either element on the product page (neutral theme)', async () => {
  const { page, context } = await openDemo(browser, `${demo.url}demo/product.html`, { user: 'u-rep-01', context: axeOptions });
  for (let i = 0; i < 3; i++) await page.locator('#export').click();
  await page.locator('inflow-gate article').waitFor();
  assert.deepEqual(await violations(page, 'inflow-gate'), []);
  assert.deepEqual(await violations(page, 'inflow-offers'), []);
  await context.close();
});
