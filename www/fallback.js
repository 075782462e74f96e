// Loads the engine where WebAssembly is missing or refused (a Content Security Policy without
// 'wasm-unsafe-eval', e.g. Power Apps' strict CSP): the same Engine, compiled to plain
// JavaScript by scripts/build-wasm2js.sh into pkg-fallback/. Larger (~180 KB gzip) and slower
// than the wasm, so it is only used when the wasm cannot run.
//
// The adapter can take it as a hook (see docs/embedding.md):
//   load({ fallback: loadFallback })  → on `wasm_unavailable`, `return fallback()`.

/** Whether this page may compile WebAssembly: a sync probe with the smallest valid module. */
export function webAssemblyAllowed() {
  try {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.Module !== 'function') return false;
    new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    return true;
  } catch {
    return false; // CompileError/EvalError: "Refused to compile ... 'wasm-unsafe-eval'"
  }
}

/** The wasm2js build, initialised: a module with the same exports as pkg/inflow.js. */
export async function loadFallback(base = new URL('../pkg-fallback/', import.meta.url)) {
  const [glue, asm] = await Promise.all([import(new URL('inflow.js', base).href), import(new URL('inflow_asm.js', base).href)]);
  glue.initFallback(asm);
  return glue;
}

/**
 * The engine module, whichever way this page can run it: `{ pkg, kind: "wasm" | "js" }`.
 * `pkgBase` / `fallbackBase` are the folders of pkg/ and pkg-fallback/.
 */
export async function loadEngine({
  pkgBase = new URL('../pkg/', import.meta.url),
  fallbackBase = new URL('../pkg-fallback/', import.meta.url),
  wasmBytes,
} = {}) {
  if (webAssemblyAllowed()) {
    try {
      const pkg = await import(new URL('inflow.js', pkgBase).href);
      await pkg.default({ module_or_path: wasmBytes ?? new URL('inflow_bg.wasm', pkgBase) });
      return { pkg, kind: 'wasm' };
    } catch (e) {
      if (!(e instanceof WebAssembly.CompileError || /Content Security Policy|wasm-eval|unsafe-eval/i.test(String(e?.message)))) throw e;
    }
  }
  return { pkg: await loadFallback(fallbackBase), kind: 'js' };
}
