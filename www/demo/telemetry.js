// The demo's usage telemetry: 90 days of events for each scenario user, generated
// deterministically from the user's `persona` attribute (or department and role) and a seed, so
// every reload and every test sees the same history. Seeded into a session's state the first
// time a user is seen (see `seedState`). Pure: no DOM, no clock of its own.
//
// An event is `{ feature, amount, at }` (at in ms). Features of the catalog count against its
// limits (reports.export); the other names are product signals the propensity model reads:
//   reports.view, reports.advanced (opened the advanced builder), forecast.spreadsheet (a
//   forecast rebuilt by hand in a spreadsheet), contracts.sent (a contract sent as an attachment),
//   email.sent, calls.recorded (call minutes), enrich.manual (a record enriched by hand),
//   api.calls, reports.export.blocked (an export refused at the limit).

const DAY = 86_400_000;
export const EXPORT_LIMIT = 50;

/** FNV-1a: a 32-bit hash of a string. */
export function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: a small seeded generator of floats in [0, 1). */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The usage profile a user's attributes describe. */
export function profileOf(user) {
  const a = user?.attributes ?? {};
  const persona = String(a.persona ?? '').toLowerCase();
  if (persona.includes('export')) return 'exports';
  if (persona.includes('forecast')) return 'forecasts';
  if (persona.includes('contract')) return 'contracts';
  if (persona.includes('never opened')) return 'owns-unused';
  if (persona.includes('dismissed')) return 'dismissed';
  if (persona.includes('budget')) return 'budget';
  if (a.department === 'support') return 'support';
  if (a.department === 'marketing') return 'marketing';
  if (a.department === 'it') return 'it';
  return 'light';
}

// Per profile, per working day: [event, mean count]. Counts vary around the mean.
const DAILY = {
  exports: [['reports.view', 4], ['reports.export', 2.6], ['email.sent', 6]],
  forecasts: [['reports.view', 3], ['forecast.spreadsheet', 1.2], ['reports.export', 0.6], ['email.sent', 5]],
  contracts: [['contracts.sent', 1.6], ['email.sent', 9], ['reports.view', 1]],
  'owns-unused': [['reports.view', 1.5], ['reports.export', 0.4], ['email.sent', 5]],
  dismissed: [['reports.view', 1.2], ['forecast.spreadsheet', 0.4], ['email.sent', 4]],
  budget: [['reports.view', 1], ['email.sent', 6], ['contracts.sent', 0.3]],
  support: [['calls.recorded', 45], ['email.sent', 12]],
  marketing: [['reports.view', 2], ['enrich.manual', 3], ['email.sent', 8]],
  it: [['api.calls', 380]],
  light: [['reports.view', 1], ['reports.export', 0.3], ['email.sent', 4]],
};

const monthOf = (ms) => new Date(ms).toISOString().slice(0, 7);
const isWeekday = (ms) => ![0, 6].includes(new Date(ms).getUTCDay());

/** A count around `mean`: its integer part, plus one with the fractional chance, ±30 %. */
function countAround(mean, rnd) {
  const spread = mean * (0.7 + 0.6 * rnd());
  return Math.floor(spread) + (rnd() < spread % 1 ? 1 : 0);
}

/**
 * Generates a user's history ending at `now`: `{ events, grants, dismissals }`.
 * Exports are capped at the base limit per calendar month; attempts beyond it are recorded as
 * `reports.export.blocked`. The export-heavy profile is brought to just under the limit in the
 * current month, so a few more exports on the product page reach it.
 */
export function generateHistory(user, { now, seed = 'larkspur-demo', days = 90 } = {}) {
  const rnd = random(hash(`${seed}|${user.id}`));
  const profile = profileOf(user);
  const start = Math.floor(now / DAY) * DAY - (days - 1) * DAY;
  const events = [];
  const exports = new Map();
  const push = (feature, amount, at) => {
    if (at > now) return;
    if (feature === 'reports.export') {
      const month = monthOf(at);
      const used = exports.get(month) ?? 0;
      if (used >= EXPORT_LIMIT) feature = 'reports.export.blocked';
      else exports.set(month, used + amount);
    }
    events.push({ feature, amount, at });
  };
  for (let day = start; day <= now; day += DAY) {
    if (!isWeekday(day)) continue;
    for (const [feature, mean] of DAILY[profile]) {
      const amount = mean >= 20 ? countAround(mean, rnd) : 1;
      const times = mean >= 20 ? 1 : countAround(mean, rnd);
      for (let i = 0; i < times; i++) {
        const at = day + Math.floor((8 + rnd() * 10) * 3_600_000);
        push(feature, amount, at);
      }
    }
  }
  if (profile === 'exports') {
    const month = monthOf(now);
    const target = EXPORT_LIMIT - 3;
    const workdays = [];
    for (let day = Date.parse(`${month}-01T00:00:00Z`); day < now; day += DAY) if (isWeekday(day)) workdays.push(day);
    for (let i = exports.get(month) ?? 0; i < target && workdays.length; i++) {
      const day = workdays[Math.floor(rnd() * workdays.length)];
      push('reports.export', 1, Math.min(now, day + Math.floor((8 + rnd() * 10) * 3_600_000)));
    }
  }
  events.sort((x, y) => x.at - y.at);

  const grants = [];
  const dismissals = [];
  if (profile === 'owns-unused') {
    grants.push({ module: 'advanced-reports', plan: 'monthly', quantity: 1, source: 'purchase', from: start + 30 * DAY });
  }
  if (profile === 'dismissed') dismissals.push({ module: 'pipeline-forecasting', at: now - DAY });
  return { events, grants, dismissals };
}

/** The engine state a session starts from for a user never seen before. */
export function seedState(user, now, seed) {
  return generateHistory(user, { now, seed });
}
