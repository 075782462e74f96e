// The admin console end to end: the real `inflow serve --demo` on a free loopback port with a
// fresh SQLite file, Debian's Chromium through playwright-core, and charge records built by the
// shipped wasm engine (pkg/) exactly as a user's page builds them.
//
// Closed shadow roots cannot be queried from outside, so an init script opens them for the
// test (the element's code is unchanged).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { initSync, Engine } from '../../pkg/inflow.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = process.env.INFLOW_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'debug/inflow');
initSync({ module: readFileSync(join(ROOT, 'pkg/inflow_bg.wasm')) });

let server;
let base;
let browser;

before(async () => {
  assert.ok(existsSync(BIN), `${BIN} is missing: cargo build -p inflow-server first`);
  const dir = mkdtempSync(join(tmpdir(), 'inflow-admin-'));
  server = spawn(BIN, ['serve', '--demo', '--addr', '127.0.0.1:0', '--root', ROOT,
    '--database', `sqlite://${join(dir, 'ledger.sqlite')}`, '--secret', 'e2e-secret'], { cwd: dir });
  base = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/([\d.:]+)\//);
      if (m) resolve(`http://${m[1]}`);
    });
    server.stderr.on('data', (d) => process.stderr.write(d));
    server.on('exit', (code) => reject(new Error(`inflow serve exited ${code}`)));
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

const token = async (user) => (await (await fetch(`${base}/v1/demo/token?user=${user}`)).json()).token;
const api = async (user, method, path, body) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${await token(user)}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => ({})) };
};

/** What a user's page loads, then the record its engine builds for this purchase. */
async function purchase(user, module, quantity, id) {
  const m = (await api(user, 'GET', '/v1/me/manifests')).json;
  const engine = new Engine(
    { catalog: JSON.stringify(m.catalog), contract: JSON.stringify(m.contract), policy: JSON.stringify(m.policy), refs: m.manifests },
    m.user,
  );
  const record = engine.checkout({ id, module, quantity }, Date.now());
  return api(user, 'POST', '/v1/charges', record);
}

async function openConsole(admin) {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init) {
      return attach.call(this, { ...init, mode: 'open' });
    };
  });
  await page.addInitScript((a) => localStorage.setItem('inflow.demo.admin', a), admin);
  await page.goto(`${base}/demo/admin.html`);
  await page.locator('inflow-admin .status[data-state="done"]').waitFor();
  return page;
}

const done = (page) => page.locator('inflow-admin .status[data-state="done"]').waitFor();

test('an admin removes a module from a community: the user no longer sees it, and the server refuses it', async () => {
  const page = await openConsole('u-salesops-admin');
  const reps = page.locator('inflow-admin details[data-community="sales-reps"]');
  await reps.locator('summary').click();
  await reps.getByLabel('E-Signature').uncheck();
  await reps.getByRole('button', { name: 'Save Sales reps' }).click();
  await page.getByText('Saving Sales reps: done.').waitFor();
  // The user's next load carries the new policy.
  const m = (await api('u-rep-02', 'GET', '/v1/me/manifests')).json;
  const community = m.policy.communities.find((c) => c.id === 'sales-reps');
  assert.ok(!community.modules.includes('e-signature'));
  // Even a record built as if it were offered is refused.
  const m2 = m;
  const old = JSON.parse(JSON.stringify(m2.policy));
  old.communities.find((c) => c.id === 'sales-reps').modules.push('e-signature');
  const engine = new Engine(
    { catalog: JSON.stringify(m.catalog), contract: JSON.stringify(m.contract), policy: JSON.stringify(old) }, m.user);
  const record = engine.checkout({ id: 'e2e-esig-00001', module: 'e-signature' }, Date.now());
  const refused = await api('u-rep-02', 'POST', '/v1/charges', { ...record, manifests: m.manifests });
  assert.equal(refused.status >= 400, true);
  assert.equal(refused.json.error.code, 'not_offered');
  // The admin's preview agrees.
  await page.locator('inflow-admin select').last().selectOption('u-rep-02');
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  await page.locator('inflow-admin tr[data-module="e-signature"][data-status="not_offered"]').waitFor();
  await page.close();
});

test('an admin raises a threshold: a purchase that needed approval now auto-approves', async () => {
  const first = await purchase('u-rep-06', 'pipeline-forecasting', '8', 'e2e-thr-000001');
  assert.equal(first.status, 201, JSON.stringify(first.json));
  assert.equal(first.json.route, 'needs_approval');
  const page = await openConsole('u-salesops-admin');
  const row = page.locator('inflow-admin tr[data-budget="sales-ops"]');
  await row.getByLabel('Auto-approve up to, Sales Ops budget').fill('250.00');
  await row.getByRole('button', { name: 'Save Sales Ops budget' }).click();
  await page.getByText('Saving Sales Ops budget: done.').waitFor();
  const second = await purchase('u-rep-08', 'pipeline-forecasting', '8', 'e2e-thr-000002');
  assert.equal(second.status, 201, JSON.stringify(second.json));
  assert.equal(second.json.route, 'auto_approved');
  await page.close();
});

