// The Salesforce static resource inside Lightning Web Security's sandbox (@locker/sandbox, the
// library LWS runs components with), in Chromium: component code evaluated in the namespace's
// sandbox loads the resource's script as LWS's loadScript does (a <script> whose src the
// sandbox's distortion fetches and evaluates inside the sandbox), fetches the wasm bytes
// beside it, starts the engine with them, opens a session and gets the offers of a scenario
// user. They must equal the unsandboxed adapter's, and the run must show
// what only a sandbox does: its localStorage keys are namespaced and `window.Inflow` stays
// inside it. Needs pkg/ and the static resource (scripts/build-salesforce.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { launch, REPO } from './harness.mjs';
import { staticServer } from './static-server.mjs';

const RESOURCE = 'www/salesforce/force-app/main/default/staticresources/inflow';
const NAMESPACE = 'c'; // the default namespace of an org's own components
const NOW = Date.UTC(2026, 10, 21, 10);
const skip = !existsSync(join(REPO, RESOURCE, 'inflow.js')) && 'static resource not built (scripts/build-salesforce.sh)';

let server, browser;
before(async () => {
  if (skip) return;
  const sandbox = await build({
    entryPoints: [join(REPO, 'node_modules/@locker/sandbox/dist/index.mjs.js')],
    bundle: true, format: 'iife', globalName: 'LockerSandbox', write: false, logLevel: 'error',
  });
  const pages = {
    '/lws.html': { body: `<!doctype html><title>Record page</title><script>${sandbox.outputFiles[0].text}</script>` },
  };
  [server, browser] = await Promise.all([staticServer({ pages }), launch()]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The component's code, run inside the sandbox: what inflowShared.loadInflow does, then offers. */
function component() {
  const { report, input } = $lockerEvalContext$; // eslint-disable-line no-undef
  (async () => {
    try {
      localStorage.setItem('inflow-lws-probe', 'sandboxed');
      await new Promise((ok, fail) => {
        const script = document.createElement('script');
        script.onload = ok;
        script.onerror = () => fail(new Error(`${input.scriptUrl} did not load`));
        script.src = input.scriptUrl;
        document.head.appendChild(script);
      });
      const Inflow = window.Inflow;
      const res = await fetch(input.wasmUrl);
      await Inflow.load({ wasmBytes: await res.arrayBuffer(), fallback: null });
      const manifests = JSON.parse(input.manifests);
      const s = await Inflow.session({
        manifests, user: JSON.parse(input.user), storage: Inflow.memoryStorage(), now: input.now, locale: 'en-US',
      });
      const offers = s.offers({ max: 3 }).map((o) => [o.module, o.kind, o.price?.amount ?? null, o.reason?.text ?? '']);
      const check = s.check('email.assistant').allowed;
      report(JSON.stringify({ offers, check, inflowInSandbox: typeof window.Inflow }));
    } catch (e) {
      report(JSON.stringify({ error: String(e?.stack ?? e) }));
    }
  })();
}

test('the static resource runs inside the LWS sandbox and answers as the unsandboxed adapter', { skip }, async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${server.port}/lws.html`);
  const result = await page.evaluate(
    async ({ resource, namespace, now, code }) => {
      const get = (p) => fetch(p).then((r) => r.json());
      const [catalog, contract, policy, model, users] = await Promise.all(
        ['catalog', 'contract', 'policy', 'model', 'users'].map((n) => get(`/manifests/${n}.json`)),
      );
      const user = users.users.find((u) => u.id === 'u-rep-01');
      const manifests = { catalog, contract, policy, model };
      const sandboxed = await new Promise((report) => {
        const input = {
          scriptUrl: `/${resource}/inflow.js`, wasmUrl: `/${resource}/inflow_bg.wasm`,
          manifests: JSON.stringify(manifests), user: JSON.stringify(user), now,
        };
        LockerSandbox.evaluateInSandbox(namespace, `(${code})()`, { report, input });
      });
      // The same engine through the ordinary ES module adapter, outside any sandbox.
      const outside = typeof window.Inflow;
      const Inflow = await import('/www/inflow.js');
      const { memoryStorage } = await import('/www/storage.js');
      await Inflow.load({ wasmUrl: '/pkg/inflow_bg.wasm', fallback: null });
      const s = await Inflow.session({ manifests, user, storage: memoryStorage(), now, locale: 'en-US' });
      const plain = {
        offers: s.offers({ max: 3 }).map((o) => [o.module, o.kind, o.price?.amount ?? null, o.reason?.text ?? '']),
        check: s.check('email.assistant').allowed,
      };
      const keys = Object.keys(localStorage);
      return { sandboxed: JSON.parse(sandboxed), plain, outside, keys, probe: localStorage.getItem('inflow-lws-probe') };
    },
    { resource: RESOURCE, namespace: NAMESPACE, now: NOW, code: component.toString() },
  );
  await page.close();
  const { sandboxed, plain } = result;
  assert.equal(sandboxed.error, undefined, sandboxed.error);
  assert.ok(sandboxed.offers.length > 0);
  assert.deepEqual(sandboxed.offers, plain.offers, 'same offers inside and outside the sandbox');
  assert.equal(sandboxed.check, plain.check);
  // Only a sandbox does this: the resource's global lives in the sandbox, not on the page's
  // window, and the component's localStorage key is stored under the namespace's marker.
  assert.equal(sandboxed.inflowInSandbox, 'object');
  assert.equal(result.outside, 'undefined');
  assert.equal(result.probe, null, 'the page does not see the key as the sandbox wrote it');
  const namespaced = result.keys.filter((k) => k.includes('inflow-lws-probe'));
  assert.equal(namespaced.length, 1, JSON.stringify(result.keys));
  assert.match(namespaced[0], new RegExp(`^LSKey\\[${NAMESPACE}\\]`));
  assert.deepEqual(errors, []);
});
