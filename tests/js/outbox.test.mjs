// The persisted outbox (www/outbox.js) and the HTTP sink (www/sinks/http.js), in node: the
// backoff schedule, how answers are classified, and the delivery loop over a memory storage
// with a scripted fetch and a virtual clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { canonicalJson, memoryOutboxStorage, outbox } from '../../www/outbox.js';
import {
  BACKOFF,
  backoffDelay,
  chargesUrl,
  classify,
  httpSink,
  refusalKind,
  retryAfterMs,
  uiState,
} from '../../www/sinks/http.js';

const record = (id = 'charge-0001', extra = {}) => ({
  id,
  user: 'u-rep-01',
  module: 'advanced-reports',
  total: '10.80',
  currency: 'USD',
  ...extra,
});

const receipt = (id, status = 'recorded') => ({
  charge_id: id,
  status,
  route: status === 'recorded' ? 'auto_approved' : 'needs_approval',
  total: '10.80',
  currency: 'USD',
  source: 'sales-ops',
  text: 'auto-approved',
});

/** A virtual clock whose timers fire at once, moving time forward by their delay. */
function clock(start = 1_000_000) {
  const c = { t: start, sleeps: [] };
  c.now = () => c.t;
  c.setTimeout = (fn, ms) => {
    const h = { cancelled: false };
    if (ms >= 1000) c.sleeps.push(ms);
    setImmediate(() => {
      if (h.cancelled) return;
      c.t += ms;
      fn();
    });
    return h;
  };
  c.clearTimeout = (h) => {
    if (h) h.cancelled = true;
  };
  return c;
}

/** A fetch that answers from a script of (status, body) or thrown errors, logging requests. */
function scripted(answers) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init, body: init.body, auth: init.headers.authorization });
    const next = answers.length > 1 ? answers.shift() : answers[0];
    const a = typeof next === 'function' ? await next(JSON.parse(init.body)) : next;
    if (a instanceof Error) throw a;
    const [status, body, headers = {}] = a;
    return {
      status,
      headers: { get: (k) => headers[k.toLowerCase()] ?? null },
      text: async () => (typeof body === 'string' ? body : JSON.stringify(body)),
    };
  };
  return { fetch, calls };
}

const refusal = (code, message = `refused: ${code}`) => ({ error: { code, message } });

function sinkWith(answers, opts = {}) {
  const c = opts.clock ?? clock();
  const box = opts.outbox ?? outbox({ storage: opts.storage ?? memoryOutboxStorage(), now: c.now });
  const f = scripted(answers);
  const states = [];
  const sink = httpSink({
    baseUrl: 'http://inflow.test',
    token: 'tok',
    outbox: box,
    fetch: f.fetch,
    now: c.now,
    random: () => 0.5,
    setTimeout: c.setTimeout,
    clearTimeout: c.clearTimeout,
    target: null,
    resume: false,
    timeout: 0,
    onChange: (d) => states.push(d.state),
    ...opts.sink,
  });
  return { sink, box, calls: f.calls, clock: c, states };
}

// ---- pure parts ----

test('backoff doubles from 0.5 s to a 30 s ceiling, with equal jitter', () => {
  const top = (n) => backoffDelay(n, BACKOFF, () => 0);
  const bottom = (n) => backoffDelay(n, BACKOFF, () => 1);
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 20].map(top), [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  assert.deepEqual([1, 2, 7, 100].map(bottom), [250, 500, 15000, 15000]);
  for (let n = 1; n < 40; n++) {
    const d = backoffDelay(n, BACKOFF, Math.random);
    assert.ok(d >= 250 && d <= 30000, `attempt ${n}: ${d}`);
  }
  assert.equal(backoffDelay(0, BACKOFF, () => 0), 500, 'attempt numbers start at 1');
});

test('a Retry-After is honoured up to the ceiling', () => {
  assert.equal(backoffDelay(1, BACKOFF, () => 0, 5000), 5000);
  assert.equal(backoffDelay(1, BACKOFF, () => 0, 120_000), 30000);
  assert.equal(retryAfterMs('3'), 3000);
  assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6000);
  assert.equal(retryAfterMs('soon'), undefined);
  assert.equal(retryAfterMs(null), undefined);
});

