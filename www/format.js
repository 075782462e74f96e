// Display formatting of what the engine returns: money, prices with their unit and period,
// dates. Pure functions over Intl; no DOM, so they run under node --test too.
//
// Amounts arrive as decimal strings ("22.50"). They are only ever formatted, never computed
// with. Intl.NumberFormat formats a decimal string exactly (ECMA-402 "NumberFormat v3");
// engines without it convert the string with Number(), which is exact enough for display.

const DECIMAL = /^-?\d+(\.\d+)?$/;

// Building an Intl formatter looks its locale up (most of a millisecond each); a page formats
// dozens of amounts as it renders, so each locale and options pair is built once and reused.
const formatters = new Map();
function intl(Kind, locale, options) {
  const key = `${Kind.name}|${locale ?? ''}|${JSON.stringify(options ?? {})}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Kind(locale, options);
    formatters.set(key, formatter);
  }
  return formatter;
}

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
  const minor = intl(Intl.NumberFormat, locale, { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
  const digits = Math.min(20, Math.max(minor, fractionDigits(text)));
  const nf = intl(Intl.NumberFormat, locale, {
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
  exact ??= intl(Intl.NumberFormat, 'en', { maximumFractionDigits: 20 }).format('0.10000000000000000001')
    .endsWith('1');
  return exact;
}

/** Formats a plain quantity ("25", "1000") for a locale. */
export function formatNumber(value, locale) {
  const text = String(value ?? '');
  if (!DECIMAL.test(text)) return text;
  const nf = intl(Intl.NumberFormat, locale, { maximumFractionDigits: fractionDigits(text) });
  return nf.format(supportsExactStrings() ? text : Number(text));
}

const PERIODS = { day: 'day', week: 'week', month: 'month', quarter: 'quarter', year: 'year' };

/** "user" → "users" when the quantity is not one; units arrive in English from the catalog. */
function plural(unit, quantity, locale) {
  if (!unit) return '';
  const n = Number(quantity ?? 1);
  return intl(Intl.PluralRules, locale).select(n) === 'one' || unit.endsWith('s') ? unit : `${unit}s`;
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
  return intl(Intl.DateTimeFormat, locale, opts).format(date);
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
 * The rows of the engine's Quote for a confirmation step: `{ rows: [{ label, money }], total }`.
 * A line's label is its description ("1 user x 10.80 USD (10 % contract discount) = 10.80 USD",
 * else its module's name); its money its `net_amount`; the total is the quote's `total`.
 */
export function quoteRows(quote, currency) {
  const cur = quote?.currency ?? currency;
  const rows = (quote?.lines ?? []).map((line) => ({
    label: String(line.description ?? line.module_name ?? line.module ?? ''),
    money: moneyOf(line.net_amount, cur),
  }));
  return { rows, total: moneyOf(quote?.total, cur) };
}
