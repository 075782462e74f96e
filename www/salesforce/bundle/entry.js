// The static resource's script: the adapter, the engine glue and the formatting helpers in one
// classic script (LWC's loadScript runs classic scripts, not ES modules), exposed as
// `window.Inflow`. The wasm bytes travel beside it in the same static resource and are passed
// in by the component (`Inflow.load({ wasmBytes })`), so nothing here resolves a URL itself.
export { load, session, inflowError } from '../../inflow.js';
export { memoryStorage, indexedDbStorage } from '../../storage.js';
export { formatDate, formatMoney, formatNumber, formatPrice, quoteRows } from '../../format.js';
export { funnelReporter } from '../../sinks/funnel.js';