test('the approvals queue end to end', async () => {
  const pending = await purchase('u-rep-07', 'pipeline-forecasting', '12', 'e2e-apr-000001');
  assert.equal(pending.json.status, 'pending_approval', JSON.stringify(pending.json));
  const page = await openConsole('u-salesops-admin');
  const item = page.locator('inflow-admin .approval[data-charge="e2e-apr-000001"]');
  await item.getByLabel('Reason').fill('forecasting for the west team');
  await item.getByRole('button', { name: 'Approve' }).click();
  await page.getByText(/Approving pipeline-forecasting for u-rep-07: done/).waitFor();
  await item.waitFor({ state: 'detached' });
  const grants = (await api('u-rep-07', 'GET', '/v1/me/entitlements')).json.grants;
  assert.ok(grants.some((g) => g.module === 'pipeline-forecasting'));
  await page.close();
});

test('a Marketing admin cannot change Sales, neither in the page nor through the API', async () => {
  const page = await openConsole('u-mkt-admin');
  const reps = page.locator('inflow-admin details[data-community="sales-reps"]');
  await reps.locator('summary').click();
  assert.equal(await reps.getByLabel('E-Signature').isDisabled(), true);
  assert.equal(await reps.getByRole('button', { name: /^Save/ }).count(), 0);
  assert.equal(await page.locator('inflow-admin tr[data-budget="sales-ops"] input').first().isDisabled(), true);
  const { json } = await api('u-mkt-admin', 'GET', '/v1/admin/policy');
  const doc = json.document;
  doc.policy.communities.find((c) => c.id === 'sales-reps').modules = [];
  const put = await api('u-mkt-admin', 'PUT', '/v1/admin/policy', doc);
  assert.equal(put.status, 403);
  assert.equal(put.json.error.code, 'out_of_scope');
  assert.equal(put.json.error.problems[0].path, 'policy.communities[0]');
  const after = await api('u-mkt-admin', 'GET', '/v1/admin/policy');
  assert.equal(after.json.revision, json.revision);
  await page.close();
});

test('a malformed policy import shows each error at its field and changes nothing', async () => {
  const page = await openConsole('u-salesops-admin');
  const { json } = await api('u-salesops-admin', 'GET', '/v1/admin/policy');
  const doc = json.document;
  const reps = doc.policy.communities[0];
  reps.modules.push('no-such-module');
  reps.funding.push('no-such-source');
  doc.budgets['sales-ops'].auto_approve_up_to = '99999.00';
  await page.getByLabel('Policy document (JSON) to import').fill(JSON.stringify(doc));
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByText(/Importing the policy failed/).waitFor();
  const paths = await page.locator('inflow-admin .import-problems li').evaluateAll((l) => l.map((li) => li.dataset.path));
  assert.ok(paths.includes(`policy.communities[0].modules[${reps.modules.length - 1}]`), paths.join());
  assert.ok(paths.includes(`policy.communities[0].funding[${reps.funding.length - 1}]`), paths.join());
  assert.ok(paths.some((p) => p.startsWith('budgets.sales-ops.auto_approve_up_to')), paths.join());
  // Shown at the field too: the community and the budget are marked invalid.
  assert.equal(await page.locator('inflow-admin details[data-community="sales-reps"]').getAttribute('aria-invalid'), 'true');
  const after = await api('u-salesops-admin', 'GET', '/v1/admin/policy');
  assert.equal(after.json.revision, json.revision);
  await page.close();
});

test('the insights page draws every series from the seeded history, each with its CSV', async () => {
  const { status, json } = await api('u-it-admin', 'GET', '/v1/insights');
  assert.equal(status, 200);
  assert.ok(json.revenue.filter((r) => r.currency === 'USD').length >= 18, 'eighteen months of history');
  assert.ok(json.funnel.length > 0 && json.credit.length > 0 && json.second_order.repeat_buyers > 0);
  const page = await browser.newPage();
  await page.addInitScript(() => {
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init) {
      return attach.call(this, { ...init, mode: 'open' });
    };
  });
  await page.goto(`${base}/demo/insights.html`);
  await page.getByText('Insights loaded.').waitFor();
  assert.equal(await page.evaluate(() => typeof globalThis.Chart), 'function', 'Chart.js served from /vendor/');
  const series = await page.locator('inflow-insights section[data-series]').evaluateAll((s) => s.map((x) => x.dataset.series));
  assert.deepEqual(series, ['revenue', 'second-order', 'attach', 'funnel', 'credit', 'calibration']);
  const drawn = await page.locator("inflow-insights canvas").evaluateAll((c) => c.map((x) => [x.width, Boolean(globalThis.Chart.getChart(x))]));
  console.error(JSON.stringify(drawn));
  assert.ok(drawn.length === 6 && drawn.every(([w, c]) => w > 0 && c), "every canvas has a chart");
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('inflow-insights button[data-csv="credit"]').click(),
  ]);
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\r\n');
  assert.equal(csv[0], 'owner,currency,purchases,land,expand,total');
  assert.equal(csv.length - 1, json.credit.length);
  await page.close();
});

test('the admin console has no serious accessibility violations (axe-core)', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init) {
      return attach.call(this, { ...init, mode: 'open' });
    };
    localStorage.setItem('inflow.demo.admin', 'u-salesops-admin');
  });
  await page.goto(`${base}/demo/admin.html`);
  await page.locator('inflow-admin .status[data-state="done"]').waitFor();
  await page.addScriptTag({ path: join(ROOT, 'node_modules/axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const r = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.length} (${v.nodes[0]?.target})`);
  });
  assert.deepEqual(violations, []);
  await context.close();
});