test('answers are classified: 2xx acks, network/408/429/5xx retry, other 4xx refuse', () => {
  assert.equal(classify({ status: 201, body: receipt('c') }).kind, 'ack');
  assert.equal(classify({ status: 200, body: receipt('c') }).receipt.charge_id, 'c');
  assert.equal(classify({ status: 200, body: undefined }).kind, 'retry', 'a 2xx without a receipt');
  assert.equal(classify({ networkError: new TypeError('Failed to fetch') }).error.code, 'network');
  for (const status of [408, 429, 500, 502, 503, 504]) {
    assert.equal(classify({ status, body: refusal('busy') }).kind, 'retry', String(status));
  }
  for (const [status, code] of [
    [400, 'bad_request'],
    [402, 'card_declined'],
    [403, 'not_offered'],
    [404, 'not_found'],
    [409, 'idempotency_conflict'],
    [409, 'stale_manifest'],
    [422, 'price_mismatch'],
    [422, 'over_budget'],
  ]) {
    const c = classify({ status, body: refusal(code, 'why') });
    assert.equal(c.kind, 'refuse', `${status} ${code}`);
    assert.deepEqual(c.error, { code, message: 'why', status });
  }
  assert.equal(classify({ status: 401, body: refusal('token_expired') }).kind, 'auth');
  assert.equal(classify({ status: 418, body: 'teapot' }).error.code, 'http_418');
});

test('refusals split into declined (on the merits) and failed; element states', () => {
  assert.equal(refusalKind('card_declined'), 'declined');
  assert.equal(refusalKind('over_budget'), 'declined');
  assert.equal(refusalKind('price_mismatch'), 'failed');
  assert.equal(refusalKind('stale_manifest'), 'failed');
  assert.deepEqual(
    ['queued', 'sending', 'retrying', 'pending_approval', 'recorded', 'declined', 'failed'].map(uiState),
    ['pending', 'pending', 'pending', 'pending', 'approved', 'declined', 'failed'],
  );
});

test('the charges URL follows the base URL', () => {
  assert.equal(chargesUrl('https://x.test/'), 'https://x.test/v1/charges');
  assert.equal(chargesUrl('https://x.test/inflow'), 'https://x.test/inflow/v1/charges');
});

test('canonical JSON ignores key order only', () => {
  assert.equal(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }] }), canonicalJson({ a: [{ x: 1, y: 2 }], b: 1 }));
  assert.notEqual(canonicalJson({ a: '1' }), canonicalJson({ a: 1 }));
});

// ---- the outbox ----

test('the outbox keeps the first body; the same id with another body is refused', async () => {
  const box = outbox({ storage: memoryOutboxStorage(), now: () => 5 });
  const first = await box.put(record());
  assert.equal(first.state, 'pending');
  assert.equal(first.attempts, 0);
  assert.equal(first.body, JSON.stringify(record()));
  const again = await box.put({ ...record(), currency: 'USD', total: '10.80' });
  assert.equal(again.body, first.body);
  await assert.rejects(box.put(record('charge-0001', { total: '1.00' })), (e) => {
    assert.equal(e.code, 'outbox_conflict');
    assert.match(e.message, /different body/);
    return e instanceof Error;
  });
  assert.equal((await box.get('charge-0001')).body, first.body, 'never changed');
  await assert.rejects(box.put({ module: 'x' }), { code: 'invalid_record' });
});

test('ack, fail and retry settle entries; settled entries stay settled', async () => {
  let t = 100;
  const box = outbox({ storage: memoryOutboxStorage(), now: () => t });
  await box.put(record('a-000001'));
  await box.put(record('b-000001'));
  await box.put(record('c-000001', { user: 'u-rep-02' }));
  t = 200;
  const r = await box.retry('a-000001', { code: 'network', message: 'down' }, 900);
  assert.deepEqual([r.attempts, r.nextAt, r.lastError.code], [1, 900, 'network']);
  assert.deepEqual((await box.due({ at: 500 })).map((e) => e.id), ['b-000001', 'c-000001']);
  assert.deepEqual((await box.pending({ user: 'u-rep-01' })).map((e) => e.id), ['a-000001', 'b-000001']);
  const acked = await box.ack('a-000001', receipt('a-000001'));
  assert.deepEqual([acked.state, acked.attempts, acked.receipt.status], ['acked', 2, 'recorded']);
  const failed = await box.fail('b-000001', Object.assign(new Error('no'), { code: 'price_mismatch', status: 422 }));
  assert.deepEqual(failed.error, { code: 'price_mismatch', message: 'no', status: 422 });
  assert.equal((await box.fail('a-000001', { code: 'x', message: 'late' })).state, 'acked', 'an ack is final');
  assert.deepEqual((await box.pending()).map((e) => e.id), ['c-000001']);
  assert.equal((await box.put(record('a-000001'))).state, 'acked', 'a re-put returns the settled entry');
  t = 10_000;
  assert.equal(await box.prune(5_000), 2);
  assert.deepEqual((await box.all()).map((e) => e.id), ['c-000001']);
});

