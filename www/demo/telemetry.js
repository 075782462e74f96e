// The demo's usage telemetry: 90 days of events for each scenario user, generated
// deterministically from the user's `persona` attribute (or department and role) and a seed, so
// every reload and every test sees the same history. Seeded into a session's state the first
// time a user is seen (see `seedState`). Pure: no DOM, no clock of its own.
//
// Events name the catalog's own features, so the propensity model's signals read them:
// `{ feature, count, at, limit_hit }` (at in ms), the engine's UsageEvent. A use refused by a
// limit, or of a feature the user does not have (a locked button pressed), is an event with
// `limit_hit: true`. Uses of `reports.export` in the current month also count against its
// limit in the state's usage ledger.

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

// Per profile, per working day: [feature, mean count, refused, from, to]. Counts vary around
// the mean; `from`..`to` (days ago, default 90..0) bounds when the habit happened. `refused`
// marks attempts refused: at a limit, or at a feature the user lacks (a locked "Forecast" tab
// or "Send for signature" button pressed).
const DAILY = {
  exports: [['reports.export', 2.6], ['email.templates', 1]],
  forecasts: [['reports.export', 2.4], ['reports.advanced', 0.5], ['forecast.pipeline', 0.8, true], ['reports.schedule', 1, false, 3, 2]],
  contracts: [['esign.envelopes', 6, true, 30, 0], ['email.templates', 1, false, 3, 2], ['reports.export', 0.5, false, 90, 31]],
  'owns-unused': [['storage.gb', 0.3], ['email.templates', 1, true]],
  dismissed: [['reports.export', 2.4], ['email.templates', 1]],
  budget: [['reports.export', 3], ['email.templates', 1]],
  support: [['calls.minutes', 45, true]],
  marketing: [['enrich.credits', 3, true], ['reports.export', 0.5]],
  it: [['api.calls', 380], ['storage.gb', 0.2, true]],
  light: [['reports.export', 0.3], ['email.templates', 0.5]],
};

/** Modules a profile already owns (bought 60 days ago) and the one it dismissed yesterday. */
const OWNS = { 'owns-unused': ['advanced-reports'], forecasts: ['advanced-reports', 'report-scheduler'], contracts: ['basic-templates'] };
const DISMISSED = { dismissed: 'advanced-reports' };

/** What a profile has spent this month, for the funding decision (`Spend`). */
const SPENT = {
  budget: { by_source: { 'sales-ops': '2990.00' }, by_user: { 'sales-ops': '290.00' }, user_month_total: '290.00' },
};

const monthOf = (ms) => new Date(ms).toISOString().slice(0, 7);
const isWeekday = (ms) => ![0, 6].includes(new Date(ms).getUTCDay());
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);

/** A count around `mean`: its integer part, plus one with the fractional chance, ±30 %. */
function countAround(mean, rnd) {
  const spread = mean * (0.7 + 0.6 * rnd());
  return Math.floor(spread) + (rnd() < spread % 1 ? 1 : 0);
}

/**
 * Generates a user's history ending at `now`: `{ events, owns, dismissed }`.
 * Exports are capped at the base limit per calendar month; attempts beyond it are refused
 * (`limit_hit`). The export-heavy profile is brought to three under the limit in the current
 * month, so a few more exports on the product page reach it.
 */
export function generateHistory(user, { now, seed = 'larkspur-demo', days = 90 } = {}) {
  const rnd = random(hash(`${seed}|${user.id}`));
  const profile = profileOf(user);
  const owns = OWNS[profile] ?? [];
  const unlimited = owns.includes('advanced-reports');
  const start = Math.floor(now / DAY) * DAY - (days - 1) * DAY;
  const events = [];
  const exports = new Map();
  const push = (feature, count, at, refused = false) => {
    if (at > now) return;
    let limit_hit = refused;
    if (feature === 'reports.export' && !unlimited) {
      const month = monthOf(at);
      const used = exports.get(month) ?? 0;
      if (used + count > EXPORT_LIMIT) limit_hit = true;
      else exports.set(month, used + count);
    }
    events.push({ feature, count, at, limit_hit });
  };
  const cap = profile === 'exports' ? EXPORT_LIMIT - 3 : EXPORT_LIMIT;
  for (let day = start; day <= now; day += DAY) {
    const ago = Math.round((Math.floor(now / DAY) * DAY - day) / DAY);
    for (const [feature, mean, refused = false, from = days, to = 0] of DAILY[profile]) {
      // Habits are weekday work; a short window (a one-off) happens whatever the day.
      if (ago > from || ago < to || (from - to > 7 && !isWeekday(day))) continue;
      const count = mean >= 20 ? countAround(mean, rnd) : 1;
      const times = mean >= 20 ? 1 : countAround(mean, rnd);
      for (let i = 0; i < times; i++) {
        const at = day + Math.floor((8 + rnd() * 10) * 3_600_000);
        // This month the export-heavy rep stops three short of the limit, for the demo.
        if (feature === 'reports.export' && monthOf(at) === monthOf(now) && (exports.get(monthOf(at)) ?? 0) >= cap) continue;
        push(feature, count, at, refused);
      }
    }
  }
  if (profile === 'exports') {
    const month = monthOf(now);
    const workdays = [];
    for (let day = Date.parse(`${month}-01T00:00:00Z`); day < now; day += DAY) if (isWeekday(day)) workdays.push(day);
    while ((exports.get(month) ?? 0) < cap && workdays.length) {
      const day = workdays[Math.floor(rnd() * workdays.length)];
      push('reports.export', 1, Math.min(now, day + Math.floor((8 + rnd() * 10) * 3_600_000)));
    }
  }
  events.sort((x, y) => x.at - y.at);
  const dismissed = DISMISSED[profile] ? [{ module: DISMISSED[profile], at: now - DAY }] : [];
  return { events, owns, dismissed, exportsThisMonth: exports.get(monthOf(now)) ?? 0, start };
}

/**
 * The engine state (see docs/js-api.md) a session starts from for a user never seen before:
 * the events, grants of what the profile owns, the usage ledger of this month's exports, and
 * the suggestion log with yesterday's dismissal.
 */
export function seedState(user, now, seed) {
  const h = generateHistory(user, { now, seed });
  const grants = h.owns.map((module) => ({
    id: `demo-${user.id}-${module}`,
    module,
    source: 'purchase',
    holder: { user: user.id },
    starts: isoDate(now - 60 * DAY),
    plan: 'monthly',
  }));
  const month = monthOf(now);
  const next = new Date(`${month}-01T00:00:00Z`);
  next.setUTCMonth(next.getUTCMonth() + 1);
  const counters = h.exportsThisMonth && !h.owns.includes('advanced-reports')
    ? [{
        feature: 'reports.export',
        pool: { user: user.id },
        window: { start: `${month}-01`, end: isoDate(next.getTime()) },
        used: String(h.exportsThisMonth),
      }]
    : [];
  const entries = h.dismissed.map(({ module, at }) => ({ module, shown_at: at - 3 * DAY, dismissed_at: at }));
  return { grants, usage: { counters }, events: h.events, log: { entries } };
}

/** What the user has spent this month (the server reports it; offline, the demo's figures). */
export function spendOf(user) {
  return SPENT[profileOf(user)];
}
