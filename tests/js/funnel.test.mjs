// The funnel reporter (www/sinks/funnel.js): the adapter's events become funnel events posted
// to POST /v1/me/events in batches; failures keep them, refusals drop them, retries reuse ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { funnelEvents, funnelReporter } from '../../www/sinks/funnel.js';
import { randomId } from '../../www/random-id.js';

let n = 0;
const uuid = () => `evt-${String(++n).padStart(6, '0')}`;

/** A reporter on a private EventTarget with a scripted fetch; timers run only on flush(). */
function setup(responses = []) {
  const target = new EventTarget();
  const posts = [];
  const fetch = async (url, init) => {
    posts.push({ url, init, body: JSON.parse(init.body) });
    const next = responses.shift() ?? { status: 202 };
    if (next.throw) throw new TypeError('Failed to fetch');
    return { status: next.status, ok: next.status < 300, json: async () => next.body ?? {} };
  };
  const timers = [];
  const reporter = funnelReporter({
    user: 'u-rep-01', token: 't', target, fetch, uuid, delay: 50,
    setTimeout: (fn) => (timers.push(fn), timers.length), clearTimeout: () => {},
  });
  const emit = (name, detail) => target.dispatchEvent(new CustomEvent(`inflow:${name}`, { detail: { user: 'u-rep-01', ...detail } }));
  return { reporter, posts, emit, timers };
}

test('each shown offer, an opening, a trial and a confirmed purchase become one funnel event each', async () => {
  const { reporter, posts, emit, timers } = setup();
  emit('offer-shown', { surface: 'crm.record', offers: [{ module: 'advanced-reports', probability: 0.42 }, { module: 'e-signature' }] });
  emit('offer-opened', { surface: 'crm.record', offer: { module: 'advanced-reports', probability: 0.42 } });
  emit('trial-started', { module: 'pipeline-forecasting' });
  emit('purchase-confirmed', { surface: 'product.reports', record: { module: 'advanced-reports' }, receipt: {} });
  emit('offer-dismissed', { module: 'e-signature', surface: 'crm.record' });
  emit('offer-shown', { user: 'someone-else', surface: 'x', offers: [{ module: 'e-signature' }] });
  assert.equal(timers.length, 1, 'one post scheduled for the batch');
  await reporter.flush();
  assert.equal(posts.length, 1);
  assert.equal(posts[0].url, '/v1/me/events');
  assert.equal(posts[0].init.headers.authorization, 'Bearer t');
  const events = posts[0].body.events.map(({ module, surface, stage, probability }) => ({ module, surface, stage, probability }));
  assert.deepEqual(events, [
    { module: 'advanced-reports', surface: 'crm.record', stage: 'shown', probability: 0.42 },
    { module: 'e-signature', surface: 'crm.record', stage: 'shown', probability: undefined },
    { module: 'advanced-reports', surface: 'crm.record', stage: 'opened', probability: 0.42 },
    { module: 'pipeline-forecasting', surface: 'page', stage: 'trial', probability: undefined },
    { module: 'advanced-reports', surface: 'product.reports', stage: 'bought', probability: undefined },
  ]);
  assert.ok(posts[0].body.events.every((e) => /^evt-\d{6}$/.test(e.id) && Number.isInteger(e.at)));
  assert.deepEqual(reporter.pending(), []);
});

test('a failed post keeps the events and the retry sends the same ids', async () => {
  const { reporter, posts, emit } = setup([{ throw: true }, { status: 503 }, { status: 202 }]);
  emit('trial-started', { module: 'pipeline-forecasting', surface: 'crm.record' });
  await reporter.flush();
  assert.equal(reporter.pending().length, 1);
  await reporter.flush();
  assert.equal(reporter.pending().length, 1);
  await reporter.flush();
  assert.equal(reporter.pending().length, 0);
  assert.equal(posts.length, 3);
  assert.deepEqual(new Set(posts.map((p) => p.body.events[0].id)).size, 1);
});

test('a refused post is dropped, not retried forever', async () => {
  const { reporter, posts, emit } = setup([{ status: 400, body: { error: { message: 'events[0].module: "x" is not in the catalog' } } }]);
  const warn = console.warn;
  const warned = [];
  console.warn = (m) => warned.push(m);
  try {
    emit('trial-started', { module: 'x' });
    await reporter.flush();
  } finally {
    console.warn = warn;
  }
  assert.equal(posts.length, 1);
  assert.deepEqual(reporter.pending(), []);
  assert.match(warned[0], /refused 1 funnel events \(events\[0\]\.module/);
});

test('more than 200 events go in several posts; close() stops listening', async () => {
  const { reporter, posts, emit } = setup();
  const offers = Array.from({ length: 600 }, (_, i) => ({ module: `m-${i}` }));
  emit('offer-shown', { surface: 'crm.record', offers });
  await reporter.close();
  assert.deepEqual(posts.map((p) => p.body.events.length), [200, 200, 200]);
  assert.ok(posts.every((p) => p.init.keepalive), 'posts outlive the page');
  emit('trial-started', { module: 'late' });
  assert.deepEqual(reporter.pending(), []);
});

test('funnelEvents ignores what is not a funnel stage and probabilities out of range', () => {
  assert.deepEqual(funnelEvents('inflow:entitlements-changed', { module: 'a' }, 1, uuid), []);
  const [e] = funnelEvents('inflow:offer-opened', { offer: { module: 'a', probability: 7 }, surface: 's' }, 1, uuid);
  assert.equal(e.probability, undefined);
  assert.equal(funnelEvents('inflow:offer-shown', { surface: 'x'.repeat(100), offers: [{ module: 'a' }] }, 1, uuid)[0].surface.length, 64);
});

test('event ids are UUIDs also where the page has no crypto.randomUUID (http pages)', (t) => {
  const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  assert.match(randomId(), uuidShape);
  // Node's crypto has randomUUID on its prototype: an own `undefined` hides it for this test.
  assert.ok(!Object.hasOwn(globalThis.crypto, 'randomUUID'));
  Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true });
  t.after(() => delete globalThis.crypto.randomUUID);
  const ids = Array.from({ length: 50 }, randomId);
  for (const id of ids) assert.match(id, uuidShape);
  assert.equal(new Set(ids).size, ids.length);
});
