// The HTTP sink and its IndexedDB outbox in headless Chromium against the real
// `inflow serve --demo`: a purchase recorded and acknowledged; the server killed while the page
// sends, the page reloaded while it is down, the server restarted on the same ledger and the
// charge recorded exactly once; one body per id; a refusal with the server's code.
//
// The page's own files (www/, pkg/, manifests/ and a small harness) are served by Playwright
// from the working tree on the server's origin, so the page loads while the server is down;
// only /v1/* reaches the server.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serverBinary } from './harness.mjs';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
];
const SECRET = 'outbox-e2e-secret-not-for-production';
const CSP = "script-src 'self' 'wasm-unsafe-eval'";
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
};

// The harness page: opens an adapter session for ?user= with the HTTP sink (the default
// IndexedDB outbox), demo tokens from the server, a short backoff, and logs the sink's events.
const HARNESS_HTML = `<!doctype html><html lang="en"><meta charset="utf-8"><title>outbox e2e</title>
<script type="module" src="/__outbox__/harness.js"></script><body><p>outbox e2e</p></body></html>`;
const HARNESS_JS = `
import { session } from '/inflow.js';
import { httpSink } from '/sinks/http.js';
import { memoryStorage } from '/storage.js';

const userId = new URLSearchParams(location.search).get('user') ?? 'u-rep-01';
const events = [];
const getToken = async () => {
  const res = await fetch('/v1/demo/token?user=' + encodeURIComponent(userId));
  if (!res.ok) throw new Error('demo token: HTTP ' + res.status);
  return (await res.json()).token;
};
const sink = httpSink({
  getToken,
  user: userId,
  backoff: { base: 100, max: 1000 },
  onChange: (d) => events.push({ id: d.id, state: d.state, ui: d.ui, code: d.error?.code, status: d.receipt?.status }),
});
const users = (await (await fetch('/manifests/users.json')).json()).users;
const user = users.find((u) => u.id === userId);
const s = await session({ manifestsUrl: '/manifests/', user, storage: memoryStorage(), sink });
// A second session whose sink keeps what it is handed: records priced by the engine that were
// never sent, for the tests to tamper with.
const drafts = [];
const dry = await session({
  manifestsUrl: '/manifests/',
  user,
  storage: memoryStorage(),
  sink: { deliver: async (record) => (drafts.push(record), { status: 'held' }) },
});
const results = {};
const settle = (key, p) =>
  p.then(
    (value) => (results[key] = { ok: true, value }),
    (e) => (results[key] = { ok: false, code: e.code, message: e.message, kind: e.kind }),
  );
let records = 0;
window.harness = {
  events,
  results,
  sink,
  buy(module, key = module, quantity) {
    settle(key, s.checkout({ module, quantity, surface: 'e2e' }));
    return key;
  },
  deliver(record, key = record.id + '#' + ++records) {
    settle(key, sink.deliver(record));
    return key;
  },
  entries: () => sink.outbox.all(),
  async draft(module) {
    await dry.checkout({ module, surface: 'e2e' });
    return drafts.at(-1);
  },
};
document.body.dataset.ready = 'true';
`;

/** `inflow serve --demo` on `addr` over the ledger in `dir`; resolves to { url, child }. */
function serve(dir, addr = '127.0.0.1:0') {
  const child = spawn(
    serverBinary(),
    ['serve', '--demo', '--addr', addr, '--root', REPO, '--manifests', join(REPO, 'manifests'),
      '--database', `sqlite://${join(dir, 'ledger.sqlite')}`, '--secret', SECRET],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`inflow serve did not start: ${stderr}`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/([\d.]+:\d+)\//);
      if (m) {
        clearTimeout(timer);
        ok({ url: `http://${m[1]}`, addr: m[1], child });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`inflow serve exited (${code}): ${stderr}`));
    });
  });
}

/** Kills the server with SIGKILL (no graceful shutdown) and waits for it to be gone. */
async function kill(child) {
  if (child.exitCode != null || child.signalCode != null) return;
  const gone = new Promise((ok) => child.once('exit', ok));
  child.kill('SIGKILL');
  await gone;
}

