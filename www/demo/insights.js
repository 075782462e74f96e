// The supplier's insights page. The demo signs in with a demo admin token (the server mints
// them only with --demo); a supplier role of its own is not part of this build.
import '../components/inflow-insights.js';
import { demoToken } from './token.js';

const el = document.querySelector('inflow-insights');
const problem = document.getElementById('problem');
if (!globalThis.Chart) {
  problem.hidden = false;
  problem.textContent = 'Chart.js is missing (run npm ci, which copies it into www/vendor/): the tables still show.';
}
demoToken('u-it-admin').then(
  (t) => { el.token = t; },
  (e) => { problem.hidden = false; problem.textContent = `${e.message} Start the server with --demo.`; },
);
