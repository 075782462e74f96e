// What a host page with <inflow-offers> and <inflow-gate> loads, as one module: the adapter
// (and, through it, the engine's glue), storage, formatting and the two elements (registered on
// import). scripts/bundle.mjs builds it into www/dist/inflow.js, the file a page includes; a
// page that delivers to Inflow's server adds www/dist/sinks.js (./sinks.js). The modules stay
// importable one by one for tests and for hosts that bundle their own.
export { fetchManifests, inflowError, load, session } from './inflow.js';
export { indexedDbStorage, memoryStorage } from './storage.js';
export * from './format.js';
import './components/inflow-offers.js';
import './components/inflow-gate.js';
