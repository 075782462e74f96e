// Purchases end to end: the demo pages with the HTTP sink (?sink=http) against the real
// `inflow serve --demo`, in Debian's Chromium. An auto-approved purchase unlocks the feature;
// one above the auto-approve limit waits for the approver, who approves it through the API,
// and the page learns of it on reload; a declined test card says so and records nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { launch, openDemo, startServer, REPO } from './harness.mjs';

let server;
let strict; // the demo with Sales Ops auto-approving only up to 10.00 USD
let browser;

const contract = JSON.parse(readFileSync(join(REPO, 'manifests', 'contract.json'), 'utf8'));
for (const f of contract.funding) if (f.id === 'sales-ops') f.auto_approve_up_to = '10.00';

before(async () => {
  [server, strict, browser] = await Promise.all([startServer(), startServer({ manifests: { contract } }), launch()]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await strict?.stop();
});

const shown = (locator) => locator.first().evaluate((el) => el.shadowRoot.textContent);

/** A demo token for `user` from the server at `base`. */
async function tokenFor(base, user) {
  const res = await fetch(`${base}v1/demo/token?user=${user}`);
  assert.equal(res.status, 200);
  return (await res.json()).token;
}

async function api(base, user, path, init = {}) {
  const token = await tokenFor(base, user);
  const res = await fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
  return { status: res.status, body: await res.json() };
}

/** Uses the last three exports of the month so the gate offers Advanced Reports. */
async function reachExportLimit(page) {
  await page.locator('#usage', { hasText: '47 of 50' }).waitFor();
  for (let i = 0; i < 3; i++) {
    await page.locator('#export').click();
    await page.locator('#usage', { hasText: `${48 + i} of 50` }).waitFor();
  }
  const gate = page.locator('inflow-gate[feature="reports.export"]');
  await gate.getByRole('button', { name: 'Buy Advanced Reports' }).waitFor();
  return gate;
}

async function buyInGate(gate) {
  await gate.getByRole('button', { name: 'Buy Advanced Reports' }).click();
  const confirm = gate.locator('.confirm');
  await confirm.getByRole('button', { name: 'Confirm purchase' }).click();
}

test('an auto-approved purchase is recorded by the server and opens the export gate', async () => {
  const { page, context, errors } = await openDemo(browser, `${server.url}demo/product.html?sink=http`, { user: 'u-rep-01' });
  const gate = await reachExportLimit(page);
  assert.equal(await page.locator('#export').isVisible(), false);
  await buyInGate(gate);
  await page.locator('#export').waitFor({ state: 'visible' });
  assert.match(await gate.locator('.notice').textContent(), /Advanced Reports is yours/);
  const { body } = await api(server.url, 'u-salesops-admin', 'v1/charges.json');
  const mine = body.charges.filter((c) => c.user === 'u-rep-01' && c.module === 'advanced-reports');
  assert.equal(mine.length, 1, JSON.stringify(body));
  assert.equal(mine[0].route, 'auto_approved');
  assert.deepEqual(errors, []);
  await context.close();
});

test('above the auto-approve limit the purchase waits; once approved the feature unlocks after a reload', async () => {
  const url = `${strict.url}demo/product.html?sink=http`;
  const { page, context, errors } = await openDemo(browser, url, { user: 'u-rep-01' });
  const gate = await reachExportLimit(page);
  await buyInGate(gate);
  await gate.locator('.notice', { hasText: 'for approval' }).waitFor();
  assert.equal(await page.locator('#export').isVisible(), false);

  const pending = await api(strict.url, 'u-salesops-admin', 'v1/approvals');
  assert.equal(pending.status, 200);
  const request = pending.body.pending.find((p) => (p.user ?? p.record?.user) === 'u-rep-01') ?? pending.body.pending[0];
  assert.ok(request, JSON.stringify(pending.body));
  const id = request.charge_id ?? request.id;
  const approved = await api(strict.url, 'u-salesops-admin', `v1/approvals/${encodeURIComponent(id)}/approve`, {
    method: 'POST',
    body: JSON.stringify({ reason: 'fine' }),
  });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(approved.body.status, 'approved');

  await page.reload();
  await page.locator('#export').waitFor({ state: 'visible' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a declined test card says so and records nothing', async () => {
  const { page, context } = await openDemo(browser, `${server.url}demo/crm.html?sink=http`, { user: 'u-mkt-02' });
  const card = page.locator('inflow-gate[feature="email.assistant"] article');
  await card.getByRole('button', { name: 'Buy AI Email Assistant' }).click();
  const confirm = card.locator('.confirm');
  const field = confirm.getByLabel('Card number');
  assert.equal(await field.inputValue(), '');
  await field.fill('4000 0000 0000 0002');
  await confirm.getByRole('button', { name: 'Confirm purchase' }).click();
  const alert = card.locator('[role=alert]');
  await alert.waitFor();
  const text = await alert.textContent();
  assert.match(text, /Your card was declined/);
  assert.match(text, /Nothing was charged and no purchase was recorded/);
  assert.match(text, /Use another card/);
  const { status, body } = await api(server.url, 'u-mkt-admin', 'v1/charges.json');
  assert.equal(status, 200);
  assert.deepEqual(body.charges, []);
  assert.doesNotMatch(await shown(page.locator('inflow-gate[feature="email.assistant"]')), /is yours/);
  // The same card field then takes a good card.
  await field.fill('4242424242424242');
  await confirm.getByRole('button', { name: 'Confirm purchase' }).click();
  await page.locator('inflow-gate[feature="email.assistant"] p', { hasText: 'Draft:' }).waitFor();
  const after = await api(server.url, 'u-mkt-admin', 'v1/charges.json');
  assert.equal(after.body.charges.length, 1);
  assert.equal(after.body.charges[0].route, 'card');
  await context.close();
});

test('the page reports its funnel: the offers it showed and a purchase reach the insights', async () => {
  // The CRM sidebar (crm.record), where no other test here shows or buys anything.
  const funnel = async () => (await api(server.url, 'u-it-admin', 'v1/insights')).body.funnel;
  const count = (rows, module, stage) => rows.find((r) => r.module === module && r.surface === 'crm.record')?.[stage] ?? 0;
  const before = await funnel();
  const { page, context, errors } = await openDemo(browser, `${server.url}demo/crm.html?sink=http`, { user: 'u-rep-02' });
  const panel = page.locator('inflow-offers[surface="crm.record"]');
  await panel.locator('article').first().waitFor();
  const modules = await panel.locator('article').evaluateAll((cards) => cards.map((c) => c.dataset.module));
  assert.ok(modules.length > 0 && modules.every(Boolean), `offer cards name their module: ${modules}`);
  const bought = modules[0];
  const card = panel.locator(`article[data-module="${bought}"]`);
  await card.getByRole('button', { name: /^Buy / }).click();
  await card.locator('.confirm').getByRole('button', { name: 'Confirm purchase' }).click();
  await panel.locator('.notice', { hasText: 'is yours' }).waitFor();
  assert.deepEqual(errors, []);
  // The reporter posts within a few seconds, and at once when the page is left.
  await page.goto('about:blank');
  let after;
  for (let i = 0; i < 40 && count(after ?? before, bought, 'bought') === count(before, bought, 'bought'); i++) {
    await new Promise((ok) => setTimeout(ok, 250));
    after = await funnel();
  }
  for (const m of modules) assert.equal(count(after, m, 'shown'), count(before, m, 'shown') + 1, `${m} shown once more`);
  assert.equal(count(after, bought, 'opened'), count(before, bought, 'opened') + 1);
  assert.equal(count(after, bought, 'bought'), count(before, bought, 'bought') + 1);
  await context.close();
});