// ---- the sink ----

test('deliver writes to the outbox before sending and resolves with the receipt', async () => {
  let seenInOutbox;
  const box = outbox({ storage: memoryOutboxStorage() });
  const { sink, calls, states } = sinkWith(
    [
      async (body) => {
        seenInOutbox = await box.get(body.id);
        return [201, receipt(body.id)];
      },
    ],
    { outbox: box },
  );
  const r = await sink.deliver(record());
  assert.equal(seenInOutbox.state, 'pending');
  assert.equal(r.status, 'recorded');
  assert.equal(calls.length, 1);
  assert.equal(calls[0].url, 'http://inflow.test/v1/charges');
  assert.equal(calls[0].auth, 'Bearer tok');
  assert.equal(calls[0].init.method, 'POST');
  assert.equal((await box.get('charge-0001')).state, 'acked');
  assert.deepEqual(states, ['queued', 'sending', 'recorded']);
  assert.deepEqual(await sink.deliver(record()), r, 'an acked id answers from the outbox');
  assert.equal(calls.length, 1);
});

test('network errors, 5xx, 408 and 429 are retried with growing delays until acknowledged', async () => {
  const { sink, calls, clock: c, states, box } = sinkWith([
    new TypeError('Failed to fetch'),
    [503, refusal('storage_unavailable')],
    [408, ''],
    [429, refusal('slow_down'), { 'retry-after': '7' }],
    [500, 'oops'],
    (b) => [200, receipt(b.id, 'pending_approval')],
  ]);
  const r = await sink.deliver(record());
  assert.equal(r.status, 'pending_approval');
  assert.equal(calls.length, 6);
  assert.equal(new Set(calls.map((x) => x.body)).size, 1, 'the same body every time');
  // random() = 0.5 → 3/4 of each step: 375, 750, 1500, (Retry-After 7 s), 6000.
  assert.deepEqual(c.sleeps, [1500, 7000, 6000]);
  assert.equal(states.filter((s) => s === 'retrying').length, 5);
  assert.equal(states.at(-1), 'pending_approval');
  const e = await box.get('charge-0001');
  assert.deepEqual([e.state, e.attempts], ['acked', 6]);
});

test('a refusal rejects with the server code and message and is not retried', async () => {
  const { sink, calls, box, states } = sinkWith([[422, refusal('price_mismatch', 'expected 10.80 USD, found 1.00 USD')]]);
  await assert.rejects(sink.deliver(record()), (e) => {
    assert.equal(e.code, 'price_mismatch');
    assert.equal(e.message, 'expected 10.80 USD, found 1.00 USD');
    assert.equal(e.status, 422);
    assert.equal(e.kind, 'failed');
    return e instanceof Error;
  });
  assert.equal(calls.length, 1);
  assert.equal((await box.get('charge-0001')).state, 'failed');
  assert.equal(states.at(-1), 'failed');
  await assert.rejects(sink.deliver(record()), { code: 'price_mismatch' });
  assert.equal(calls.length, 1, 'a refused id is not sent again');
});

test('a declined card is reported as declined', async () => {
  const { sink, states } = sinkWith([[402, refusal('card_declined', 'Your card was declined.')]]);
  await assert.rejects(sink.deliver(record()), { code: 'card_declined', kind: 'declined' });
  assert.equal(states.at(-1), 'declined');
});

test('the same id with another body is refused before anything is sent', async () => {
  const { sink, calls } = sinkWith([new TypeError('offline')]);
  const first = sink.deliver(record());
  await assert.rejects(sink.deliver(record('charge-0001', { total: '0.01' })), { code: 'outbox_conflict' });
  sink.close();
  await assert.rejects(first, { code: 'sink_closed' });
  assert.ok(calls.every((c) => JSON.parse(c.body).total === '10.80'));
});

