// What a host page that delivers to Inflow's server adds to www/dist/inflow.js, as one module:
// the HTTP sink (purchases to the server, through the outbox that keeps them across reloads)
// and the funnel reporter (offers shown, opened, tried, bought, to the server's insights).
// scripts/bundle.mjs builds it into www/dist/sinks.js. Apart from the host bundle because a
// host with a sink of its own (the Salesforce components deliver through Apex) or none (a
// page that only gates features) does not need it: 3.6 KB gzip it does not download.
export { httpSink } from './sinks/http.js';
export { funnelReporter } from './sinks/funnel.js';
