// The DOM events a host listens to (`inflow:offer-shown`, `offer-opened`, `offer-dismissed`,
// `trial-started`, `purchase-requested`, `purchase-confirmed`), as the served CRM demo's own
// elements cause them in Debian's Chromium: each once per action, for the signed-in user, with
// the module and the surface it happened on, in the order the user acted.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { openDemo } from './harness.mjs';
import { demoSuite } from './suite.mjs';

const demo = demoSuite();
const crm = () => `${demo.server.url}demo/crm.html`;

const TYPES = ['offer-shown', 'offer-opened', 'offer-dismissed', 'trial-started', 'purchase-requested', 'purchase-confirmed'];

/** Records every Inflow event on the document from the page's start, as a host's listener would. */
const EVENT_LOG = `(() => {
  const log = (globalThis.__events = []);
  for (const type of ${JSON.stringify(TYPES)}) {
    document.addEventListener('inflow:' + type, (e) => {
      const d = e.detail ?? {};
      log.push({
        type,
        user: d.user,
        surface: d.surface,
        modules: d.offers ? d.offers.map((o) => o.module) : [d.offer?.module ?? d.module ?? d.record?.module],
        status: d.receipt?.status ?? null,
      });
    });
  }
})();`;

const events = (page) => page.evaluate(() => globalThis.__events);
/** What the user did, without the offers shown as the elements re-render (e.g. a tip for what was bought). */
const acts = (log) => log.filter((e) => e.type !== 'offer-shown').map((e) => [e.type, e.modules[0], e.surface]);
/** The events after the first `from`, waiting until one of `type` has come. */
async function until(page, type, from = 0) {
  await page.waitForFunction(([t, n]) => globalThis.__events.slice(n).some((e) => e.type === t), [type, from]);
  return (await events(page)).slice(from);
}

test('each action on the page dispatches its event once, for the user, with the module and the surface', async () => {
  const { page, context, errors } = await openDemo(demo.browser, crm(), { user: 'u-rep-01', init: [EVENT_LOG] });

  // Shown: once per surface, listing what that element shows.
  const panel = page.locator('inflow-offers[mode=panel]');
  await page.waitForFunction(() => ['crm.record', 'crm.activity'].every((s) => globalThis.__events.some((e) => e.type === 'offer-shown' && e.surface === s)));
  const onLoad = await events(page);
  const shownOn = (surface) => onLoad.filter((e) => e.type === 'offer-shown' && e.surface === surface);
  assert.equal(shownOn('crm.record').length, 1, JSON.stringify(onLoad));
  assert.equal(shownOn('crm.activity').length, 1, JSON.stringify(onLoad));
  const cards = await panel.locator('article').count();
  assert.equal(shownOn('crm.record')[0].modules.length, cards, 'the panel reports the offers it shows');
  assert.ok(shownOn('crm.record')[0].modules.includes('advanced-reports'), JSON.stringify(onLoad));
  assert.ok(onLoad.every((e) => e.user === 'u-rep-01'), JSON.stringify(onLoad));
  assert.deepEqual(onLoad.filter((e) => e.type !== 'offer-shown'), [], 'loading the page does nothing else');

  // Opened, then requested and confirmed: a purchase in the Forecast gate.
  await page.getByRole('tab', { name: 'Forecast' }).click();
  const gate = page.locator('inflow-gate[feature="forecast.pipeline"]');
  let from = (await events(page)).length;
  await gate.getByRole('button', { name: 'Buy Pipeline Forecasting' }).click();
  let after = await until(page, 'offer-opened', from);
  assert.deepEqual(acts(after), [['offer-opened', 'pipeline-forecasting', 'crm.forecast']]);
  from += after.length;
  await gate.locator('.confirm').getByRole('button', { name: 'Confirm purchase' }).click();
  after = await until(page, 'purchase-confirmed', from);
  assert.deepEqual(acts(after), [
    ['purchase-requested', 'pipeline-forecasting', 'crm.forecast'],
    ['purchase-confirmed', 'pipeline-forecasting', 'crm.forecast'],
  ]);
  assert.match(after.find((e) => e.type === 'purchase-confirmed').status, /^(confirmed|recorded)$/);
  from += after.length;

  // Dismissed: from the panel.
  await panel.getByRole('button', { name: 'Dismiss Advanced Reports' }).click();
  after = await until(page, 'offer-dismissed', from);
  assert.deepEqual(acts(after), [['offer-dismissed', 'advanced-reports', 'crm.record']]);
  from += after.length;

  // Trial started: the email gate, back on the Details tab.
  await page.getByRole('tab', { name: 'Details' }).click();
  const email = page.locator('inflow-gate[feature="email.assistant"]');
  await email.getByRole('button', { name: /^Try \d+ days of AI Email Assistant free$/ }).click();
  after = await until(page, 'trial-started', from);
  assert.deepEqual(acts(after), [['trial-started', 'ai-email-assistant', 'crm.email']]);

  const all = await events(page);
  assert.ok(all.every((e) => e.user === 'u-rep-01'), JSON.stringify(all));
  // Re-renders report only the offers not shown before on that surface.
  const pairs = all.filter((e) => e.type === 'offer-shown').flatMap((e) => e.modules.map((m) => `${e.surface} ${m}`));
  assert.deepEqual(pairs, [...new Set(pairs)], 'an offer is reported shown once per surface');
  for (const type of TYPES) assert.ok(all.some((e) => e.type === type), `no ${type} event`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a purchase that waits for approval is requested, not confirmed', async () => {
  // The budget-strained user: purchases from their budget need their approver.
  const { page, context } = await openDemo(demo.browser, crm(), { user: 'u-rep-05', init: [EVENT_LOG] });
  const panel = page.locator('inflow-offers[mode=panel]');
  const buy = panel.locator('article', { hasText: /needs approval/i }).first().getByRole('button', { name: /^Buy / });
  const name = (await buy.getAttribute('aria-label')).slice('Buy '.length);
  await buy.click();
  await panel.locator('.confirm').getByRole('button', { name: 'Confirm purchase' }).click();
  await panel.locator('.notice', { hasText: name }).waitFor();
  const notice = await panel.locator('.notice').textContent();
  const all = await events(page);
  const requested = all.filter((e) => e.type === 'purchase-requested');
  assert.equal(requested.length, 1, JSON.stringify(all));
  const confirmed = all.filter((e) => e.type === 'purchase-confirmed');
  assert.match(notice, /for approval/, `u-rep-05's purchase of ${name} should wait for approval`);
  assert.deepEqual(confirmed, [], `${notice} yet: ${JSON.stringify(confirmed)}`);
  await context.close();
});
