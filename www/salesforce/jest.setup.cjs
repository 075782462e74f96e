// jsdom lacks TextEncoder/TextDecoder (the engine glue needs them), fetch (the components fetch
// the wasm from the static resource) and, depending on the version, structuredClone. This
// fetch serves the built static resource folder from disk: `${resourceUrl}/file`.
const { TextEncoder, TextDecoder } = require('node:util');
const { readFileSync, existsSync } = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');

global.TextEncoder ??= TextEncoder;
global.TextDecoder ??= TextDecoder;
global.structuredClone ??= (v) => (v === undefined ? v : v8.deserialize(v8.serialize(v)));

const RESOURCE = path.join(__dirname, 'force-app/main/default/staticresources/inflow');

global.fetch = async (url) => {
  // sfdx-lwc-jest's stub of @salesforce/resourceUrl/inflow is the string "inflow".
  const file = path.join(RESOURCE, String(url).replace(/^.*?inflow\//, ''));
  if (!existsSync(file)) return { ok: false, status: 404, async arrayBuffer() { return new ArrayBuffer(0); } };
  const bytes = readFileSync(file);
  return {
    ok: true,
    status: 200,
    async arrayBuffer() {
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    },
    async json() {
      return JSON.parse(bytes.toString('utf8'));
    },
  };
};

/** Evaluates the static resource's script as loadScript would: it defines window.Inflow. */
global.__loadInflowResource = () => global.__loadStaticResourceScript('inflow/inflow.js');

/**
 * loadScript(component, url) for the static resource: evaluates `inflow/FILE` like a classic
 * <script> (the IIFE's global: `Inflow`, or `InflowFallback` for fallback/inflow_fallback.js);
 * a missing file rejects as loadScript does when the script cannot load.
 */
global.__loadStaticResourceScript = (url) => {
  const file = path.join(RESOURCE, String(url).replace(/^.*?inflow\//, ''));
  if (!existsSync(file)) return Promise.reject(new Event('error'));
  const name = /inflow_fallback\.js$/.test(file) ? 'InflowFallback' : 'Inflow';
  // Indirect eval: global scope, like a classic <script>.
  (0, eval)(`${readFileSync(file, 'utf8')}\n;window.${name} = ${name};`);
  return Promise.resolve();
};
