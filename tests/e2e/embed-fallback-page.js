// Loaded by tests/e2e/embed-fallback.test.mjs: loads the engine either way, prices a purchase.
import { loadEngine, webAssemblyAllowed } from '/www/fallback.js';

const get = (n) => fetch(`/manifests/${n}.json`).then((r) => r.json());
try {
  const probe = webAssemblyAllowed();
  const { pkg, kind } = await loadEngine();
  const [catalog, contract, policy, model, users] = await Promise.all(['catalog', 'contract', 'policy', 'model', 'users'].map(get));
  const user = users.users.find((u) => u.id === 'u-rep-01');
  const now = Date.UTC(2026, 10, 21, 10);
  const engine = new pkg.Engine({ catalog, contract, policy, model }, user);
  const offers = engine.offers(3, now).map((o) => [o.module, o.price.amount]);
  const total = engine.checkout({ id: 'charge-fallback-0001', module: 'advanced-reports' }, now).total;
  window.__result = { probe, kind, offers, total };
} catch (e) {
  window.__result = { error: `${e.name}: ${e.message}` };
}
