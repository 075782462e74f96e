// Display formatting of engine amounts, prices and quotes (www/format.js), without a DOM.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { formatDate, formatMoney, formatNumber, formatPrice, fractionDigits, moneyOf, quoteRows } from '../../www/format.js';

// Intl output uses narrow no-break spaces in some locales; compare with plain spaces.
const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ');

test('money keeps the currency minor unit and any extra digits the string carries', () => {
  assert.equal(formatMoney('22.50', 'USD', 'en-US'), '$22.50');
  assert.equal(formatMoney('22.5', 'USD', 'en-US'), '$22.50');
  assert.equal(formatMoney('0.001', 'USD', 'en-US'), '$0.001');
  assert.equal(formatMoney('1500', 'JPY', 'en-US'), '¥1,500');
  assert.equal(plain(formatMoney('1234.56', 'EUR', 'de-DE')), '1.234,56 €');
});

test('money does not lose digits of a large decimal string', () => {
  assert.equal(formatMoney('12345678901234567.89', 'USD', 'en-US'), '$12,345,678,901,234,567.89');
});

test('something that is not a decimal string is shown as it is', () => {
  assert.equal(formatMoney('n/a', 'USD', 'en-US'), 'n/a');
  assert.equal(formatMoney(undefined, 'USD', 'en-US'), '');
});

test('fraction digits of a decimal string', () => {
  assert.equal(fractionDigits('12'), 0);
  assert.equal(fractionDigits('12.50'), 2);
  assert.equal(fractionDigits('0.001'), 3);
});

test('a price reads with its unit and period', () => {
  const seat = { amount: '22.50', currency: 'USD', period: 'month', unit: 'user', quantity: '1' };
  assert.equal(formatPrice(seat, 'en-US'), '$22.50 per user / month');
  assert.equal(plain(formatPrice(seat, 'de-DE')), '22,50 $ per user / month');
  const pack = { amount: '20.00', currency: 'USD', period: 'month', unit: 'envelope', quantity: '25' };
  assert.equal(formatPrice(pack, 'en-US'), '$20.00 per 25 envelopes / month');
  assert.equal(formatPrice({ amount: '150.00', currency: 'USD', period: 'month' }, 'en-US'), '$150.00 per month');
  assert.equal(formatPrice(null, 'en-US'), '');
});

test('numbers and dates follow the locale', () => {
  assert.equal(formatNumber('10000', 'en-US'), '10,000');
  assert.equal(formatNumber('10000', 'de-DE'), '10.000');
  assert.equal(formatDate('2026-12-01', 'en-US'), 'Dec 1, 2026');
  assert.equal(formatDate('2026-12-01', 'de-DE'), '01.12.2026');
  assert.equal(formatDate('', 'en-US'), '');
});

test('quote rows read the engine\'s Quote: description and net_amount per line, total', () => {
  const quote = {
    lines: [
      { module: 'advanced-reports', module_name: 'Advanced Reports', description: '1 user x 10.80 USD (10 % contract discount) = 10.80 USD', net_amount: '10.80' },
      { module: 'report-scheduler', module_name: 'Report Scheduler', net_amount: '40.00' },
    ],
    total: '50.80',
    currency: 'USD',
  };
  const { rows, total } = quoteRows(quote, 'EUR');
  assert.deepEqual(rows, [
    { label: '1 user x 10.80 USD (10 % contract discount) = 10.80 USD', money: { amount: '10.80', currency: 'USD' } },
    { label: 'Report Scheduler', money: { amount: '40.00', currency: 'USD' } },
  ]);
  assert.deepEqual(total, { amount: '50.80', currency: 'USD' });
  assert.deepEqual(moneyOf('3.00', 'EUR'), { amount: '3.00', currency: 'EUR' });
  assert.equal(moneyOf(null, 'EUR'), null);
});

test('formatters are reused per locale and options, never across them', () => {
  const de = formatMoney('1234.5', 'EUR', 'de-DE');
  assert.equal(formatMoney('1234.5', 'EUR', 'en-US'), '€1,234.50');
  assert.equal(formatMoney('1234.5', 'EUR', 'de-DE'), de);
  assert.match(de, /^1\.234,50\s€$/);
  assert.equal(formatMoney('0.001', 'USD', 'en-US'), '$0.001');
  assert.equal(formatMoney('2', 'USD', 'en-US'), '$2.00');
});
