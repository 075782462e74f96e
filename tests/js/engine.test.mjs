// The Engine class on the shipped, wasm-opt'ed pkg/: every method on the demo scenario,
// and errors as real Error objects with code and path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { initSync, Engine } from '../../pkg/inflow.js';

initSync({ module: readFileSync(new URL('../../pkg/inflow_bg.wasm', import.meta.url)) });

const read = (name) => readFileSync(new URL(`../../manifests/${name}.json`, import.meta.url), 'utf8');
const manifests = { catalog: read('catalog'), contract: read('contract'), policy: JSON.parse(read('policy')) };
const users = JSON.parse(read('users')).users;
const user = (id) => users.find((u) => u.id === id);
const now = Date.UTC(2026, 10, 21, 10);

function thrown(fn) {
  try { fn(); } catch (e) { return e; }
  assert.fail('expected an error');
}

test('a session checks, records usage and refuses past the limit', () => {
  const e = new Engine(manifests, user('u-rep-01'));
  const first = e.check('reports.export', now);
  assert.equal(first.allowed, true);
  assert.equal(first.remaining, '50');
  for (let i = 0; i < 50; i++) e.recordUsage('reports.export', '1', now);
  const err = thrown(() => e.recordUsage('reports.export', '1', now));
  assert.ok(err instanceof Error);
  assert.equal(err.code, 'limit_exceeded');
  assert.equal(e.check('reports.export', now).allowed, false);
});

test('checkout prices at the contract and apply unlocks without a new session', () => {
  const e = new Engine(manifests, user('u-rep-01'));
  const record = e.checkout({ id: 'charge-js-0001', module: 'advanced-reports' }, now);
  assert.equal(record.total, '10.80');
  assert.equal(record.currency, 'USD');
  assert.equal(record.funding.route, 'auto_approved');
  // Without the server's refs the record names the versions it was priced from, no digests.
  assert.deepEqual(record.manifests.catalog, { version: JSON.parse(manifests.catalog).version, digest: '' });
  const grant = e.apply(record);
  assert.equal(grant.module, 'advanced-reports');
  assert.equal(e.check('reports.export', now).remaining, null);
  assert.deepEqual(e.owned(now), ['advanced-reports']);
});

test('apply reads what it grants from a record: a bad period is refused at its path, the money is not its to check', () => {
  const e = new Engine(manifests, user('u-rep-01'));
  const record = e.checkout({ id: 'charge-js-0003', module: 'advanced-reports' }, now);
  const bad = thrown(() => e.apply({ ...record, period: { ...record.period, start: 'soon' } }));
  assert.ok(bad instanceof Error);
  assert.equal(bad.code, 'manifest_invalid');
  assert.equal(bad.path, 'record.period.start');
  assert.deepEqual(e.owned(now), [], 'a refused record grants nothing');
  const other = thrown(() => e.apply({ ...record, user: 'u-rep-02' }));
  assert.equal(other.code, 'invalid_input');
  assert.equal(other.path, 'record.user');
  // The amounts and the funding's details are the server's to verify (it re-prices every
  // record); applying a record the sink confirmed only needs what it grants.
  const grant = e.apply({ ...record, total: 'not checked here', lines: record.lines.map((l) => ({ module: l.module })) });
  assert.equal(grant.module, 'advanced-reports');
  assert.deepEqual(e.owned(now), ['advanced-reports']);
  const pending = new Engine(manifests, user('u-rep-01'));
  assert.equal(pending.apply({ ...record, funding: { route: 'needs_approval' } }), null, 'a charge awaiting approval grants nothing');
});

test("charge records carry the server's refs; refs of other versions are refused", () => {
  const version = (m) => (typeof m === 'string' ? JSON.parse(m) : m).version;
  const refs = Object.fromEntries(
    ['catalog', 'contract', 'policy'].map((n, i) => [n, { version: version(manifests[n]), digest: String(i + 1).repeat(64) }]),
  );
  const e = new Engine({ ...manifests, refs }, user('u-rep-01'));
  assert.deepEqual(e.checkout({ id: 'charge-js-0002', module: 'advanced-reports' }, now).manifests, refs);
  const stale = { ...refs, policy: { version: `${refs.policy.version}-old`, digest: refs.policy.digest } };
  const err = thrown(() => new Engine({ ...manifests, refs: stale }, user('u-rep-01')));
  assert.ok(err instanceof Error);
  assert.equal(err.code, 'invalid_input');
  assert.equal(err.path, 'refs');
  assert.match(err.message, /refs\.policy is of version .* but the policy is version/);
  const malformed = thrown(() => new Engine({ ...manifests, refs: { catalog: refs.catalog } }, user('u-rep-01')));
  assert.ok(malformed instanceof Error);
  assert.match(malformed.path ?? '', /^refs/);
});

