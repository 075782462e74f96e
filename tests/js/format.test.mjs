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

test('quote rows accept amounts as strings or money objects', () => {
  const quote = {
    currency: 'USD',
    lines: [
      { description: 'Advanced Reports, 1 user, monthly', net: '12.00' },
      { description: 'Negotiated discount 10 %', amount: { amount: '-1.20', currency: 'USD' } },
    ],
    total: { amount: '10.80', currency: 'USD' },
  };
  const { rows, total } = quoteRows(quote, 'EUR');
  assert.deepEqual(rows, [
    { label: 'Advanced Reports, 1 user, monthly', money: { amount: '12.00', currency: 'USD' } },
    { label: 'Negotiated discount 10 %', money: { amount: '-1.20', currency: 'USD' } },
  ]);
  assert.deepEqual(total, { amount: '10.80', currency: 'USD' });
  assert.deepEqual(moneyOf('3.00', 'EUR'), { amount: '3.00', currency: 'EUR' });
  assert.equal(moneyOf(null, 'EUR'), null);
});
