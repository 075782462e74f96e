// inflowOffers where WebAssembly is unavailable: the static resource's JavaScript build
// (fallback/inflow_fallback.js, scripts/build-salesforce.sh --with-fallback) runs the same engine;
// without it the component says WebAssembly is unavailable and the JavaScript build is missing.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { getRecord } from 'lightning/uiRecordApi';
import { loadScript } from 'lightning/platformResourceLoader';
import InflowOffers from 'c/inflowOffers';
import manifests from '@salesforce/apex/InflowChargeController.manifests';
const { manifestsReply, settle, mount, USER_RECORD, OPPORTUNITY } = require('../../../../../../test/fixtures');

jest.mock('lightning/platformResourceLoader', () => ({
  loadScript: jest.fn((component, url) => global.__loadStaticResourceScript(url)),
}));
jest.mock('@salesforce/apex/InflowChargeController.manifests', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/InflowChargeController.recordCharge', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/InflowChargeController.recordEvents', () => ({ default: jest.fn(async () => JSON.stringify({ status: 202, body: '{}' })) }), { virtual: true });
jest.mock('@salesforce/apex/InflowChargeController.cardEntry', () => ({ default: jest.fn() }), { virtual: true });

const FALLBACK = path.join(__dirname, '../../../staticresources/inflow/fallback/inflow_fallback.js');
const $ = (el, sel) => el.shadowRoot.querySelector(sel);
const names = (el) => [...el.shadowRoot.querySelectorAll('.offer h3')].map((h) => h.textContent);
const wasm = globalThis.WebAssembly;

async function offers() {
  manifests.mockResolvedValue(manifestsReply('u-rep-01'));
  const el = mount('c-inflow-offers', InflowOffers, { recordId: OPPORTUNITY.id, objectApiName: 'Opportunity' });
  getRecord.emit(USER_RECORD, (config) => config.recordId !== OPPORTUNITY.id);
  getRecord.emit(OPPORTUNITY, (config) => config.recordId === OPPORTUNITY.id);
  await settle(40);
  return el;
}

beforeEach(() => {
  delete globalThis.WebAssembly;
  delete window.Inflow;
  delete window.InflowFallback;
  loadScript.mockClear();
});
afterEach(() => {
  globalThis.WebAssembly = wasm;
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

// First: a failed load is not cached, so the next test loads again.
test('without the JavaScript build, the component says WebAssembly is unavailable and what is missing', async () => {
  loadScript.mockImplementation((component, url) =>
    /fallback\//.test(url) ? Promise.reject(new Event('error')) : global.__loadStaticResourceScript(url),
  );
  const el = await offers();
  expect($(el, '.unavailable h2').textContent).toBe('Suggestions are unavailable');
  expect($(el, '.unavailable .error').textContent).toBe(
    'This browser does not run WebAssembly, which Inflow needs. (The JavaScript build could not be loaded either: ' +
      'the static resource has no JavaScript build (pack it with scripts/build-salesforce.sh --with-fallback).) ' +
      'Your other work on this page is not affected.',
  );
  expect(names(el)).toEqual([]);
});

(existsSync(FALLBACK) ? test : test.skip)('with --with-fallback, the same offers without WebAssembly', async () => {
  loadScript.mockImplementation((component, url) => global.__loadStaticResourceScript(url));
  const el = await offers();
  expect($(el, '.unavailable')).toBeNull();
  expect(loadScript.mock.calls.map(([, url]) => url)).toEqual(['inflow/inflow.js', 'inflow/fallback/inflow_fallback.js']);
  expect(names(el)).toEqual(['Advanced Reports', 'E-Signature', 'Data Enrichment']);
  expect(typeof globalThis.WebAssembly).toBe('undefined');
});
