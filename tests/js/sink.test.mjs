// The offline demo sink (www/sinks/local.js) and the memory storage (www/storage.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { localSink } from '../../www/sinks/local.js';
import { indexedDbStorage, memoryStorage } from '../../www/storage.js';

const record = (route, id = 'c-1') => ({
  id,
  module: 'advanced-reports',
  plan: 'monthly',
  quantity: 1,
  total: { amount: '10.80', currency: 'USD' },
  funding: { source: 'sales-ops', route, approver: 'u-salesops-admin', text: '…' },
});

test('an auto-approved charge is confirmed with a grant of the module', async () => {
  const sink = localSink({ now: () => 1000 });
  const receipt = await sink.deliver(record('auto_approved'));
  assert.equal(receipt.status, 'confirmed');
  assert.equal(receipt.chargeId, 'c-1');
  assert.deepEqual(receipt.total, { amount: '10.80', currency: 'USD' });
  assert.equal(receipt.grant.module, 'advanced-reports');
  assert.equal(receipt.grant.from, 1000);
});

test('a charge that needs approval is held without a grant', async () => {
  const receipt = await localSink().deliver(record('needs_approval'));
  assert.equal(receipt.status, 'pending_approval');
  assert.equal(receipt.approver, 'u-salesops-admin');
  assert.equal(receipt.grant, undefined);
});

test('delivering the same record twice gives the same receipt', async () => {
  let t = 0;
  const sink = localSink({ now: () => ++t });
  assert.deepEqual(await sink.deliver(record('card')), await sink.deliver(record('card')));
});

test('memory storage round-trips copies', async () => {
  const s = memoryStorage();
  const value = { engine: { grants: [] }, log: [] };
  await s.put('u', value);
  value.log.push(1);
  assert.deepEqual(await s.get('u'), { engine: { grants: [] }, log: [] });
  assert.equal(await s.get('other'), undefined);
});

test('without IndexedDB the default storage falls back to memory', async () => {
  const s = indexedDbStorage('inflow', undefined);
  await s.put('u', { a: 1 });
  assert.deepEqual(await s.get('u'), { a: 1 });
});
