// The iframe host page and the card entry page across origins, in Chromium. The Inflow server
// (http://127.0.0.1:P) allows one parent origin (http://localhost:Q, a second tiny server);
// http://127.0.0.1:Q is a third origin, same port, different origin: it sends messages to the
// frame that must be ignored, and may not frame the pages at all. The parent uses
// www/embed/host.js as a host page would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, OPEN_SHADOW_ROOTS, startServer } from './harness.mjs';
import { staticServer } from './static-server.mjs';

const FRAME_PARENT = `<!doctype html><html lang="en"><title>Ticket 4711</title><h1>Ticket 4711</h1>
<div id="slot"></div><iframe id="other" title="Another app"></iframe>
<script type="module">
import { embedFrame } from '/www/embed/host.js';
const q = new URLSearchParams(location.search);
window.__log = [];
window.__events = [];
addEventListener('message', (e) => __log.push({ origin: e.origin, data: JSON.stringify(e.data) }));
document.getElementById('other').src = q.get('other');
const frame = embedFrame({
  src: q.get('server') + 'embed/frame.html', container: document.getElementById('slot'),
  getToken: async () => q.get('token'), user: q.get('user'), theme: 'neutral', surface: 'zendesk.ticket',
  onEvent: (name) => __events.push(name),
});
window.__ready = frame.ready.then((r) => r, (e) => ({ error: e.code, message: e.message }));
</script>`;

// The third origin: tries to start the frame for another user and listens for anything posted to it.
const OTHER = `<!doctype html><title>Other app</title><script>
window.__got = [];
addEventListener('message', (e) => __got.push(JSON.stringify(e.data)));
const q = new URLSearchParams(location.search);
let n = 0;
const timer = setInterval(() => {
  for (let i = 0; i < parent.frames.length; i++) {
    const w = parent.frames[i];
    if (w === window) continue;
    w.postMessage({ type: 'inflow:init', version: 1, token: q.get('token'), user: 'u-mkt-02', theme: 'salesforce' }, '*');
    w.postMessage({ type: 'inflow:token', version: 1, token: q.get('token') }, '*');
  }
  if (++n > 60) clearInterval(timer);
}, 50);
</script>`;

// A parent that lies in ?parent= (the frame is embedded by localhost:Q but claims 127.0.0.1:Q).
const LIAR = `<!doctype html><title>Liar</title><body><script>
window.__log = [];
addEventListener('message', (e) => __log.push(JSON.stringify(e.data)));
const q = new URLSearchParams(location.search);
const f = document.createElement('iframe');
f.src = q.get('server') + 'embed/frame.html?parent=' + encodeURIComponent(q.get('claim'));
document.body.append(f);
</script>`;

const CARD_PARENT = `<!doctype html><html lang="en"><title>Opportunity</title><h1>Opportunity</h1>
<inflow-gate feature="email.assistant" surface="crm.email" card-entry="frame"><p>Draft: thanks for the visit.</p></inflow-gate>
<script type="module">
import { session } from '/www/inflow.js';
import { memoryStorage } from '/www/storage.js';
import { localSink } from '/www/sinks/local.js';
import { cardFrameSink } from '/www/embed/host.js';
import '/www/components/inflow-gate.js';
const q = new URLSearchParams(location.search);
window.__log = [];
window.__declined = [];
addEventListener('message', (e) => __log.push(JSON.stringify(e.data)));
const { users } = await fetch('/manifests/users.json').then((r) => r.json());
const sink = cardFrameSink({
  sink: localSink(), src: q.get('server') + 'embed/card.html', getToken: async () => q.get('token'),
  label: () => 'AI Email Assistant', onDeclined: (code) => __declined.push(code),
});
document.querySelector('inflow-gate').session = session({
  manifestsUrl: '/manifests/', user: users.find((u) => u.id === q.get('user')), storage: memoryStorage(), sink,
});
</script>`;

let server, parent, browser, parentOrigin, otherOrigin;
before(async () => {
  parent = await staticServer({
    pages: { '/frame-parent.html': { body: FRAME_PARENT }, '/other.html': { body: OTHER }, '/liar.html': { body: LIAR }, '/card-parent.html': { body: CARD_PARENT } },
  });
  parentOrigin = `http://localhost:${parent.port}`;
  otherOrigin = `http://127.0.0.1:${parent.port}`;
  [server, browser] = await Promise.all([startServer({ args: ['--embed-origin', parentOrigin] }), launch()]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await parent?.close();
});

async function token(user) {
  const res = await fetch(`${server.url}v1/demo/token?user=${user}`);
  assert.equal(res.status, 200);
  return (await res.json()).token;
}

async function newPage() {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.addInitScript(OPEN_SHADOW_ROOTS);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, context, errors };
}

