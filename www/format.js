// Display formatting of what the engine returns: money, prices with their unit and period,
// dates. Pure functions over Intl; no DOM, so they run under node --test too.
//
// Amounts arrive as decimal strings ("22.50"). They are only ever formatted, never computed
// with. Intl.NumberFormat formats a decimal string exactly (ECMA-402 "NumberFormat v3");
// engines without it convert the string with Number(), which is exact enough for display.

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** How many fraction digits a decimal string carries ("0.001" → 3, "12" → 0). */
export function fractionDigits(amount) {
  const dot = String(amount).indexOf('.');
  return dot < 0 ? 0 : String(amount).length - dot - 1;
}

/**
 * Formats a decimal-string amount in a currency for a locale: at least the currency's own
 * minor digits, more when the amount carries them (a per-call price of "0.001" stays 0.001).
 */
export function formatMoney(amount, currency, locale) {
  const text = String(amount ?? '').trim();
  if (!DECIMAL.test(text) || !currency) return text;
  const minor = new Intl.NumberFormat(locale, { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
  const digits = Math.min(20, Math.max(minor, fractionDigits(text)));
  const nf = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return nf.format(supportsExactStrings() ? text : Number(text));
}

let exact;
/** Whether this engine's Intl formats decimal strings exactly rather than via a double. */
export function supportsExactStrings() {
  exact ??= new Intl.NumberFormat('en', { maximumFractionDigits: 20 }).format('0.10000000000000000001')
    .endsWith('1');
  return exact;
}

/** Formats a plain quantity ("25", "1000") for a locale. */
export function formatNumber(value, locale) {
  const text = String(value ?? '');
  if (!DECIMAL.test(text)) return text;
  const nf = new Intl.NumberFormat(locale, { maximumFractionDigits: fractionDigits(text) });
  return nf.format(supportsExactStrings() ? text : Number(text));
}

const PERIODS = { day: 'day', week: 'week', month: 'month', quarter: 'quarter', year: 'year' };

/** "user" → "users" when the quantity is not one; units arrive in English from the catalog. */
function plural(unit, quantity, locale) {
  if (!unit) return '';
  const n = Number(quantity ?? 1);
  return new Intl.PluralRules(locale).select(n) === 'one' || unit.endsWith('s') ? unit : `${unit}s`;
}

/**
 * A price as a user reads it: "$22.50 per user / month", "$20.00 per 25 envelopes / month",
 * "$150.00 once". `price` is the engine's `{ amount, currency, period, unit, quantity }`.
 */
export function formatPrice(price, locale) {
  if (!price) return '';
  const money = formatMoney(price.amount, price.currency, locale);
  const qty = price.quantity != null && String(price.quantity) !== '1' ? price.quantity : null;
  let per = '';
  if (price.unit) {
    per = qty
      ? ` per ${formatNumber(qty, locale)} ${plural(price.unit, qty, locale)}`
      : ` per ${price.unit}`;
  }
  const period = PERIODS[price.period];
  if (period) return `${money}${per}${per ? ' / ' : ' per '}${period}`;
  if (price.period === 'once' || price.period === 'one_time') return `${money}${per} once`;
  return `${money}${per}`;
}

/** A date for a locale: a "YYYY-MM-DD" string or milliseconds since the epoch. */
export function formatDate(value, locale, options = { dateStyle: 'medium' }) {
  if (value == null || value === '') return '';
  const date =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? new Date(`${value}T00:00:00Z`)
      : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const opts = typeof value === 'string' ? { timeZone: 'UTC', ...options } : options;
  return new Intl.DateTimeFormat(locale, opts).format(date);
}

/** `{ amount, currency }` from an engine amount: a decimal string or a money object. */
export function moneyOf(value, currency) {
  if (value == null) return null;
  if (typeof value === 'object') {
    return { amount: String(value.amount ?? ''), currency: value.currency ?? currency };
  }
  return { amount: String(value), currency };
}

/**
 * The rows of a Quote for a confirmation step: `{ rows: [{ label, money }], total }`.
 * A line's label is its description (or name, or module); its money its net amount.
 */
export function quoteRows(quote, currency) {
  const cur = quote?.currency ?? quote?.total?.currency ?? currency;
  const rows = (quote?.lines ?? []).map((line) => ({
    label: String(line.description ?? line.name ?? line.label ?? line.module ?? ''),
    money: moneyOf(line.net ?? line.amount ?? line.total, line.currency ?? cur),
  }));
  return { rows, total: moneyOf(quote?.total, cur) };
}
