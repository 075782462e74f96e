// The static resource's fallback script (`fallback/inflow_fallback.js`, built with
// scripts/build-salesforce.sh --with-fallback): the wasm2js build of the engine (pkg-fallback/,
// scripts/build-wasm2js.sh) as one classic script, `window.InflowFallback`. c/inflowShared
// loads it with loadScript only when WebAssembly is missing or refused, and hands
// `engine()` to the adapter as its `fallback`.
import * as glue from '../../../pkg-fallback/inflow.js';
import * as asm from '../../../pkg-fallback/inflow_asm.js';

/** The engine module (same exports as pkg/inflow.js), started without WebAssembly. */
export function engine() {
  glue.initFallback(asm);
  return glue;
}