test('a new sink resumes pending entries left by the previous one (a reload)', async () => {
  const storage = memoryOutboxStorage();
  const c = clock();
  const down = sinkWith([new TypeError('offline')], { storage, clock: c });
  const lost = [down.sink.deliver(record('charge-0001')), down.sink.deliver(record('charge-0002', { user: 'u-rep-02' }))];
  while (down.calls.length < 6) await new Promise((r) => setImmediate(r));
  down.sink.close();
  for (const p of lost) await assert.rejects(p, { code: 'sink_closed' });
  assert.equal((await down.box.pending()).length, 2);

  const up = sinkWith([(b) => [201, receipt(b.id)]], { storage, clock: c, sink: { resume: true, user: 'u-rep-01' } });
  assert.equal(await up.sink.resumed, 1, "only this user's entries");
  for (let i = 0; i < 50 && up.calls.length === 0; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  await up.sink.flush();
  const entry = await up.box.get('charge-0001');
  assert.equal(entry.state, 'acked');
  assert.equal(up.calls.length, 1);
  assert.equal(up.calls[0].body, JSON.stringify(record('charge-0001')));
  assert.equal((await up.box.get('charge-0002')).state, 'pending', "another user's entry waits for them");
});

test('a 401 fetches a fresh token and tries again', async () => {
  const tokens = ['old', 'new'];
  const { sink, calls } = sinkWith([[401, refusal('token_expired')], (b) => [201, receipt(b.id)]], {
    sink: { token: undefined, getToken: async () => tokens.shift() },
  });
  assert.equal((await sink.deliver(record())).status, 'recorded');
  assert.deepEqual(calls.map((x) => x.auth), ['Bearer old', 'Bearer new']);
});

test('a 401 with a fixed token is a refusal', async () => {
  const { sink } = sinkWith([[401, refusal('forged_token', 'sign in again')]]);
  await assert.rejects(sink.deliver(record()), { code: 'forged_token', message: 'sign in again' });
});

test('concurrent deliveries of one record share one request', async () => {
  const { sink, calls } = sinkWith([(b) => [201, receipt(b.id)]]);
  const [a, b] = await Promise.all([sink.deliver(record()), sink.deliver(record())]);
  assert.deepEqual(a, b);
  assert.equal(calls.length, 1);
});

test('two tabs with one outbox send a record once (Web Locks)', async () => {
  const chains = new Map();
  const locks = {
    request(name, fn) {
      const run = (chains.get(name) ?? Promise.resolve()).then(() => fn());
      chains.set(name, run.catch(() => {}));
      return run;
    },
  };
  const storage = memoryOutboxStorage();
  const c = clock();
  const f = scripted([(b) => [201, receipt(b.id)]]);
  const tab = () =>
    httpSink({
      token: 'tok',
      baseUrl: 'http://inflow.test',
      outbox: outbox({ storage, now: c.now }),
      fetch: f.fetch,
      now: c.now,
      setTimeout: c.setTimeout,
      clearTimeout: c.clearTimeout,
      target: null,
      resume: false,
      timeout: 0,
      locks,
    });
  const [a, b] = await Promise.all([tab().deliver(record()), tab().deliver(record())]);
  assert.deepEqual(a, b);
  assert.equal(f.calls.length, 1);
});

test('a card purchase is sent as { record, payment_token }; a refused card is declined, not retried', async () => {
  const { sink, calls } = sinkWith([[402, refusal('card_declined', 'your card was declined')]]);
  await assert.rejects(sink.deliver(record('card-0001'), { paymentToken: '4000000000000002' }), (e) => {
    assert.equal(e.code, 'card_declined');
    assert.equal(e.kind, 'declined');
    return true;
  });
  assert.equal(calls.length, 1);
  const body = JSON.parse(calls[0].body);
  assert.deepEqual(body.record, record('card-0001'));
  assert.equal(body.payment_token, '4000000000000002');

  const ok = sinkWith([[201, receipt('card-0002')]]);
  await ok.sink.deliver(record('card-0002'));
  assert.equal(JSON.parse(ok.calls[0].body).payment_token, undefined, 'no token: the bare record');
});