test('state survives a new session; quote, dismiss and offers answer', () => {
  const e = new Engine(manifests, user('u-mgr-01'));
  const trial = e.checkout({ id: 'trial-js-0001', module: 'pipeline-forecasting', kind: 'trial' }, now);
  e.apply(trial);
  e.dismiss('territory-planning', now);
  const again = new Engine(manifests, user('u-mgr-01'), e.state());
  assert.equal(again.check('forecast.pipeline', now).allowed, true);
  const q = again.quote({ selections: [{ module: 'report-scheduler' }, { module: 'territory-planning', quantity: '3' }] }, now);
  assert.equal(q.lines.length, 2);
  assert.equal(q.total, '121.00'); // 40.00 flat + 3 x 27.00 (30.00 less 10 %)
  assert.ok(Array.isArray(again.offers(3, now)));
});

test('errors are Error objects with code and path', () => {
  const bad = thrown(() => new Engine({ ...manifests, catalog: '{"version": ' }, user('u-rep-01')));
  assert.ok(bad instanceof Error);
  assert.equal(bad.code, 'json_syntax');
  const contract = thrown(() => new Engine({ ...manifests, contract: '{"version": "1",}' }, user('u-rep-01')));
  assert.equal(contract.code, 'json_syntax');
  assert.equal(contract.path, 'contract', 'a syntax error names the manifest whose text it is');
  assert.equal(contract.message, 'malformed JSON in contract at line 1, column 17: trailing comma');
  const unknown = thrown(() => new Engine(manifests, { id: 'x', attributes: {}, colour: 'red' }));
  assert.equal(unknown.code, 'manifest_invalid');
  assert.equal(unknown.path, 'user.colour');
  const e = new Engine(manifests, user('u-rep-01'));
  assert.equal(thrown(() => e.check('no.such.feature', now)).code, 'unknown_feature');
  assert.equal(thrown(() => e.checkout({ id: 'x', module: 'advanced-reports' }, now)).path, 'id');
  assert.equal(thrown(() => e.recordUsage('reports.export', 'lots', now)).path, 'amount');
  assert.equal(thrown(() => e.checkout({ id: 'charge-js-0002', module: 'territory-planning' }, now)).code, 'not_offered');
});

test('allowed answers the gate without an object; suggest ranks without pricing', () => {
  const e = new Engine(manifests, user('u-rep-01'));
  assert.equal(e.allowed('reports.export', now), true);
  assert.equal(e.allowed('forecast.pipeline', now), false);
  assert.equal(thrown(() => e.allowed('no.such.feature', now)).code, 'unknown_feature');
  const s = e.suggest(3, now);
  assert.ok(Array.isArray(s));
  for (const x of s) {
    assert.equal(typeof x.module, 'string');
    assert.ok(x.kind === 'buy' || x.kind === 'help');
    assert.ok(x.explanation.text.length > 0);
  }
});

test('the generated .d.ts gives every public method real types, not any', () => {
  const dts = readFileSync(new URL('../../pkg/inflow.d.ts', import.meta.url), 'utf8');
  // The raw exports of InitOutput (`readonly engine_…`) are wasm-bindgen's own plumbing.
  const api = dts.split('\n').filter((l) => !l.includes('readonly ') && /\(.*\)/.test(l));
  const loose = api.filter((l) => /\bany\b/.test(l));
  assert.deepEqual(loose, []);
  for (const t of ['Offer', 'Check', 'Quote', 'ChargeRecord', 'Grant', 'SessionState', 'Suggestion', 'Advice']) {
    assert.match(dts, new RegExp(`export (interface|type) ${t}\\b`));
  }
});