/** Serves the page's files from the working tree; /v1/* goes on to the server. */
async function routeFiles(context, origin) {
  await context.route(`${origin}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path.startsWith('/v1/')) return route.continue();
    const headers = { 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' };
    if (path === '/__outbox__/' || path === '/__outbox__/index.html') {
      return route.fulfill({ status: 200, headers, contentType: TYPES['.html'], body: HARNESS_HTML });
    }
    if (path === '/__outbox__/harness.js') {
      return route.fulfill({ status: 200, headers, contentType: TYPES['.js'], body: HARNESS_JS });
    }
    const file = path.startsWith('/pkg/') || path.startsWith('/manifests/') ? join(REPO, path) : join(REPO, 'www', path);
    if (!file.startsWith(REPO) || !existsSync(file)) return route.fulfill({ status: 404, headers, body: 'not found' });
    return route.fulfill({ status: 200, headers, contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
  });
}

async function token(origin, user) {
  const res = await fetch(`${origin}/v1/demo/token?user=${user}`);
  assert.equal(res.status, 200);
  return (await res.json()).token;
}

/** The ledger as an admin of sales sees it: GET /v1/charges.json. */
async function ledger(origin) {
  const res = await fetch(`${origin}/v1/charges.json`, {
    headers: { authorization: `Bearer ${await token(origin, 'u-salesops-admin')}` },
  });
  assert.equal(res.status, 200);
  return (await res.json()).charges;
}

let browser;
let dir;
let server;
let origin;
const pages = [];

before(async () => {
  assert.ok(existsSync(join(REPO, 'pkg', 'inflow_bg.wasm')), 'pkg/ is missing: run scripts/build-wasm.sh');
  dir = mkdtempSync(join(tmpdir(), 'inflow-outbox-e2e-'));
  server = await serve(dir);
  origin = server.url;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
});

after(async () => {
  await browser?.close();
  if (server) await kill(server.child);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A fresh profile on the harness page for `user`; logs every POST /v1/charges body. */
async function open(user = 'u-rep-01') {
  const context = await browser.newContext();
  await routeFiles(context, origin);
  const page = await context.newPage();
  const posts = [];
  const errors = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/v1/charges') posts.push(r.postData());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  const url = `${origin}/__outbox__/?user=${user}`;
  const load = async () => {
    await page.goto(url);
    await page.waitForFunction(() => document.body?.dataset.ready === 'true', null, { timeout: 20_000 });
  };
  await load();
  pages.push(context);
  return { page, context, posts, errors, reload: load };
}

const result = (page, key) =>
  page.waitForFunction((k) => window.harness.results[k], key, { timeout: 30_000 }).then((h) => h.jsonValue());

/** Every id sent is sent with one body only. */
function oneBodyPerId(posts) {
  const bodies = new Map();
  for (const body of posts) {
    const id = JSON.parse(body).id;
    if (!bodies.has(id)) bodies.set(id, new Set());
    bodies.get(id).add(body);
  }
  for (const [id, set] of bodies) assert.equal(set.size, 1, `charge ${id} was sent with ${set.size} bodies`);
  return bodies;
}

test('a purchase goes through the outbox, is recorded, and the outbox keeps the receipt', async () => {
  const { page, posts, errors, context } = await open('u-rep-01');
  await page.evaluate(() => window.harness.buy('advanced-reports', 'first'));
  const r = await result(page, 'first');
  assert.ok(r.ok, `the purchase failed: ${r.code} ${r.message}`);
  const { record, receipt } = r.value;
  assert.equal(receipt.status, 'recorded');
  assert.equal(receipt.charge_id, record.id);
  assert.equal(receipt.grant.module, 'advanced-reports');
  const entries = await page.evaluate(() => window.harness.entries());
  const entry = entries.find((e) => e.id === record.id);
  assert.equal(entry.state, 'acked');
  assert.equal(entry.attempts, 1);
  assert.deepEqual(entry.receipt, receipt);
  const states = (await page.evaluate(() => window.harness.events)).filter((e) => e.id === record.id).map((e) => e.state);
  assert.deepEqual(states, ['queued', 'sending', 'recorded']);
  assert.equal(posts.length, 1);
  assert.equal(posts[0], entry.body, 'the body sent is the stored one');
  const rows = (await ledger(origin)).filter((c) => c.id === record.id);
  assert.equal(rows.length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a purchase above the auto-approve limit is acknowledged as pending approval', async () => {
  const { page, context } = await open('u-rep-04');
  await page.evaluate(() => window.harness.buy('pipeline-forecasting', 'big', 8));
  const r = await result(page, 'big');
  assert.ok(r.ok, `the purchase failed: ${r.code} ${r.message}`);
  const { record, receipt } = r.value;
  assert.equal(receipt.status, 'pending_approval');
  assert.equal(receipt.route, 'needs_approval');
  assert.equal(receipt.grant, undefined);
  const last = (await page.evaluate(() => window.harness.events)).filter((e) => e.id === record.id).at(-1);
  assert.deepEqual([last.state, last.ui], ['pending_approval', 'pending']);
  const entry = (await page.evaluate(() => window.harness.entries())).find((e) => e.id === record.id);
  assert.equal(entry.state, 'acked', 'the server has it: nothing more to send');
  const [row] = (await ledger(origin)).filter((c) => c.id === record.id);
  assert.equal(row.status, 'pending_approval');
  await context.close();
});

test('killed while sending: the charge waits in the outbox across a reload and is recorded once after a restart', async () => {
  const { page, context, posts, errors, reload } = await open('u-rep-02');
  // The first POST kills the server before it reaches it: the page's request fails mid-send.
  let killed = false;
  await page.route(`${origin}/v1/charges`, async (route) => {
    if (!killed) {
      killed = true;
      await kill(server.child);
    }
    return route.continue();
  });
  await page.evaluate(() => window.harness.buy('advanced-reports', 'offline'));
  await page.waitForFunction(
    () => window.harness.events.filter((e) => e.state === 'retrying').length >= 2,
    null,
    { timeout: 20_000 },
  );
  assert.ok(killed);
  const [entry] = await page.evaluate(() => window.harness.entries());
  assert.equal(entry.state, 'pending');
  assert.ok(entry.attempts >= 2);
  assert.equal(entry.lastError.code, 'network');
  const id = entry.id;

  // Reload while the server is down: the new page's sink finds the entry and keeps trying.
  await reload();
  await page.waitForFunction(
    (i) => window.harness.events.some((e) => e.id === i && e.state === 'retrying'),
    id,
    { timeout: 20_000 },
  );
  const [after] = await page.evaluate(() => window.harness.entries());
  assert.equal(after.id, id);
  assert.equal(after.state, 'pending');
  assert.equal(after.body, entry.body, 'the stored body never changes');

  // The same id with another body is refused by the outbox and never sent.
  const tampered = { ...JSON.parse(entry.body), total: '0.01' };
  const key = await page.evaluate((r) => window.harness.deliver(r), tampered);
  const conflict = await result(page, key);
  assert.equal(conflict.ok, false);
  assert.equal(conflict.code, 'outbox_conflict');

  // The server comes back on the same address and ledger; the browser says it is online.
  server = await serve(dir, server.addr);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.waitForFunction(
    (i) => window.harness.events.some((e) => e.id === i && e.state === 'recorded'),
    id,
    { timeout: 30_000 },
  );
  const [done] = await page.evaluate(() => window.harness.entries());
  assert.equal(done.state, 'acked');
  assert.equal(done.receipt.status, 'recorded');
  assert.equal(done.receipt.charge_id, id);

  // Exactly once in the ledger, with the body the page stored first.
  const rows = (await ledger(origin)).filter((c) => c.id === id);
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0].record, JSON.parse(entry.body));

  // A replay (another tab, a lost answer) gets the first receipt and records nothing new.
  const again = await fetch(`${origin}/v1/charges`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(origin, 'u-rep-02')}` },
    body: entry.body,
  });
  assert.equal(again.status, 200);
  assert.deepEqual(await again.json(), done.receipt);
  assert.equal((await ledger(origin)).filter((c) => c.id === id).length, 1);

  // Nothing is left to send after one more reload; one body per id on the wire.
  await reload();
  assert.equal((await page.evaluate(() => window.harness.sink.pending())).length, 0);
  assert.ok(posts.length >= 2);
  oneBodyPerId(posts);
  assert.ok(!posts.some((b) => JSON.parse(b).total === '0.01'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a refusal rejects with the server code and message, is not retried, and records nothing', async () => {
  const { page, posts, context } = await open('u-rep-03');
  // A purchase the engine priced but nobody sent, its total lowered: the server re-prices it.
  const draft = await page.evaluate(() => window.harness.draft('advanced-reports'));
  assert.notEqual(draft.total, '0.01');
  const forged = { ...draft, id: `${draft.id}-forged`, total: '0.01' };
  const key = await page.evaluate((r) => window.harness.deliver(r), forged);
  const r = await result(page, key);
  assert.equal(r.ok, false);
  assert.equal(r.code, 'price_mismatch');
  assert.equal(r.kind, 'failed');
  assert.ok(r.message.length > 10, r.message);
  const entry = (await page.evaluate(() => window.harness.entries())).find((e) => e.id === forged.id);
  assert.deepEqual([entry.state, entry.error.code, entry.error.status], ['failed', 'price_mismatch', 422]);
  assert.equal(posts.filter((b) => JSON.parse(b).id === forged.id).length, 1, 'sent once, not retried');
  assert.equal((await ledger(origin)).filter((c) => c.id === forged.id).length, 0);
  const states = (await page.evaluate(() => window.harness.events)).filter((e) => e.id === forged.id);
  const last = states.at(-1);
  assert.deepEqual([last.state, last.ui, last.code], ['failed', 'failed', 'price_mismatch']);
  await context.close();
});
