// The product's report screen: Export records usage of `reports.export`; at the monthly limit
// the <inflow-gate> around the button shows, in place, what lifts the limit.
import '../components/inflow-offers.js';
import '../components/inflow-gate.js';
import { formatNumber } from '../format.js';
import { eventLog, feedElements, formatFields, userSwitcher, whenParsed } from './common.js';

const FEATURE = 'reports.export';
let usage;
let current = null;

/** "47 of 50 exports used this month", or nothing when exports are unlimited. */
function showUsage(check) {
  const locale = navigator.language;
  usage.textContent =
    check?.limit?.up_to != null && check.used != null
      ? `${formatNumber(check.used, locale)} of ${formatNumber(check.limit.up_to, locale)} exports used this month`
      : '';
}

/** The report table as CSV text (demo data, no quoting needed beyond commas). */
function csv() {
  const rows = [...document.querySelectorAll('#report tr')].map((tr) =>
    [...tr.children].map((c) => `"${(c.dataset.amount ?? c.dataset.date ?? c.textContent).replaceAll('"', '""')}"`).join(','),
  );
  return rows.join('\n');
}

// The page's script runs as soon as it arrives (an async module: the engine starts loading at
// once); what needs the page's elements waits until they are parsed.
whenParsed(() => {
  formatFields();
  eventLog(document.getElementById('events'));
  usage = document.getElementById('usage');
  const elements = document.querySelectorAll('inflow-offers, inflow-gate');

  document.getElementById('export').addEventListener('click', async (event) => {
    const button = event.currentTarget;
    const s = await current;
    if (!s) return;
    button.disabled = true;
    try {
      const check = await s.recordUsage(FEATURE, 1);
      showUsage(check);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([csv()], { type: 'text/csv' }));
      link.download = 'pipeline-by-stage.csv';
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    } catch (error) {
      usage.textContent = `Export failed: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  });

  document.addEventListener('inflow:entitlements-changed', async () => {
    const s = await current;
    if (s) showUsage(s.check(FEATURE));
  });

  userSwitcher({
    select: document.getElementById('user'),
    reset: document.getElementById('reset'),
    persona: document.getElementById('persona'),
    open(user, error) {
      current = feedElements(elements, user, error);
      current?.then((s) => showUsage(s.check(FEATURE))).catch(() => (current = null));
    },
  });
});
