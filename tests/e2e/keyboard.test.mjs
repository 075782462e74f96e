// The elements with the keyboard alone, on the served CRM demo in Debian's Chromium: Tab reaches
// the offers and the gate's prompt, Enter acts, Escape backs out, and focus always lands where
// the user can read what happened (the confirmation's heading, the Buy button again, the
// outcome). Nothing here clicks.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { openDemo } from './harness.mjs';
import { demoSuite } from './suite.mjs';

const demo = demoSuite();

/** What has focus, through the elements' (test-opened) shadow roots. */
function focused(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    const host = el?.getRootNode().host;
    return {
      tag: el?.localName,
      label: el?.getAttribute('aria-label') ?? null,
      text: el?.textContent.trim().replace(/\s+/g, ' ').slice(0, 160) ?? '',
      host: host ? `${host.localName}[${host.getAttribute('mode') ?? host.getAttribute('feature')}]` : null,
    };
  });
}

/** Presses Tab from where focus is until `wanted(focused)`; fails after `max` presses. */
async function tabTo(page, wanted, what, max = 80) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (wanted(f)) return f;
    seen.push(f.label ?? f.text.slice(0, 30));
  }
  assert.fail(`Tab never reached ${what} in ${max} presses; focus went through: ${seen.join(' | ')}`);
}

/** Waits until focus is on an element matching `wanted`, returns it. */
async function focusSettles(page, wanted, what) {
  let f;
  for (let i = 0; i < 100; i++) {
    f = await focused(page);
    if (wanted(f)) return f;
    await page.waitForTimeout(50);
  }
  assert.fail(`focus did not move to ${what}; it is on ${JSON.stringify(f)}`);
}

test("keyboard alone: Tab reaches the panel's Buy, Enter confirms in place, Escape backs out to Buy, Enter buys and the outcome takes focus", async () => {
  const { page, context, errors } = await openDemo(demo.browser, `${demo.server.url}demo/crm.html`, { user: 'u-rep-01' });
  const panel = 'inflow-offers[panel]';
  const buy = await tabTo(page, (f) => f.host === panel && /^Buy /.test(f.label ?? ''), "the panel's Buy button");
  const name = buy.label.slice('Buy '.length);
  const expanded = () =>
    page.locator(panel.replace('[panel]', '[mode=panel]')).getByRole('button', { name: buy.label, exact: true }).getAttribute('aria-expanded');

  await page.keyboard.press('Enter');
  const heading = await focusSettles(page, (f) => /^h\d$/.test(f.tag) && f.text === `Confirm: ${name}`, `the confirmation of ${name}`);
  assert.equal(heading.host, panel);
  assert.equal(await expanded(), 'true');

  await page.keyboard.press('Escape');
  await focusSettles(page, (f) => f.label === buy.label, `${buy.label} again after Escape`);
  assert.equal(await expanded(), 'false');
  assert.equal(await page.locator('inflow-offers[mode=panel] .confirm:not([hidden])').count(), 0, 'Escape closes the confirmation');

  await page.keyboard.press('Enter');
  await focusSettles(page, (f) => f.text === `Confirm: ${name}`, 'the confirmation, opened again');
  let next = await tabTo(page, (f) => f.text === 'Confirm purchase' || f.tag === 'input', 'the card field or Confirm purchase', 3);
  if (next.tag === 'input') {
    await page.keyboard.type('4242424242424242');
    next = await tabTo(page, (f) => f.text === 'Confirm purchase', 'Confirm purchase', 3);
  }
  await page.keyboard.press('Enter');
  const outcome = await focusSettles(page, (f) => f.host === panel && f.text.startsWith(name), `the purchase's outcome for ${name}`);
  assert.match(outcome.text, / is yours| was sent .*for approval/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("keyboard alone: Tab reaches the gate's prompt, Enter starts the trial, the feature opens and its outcome takes focus", async () => {
  const { page, context, errors } = await openDemo(demo.browser, `${demo.server.url}demo/crm.html`, { user: 'u-rep-01' });
  const gate = 'inflow-gate[email.assistant]';
  const prompt = page.locator('inflow-gate[feature="email.assistant"]');
  await prompt.getByRole('region', { name: 'Unlock this feature' }).waitFor();
  const tryIt = await tabTo(page, (f) => f.host === gate && /^Try \d+ days of /.test(f.label ?? ''), "the gate's Try button");
  await page.keyboard.press('Enter');
  const outcome = await focusSettles(page, (f) => f.host === gate && /trial of .* has started/.test(f.text), 'the trial\'s outcome');
  const name = tryIt.label.replace(/^Try \d+ days of (.*) free$/, '$1');
  assert.ok(outcome.text.includes(name), `the outcome names ${name}: ${outcome.text}`);
  // The gated content shows in place of the prompt, without a reload.
  await prompt.getByRole('region', { name: 'Unlock this feature' }).waitFor({ state: 'detached' });
  assert.ok(await prompt.evaluate((el) => el.shadowRoot.querySelector('slot') !== null), 'the gate shows its content');
  assert.deepEqual(errors, []);
  await context.close();
});
