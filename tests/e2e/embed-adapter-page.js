// Loaded by tests/e2e/embed-adapter.test.mjs: an ordinary host page, the adapter's session()
// and <inflow-offers>, nothing fallback-specific: load() must pick the engine by itself.
import { session } from '/www/inflow.js';
import { memoryStorage } from '/www/storage.js';
import { localSink } from '/www/sinks/local.js';
import '/www/components/inflow-offers.js';

const el = document.querySelector('inflow-offers');
const { users } = await fetch('/manifests/users.json').then((r) => r.json());
const user = users.find((u) => u.id === 'u-rep-01');
el.session = session({
  manifestsUrl: '/manifests/',
  user,
  storage: memoryStorage(),
  sink: localSink(),
  now: Date.UTC(2026, 10, 21, 10),
});