test('the embed pages may be framed by the allowed origins only (CSP frame-ancestors)', async () => {
  const res = await fetch(`${server.url}embed/frame.html`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-security-policy'), new RegExp(`frame-ancestors ${parentOrigin}$`));
  const config = await (await fetch(`${server.url}embed/config.json`)).json();
  assert.deepEqual(config.origins, [parentOrigin]);
  assert.equal(config.stripe_publishable_key, null);
  const demo = await fetch(`${server.url}demo/crm.html`);
  // The allowlist opens the embed pages only; every other page may be framed by this site alone.
  assert.match(demo.headers.get('content-security-policy'), /frame-ancestors 'self'$/);
});

test('the frame shows the offers of the user the parent names, reports ready, events and height, and ignores a third origin', async () => {
  const { page, context, errors } = await newPage();
  const [rep, stranger] = await Promise.all([token("u-rep-01"), token("u-mkt-02")]);
  const q = new URLSearchParams({ server: server.url, token: rep, user: 'u-rep-01', other: `${otherOrigin}/other.html?token=${stranger}` });
  await page.goto(`${parentOrigin}/frame-parent.html?${q}`);
  const ready = await page.evaluate(() => window.__ready);
  assert.deepEqual(ready, { user: 'u-rep-01', view: 'offers' });
  const frame = page.frameLocator('#slot iframe');
  await frame.locator('inflow-offers').locator('article').first().waitFor();
  assert.equal(await frame.locator('main').getAttribute('data-user'), 'u-rep-01');
  assert.ok((await frame.locator('inflow-offers article').count()) >= 1);
  await page.waitForFunction(() => __events.includes('offer-shown'));
  const height = await page.locator('#slot iframe').evaluate((f) => parseInt(f.style.height, 10));
  assert.ok(height > 100, `iframe height ${height}`);
  // The third origin kept sending init for another user for 3 s: still the first user, and
  // nothing was ever posted to it.
  await page.waitForTimeout(3200);
  assert.equal(await frame.locator('main').getAttribute('data-user'), 'u-rep-01');
  const other = page.frames().find((f) => f.url().startsWith(otherOrigin));
  assert.deepEqual(await other.evaluate(() => window.__got), []);
  // Everything the parent received came from the frame's origin, with the contract's version.
  const log = await page.evaluate(() => window.__log);
  const fromFrame = log.filter((m) => m.origin === new URL(server.url).origin);
  assert.ok(fromFrame.length >= 3);
  for (const m of fromFrame) assert.equal(JSON.parse(m.data).version, 1);
  assert.deepEqual(
    [...new Set(fromFrame.map((m) => JSON.parse(m.data).type))].sort(),
    ['inflow:event', 'inflow:hello', 'inflow:ready', 'inflow:resize'],
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test('a parent that is not allowed cannot frame the page; one that lies about its origin is refused', async () => {
  const { page, context } = await newPage();
  // The third origin embeds the frame naming itself: the browser refuses (frame-ancestors).
  const q = new URLSearchParams({ server: server.url, claim: otherOrigin });
  await page.goto(`${otherOrigin}/liar.html?${q}`);
  await page.waitForTimeout(1500);
  const framed = page.frames().filter((f) => f !== page.mainFrame());
  assert.equal(framed.length, 1);
  assert.ok(!framed[0].url().startsWith(server.url), `the frame loaded: ${framed[0].url()}`);
  assert.equal(await framed[0].locator('main').count(), 0);
  assert.deepEqual(await page.evaluate(() => window.__log), []);
  // The allowed parent embeds it but claims to be the third origin: the frame says so, posts nothing.
  await page.goto(`${parentOrigin}/liar.html?${q}`);
  const frame = page.frameLocator('iframe');
  const alert = frame.locator('[role=alert]');
  await alert.waitFor();
  assert.match(await alert.textContent(), new RegExp(`embedded by ${parentOrigin}, not by ${otherOrigin}`));
  await page.waitForTimeout(500);
  assert.deepEqual(await page.evaluate(() => window.__log), []);
  await context.close();
});

const CARD_NUMBERS = ['4242424242424242', '4242 4242 4242 4242', '4000000000000002', '4000 0000 0000 0002'];

async function charges() {
  const res = await fetch(`${server.url}v1/charges.json`, { headers: { authorization: `Bearer ${await token('u-mkt-admin')}` } });
  return (await res.json()).charges.filter((c) => c.user === 'u-mkt-02');
}

test('card entry: a declined card says so in the card page and records nothing; a good card unlocks the parent; the number never reaches the parent', async () => {
  const { page, context, errors } = await newPage();
  const q = new URLSearchParams({ server: server.url, token: await token('u-mkt-02'), user: 'u-mkt-02' });
  await page.goto(`${parentOrigin}/card-parent.html?${q}`);
  const gate = page.locator('inflow-gate');
  await gate.getByRole('button', { name: 'Buy AI Email Assistant' }).click();
  const confirm = gate.locator('.confirm');
  assert.equal(await confirm.getByLabel('Card number').count(), 0, 'no card field in the host page');
  await confirm.getByRole('button', { name: 'Confirm purchase' }).click();

  const card = page.frameLocator('dialog iframe');
  const number = card.getByLabel('Card number');
  await number.fill('4000 0000 0000 0002');
  await card.getByRole('button', { name: /^Pay / }).click();
  const alert = card.locator('[role=alert]');
  await alert.waitFor();
  assert.match(await alert.textContent(), /Your card was declined\. Nothing was charged and no purchase was recorded\. Use another card/);
  assert.deepEqual(await page.evaluate(() => window.__declined), ['card_declined']);
  assert.deepEqual(await charges(), []);
  assert.doesNotMatch(await gate.evaluate((g) => g.shadowRoot.textContent), /is yours/);

  await number.fill('4242 4242 4242 4242');
  await card.getByRole('button', { name: /^Pay / }).click();
  await page.locator('dialog').waitFor({ state: 'detached' });
  await gate.locator('p', { hasText: 'Draft:' }).waitFor();
  assert.match(await gate.locator('.notice').textContent(), /AI Email Assistant is yours/);
  const recorded = await charges();
  assert.equal(recorded.length, 1);
  assert.equal(recorded[0].route, 'card');

  const parentHtml = await page.content();
  const log = (await page.evaluate(() => window.__log)).join('\n');
  for (const n of CARD_NUMBERS) {
    assert.ok(!parentHtml.includes(n), `the parent document holds ${n}`);
    assert.ok(!log.includes(n), `a message to the parent holds ${n}`);
  }
  assert.ok(log.includes('inflow:card-result'));
  assert.deepEqual(errors, []);
  await context.close();
});
