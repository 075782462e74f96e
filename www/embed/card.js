// The card entry page (card.html): card details are typed here, on the supplier's own origin,
// never into a CRM host's page. The parent (www/embed/host.js cardEntry) sends the charge
// record its engine priced and a session token (`inflow:card-init`); this page collects the
// card, posts { record, payment_token } to the server's POST /v1/charges (which re-prices,
// verifies and charges the card) and reports the outcome to the parent: `inflow:card-result`
// (the receipt), `inflow:card-declined` (the card was refused; nothing was recorded; the form
// stays for another card), `inflow:card-cancelled`, `inflow:error`. The card number itself
// never leaves this page except to the server.
//
// Which card form: with a Stripe publishable key configured on the server
// (`--stripe-publishable-key`), Stripe Elements is mounted and the token is the PaymentMethod
// id Stripe.js creates; without one, a plain field whose number is the token the server's
// built-in test processor reads (Stripe's test card numbers: the demo and the tests).

import { formatMoney } from '../format.js';
import { channel, embedError, parentOrigin, showProblem } from './channel.js';

const main = document.getElementById('card');
let ch;
let config;
try {
  const parent = await parentOrigin();
  config = parent.config;
  ch = channel(parent.origin);
} catch (error) {
  showProblem(error, main);
  throw error;
}

let started = false;
ch.on('inflow:card-init', async (m) => {
  if (started) throw embedError('already_started', 'inflow:card-init was already received.');
  started = true;
  try {
    await show(check(m));
  } catch (error) {
    showProblem(error, main);
    throw error;
  }
});
ch.post('inflow:hello', { page: 'card' });

/** The init message, validated; the error names the field. */
function check(m) {
  const r = m.record;
  if (!r || typeof r !== 'object' || typeof r.id !== 'string' || typeof r.user !== 'string') {
    throw embedError('record_invalid', 'inflow:card-init needs `record`: the charge record the engine returned.');
  }
  if (r.funding?.route !== 'card') throw embedError('not_card', `Charge ${r.id} is not paid by card (route ${r.funding?.route}).`);
  if (typeof m.token !== 'string' || !m.token) throw embedError('token_missing', 'inflow:card-init needs `token`: the user\'s session token.');
  return { record: r, token: m.token, label: String(m.label ?? r.module ?? 'your purchase'), locale: m.locale ?? navigator.language };
}

async function show({ record, token, label, locale }) {
  const amount = formatMoney(record.total, record.currency, locale);
  const form = document.createElement('form');
  form.noValidate = true;
  const title = Object.assign(document.createElement('h1'), { textContent: `Pay ${amount} for ${label}` });
  const status = Object.assign(document.createElement('p'), { role: 'status', hidden: true });
  const pay = Object.assign(document.createElement('button'), { type: 'submit', className: 'primary', textContent: `Pay ${amount}` });
  const cancel = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Cancel' });
  const actions = Object.assign(document.createElement('div'), { className: 'actions' });
  actions.append(pay, cancel);
  const card = config.stripe_publishable_key ? await stripeCard(config.stripe_publishable_key) : testCard();
  form.append(title, card.field, status, actions);
  main.replaceChildren(form);
  card.focus();

  const say = (text, error = false) => {
    status.textContent = text;
    status.hidden = !text;
    status.className = error ? 'error' : 'muted';
    status.setAttribute('role', error ? 'alert' : 'status');
  };
  cancel.addEventListener('click', () => ch.post('inflow:card-cancelled', { id: record.id }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    pay.disabled = cancel.disabled = true;
    say('Paying…');
    try {
      const paymentToken = await card.token();
      const receipt = await charge(record, paymentToken, token);
      card.clear();
      form.replaceWith(Object.assign(document.createElement('p'), { role: 'status', textContent: `Paid: ${amount}. Receipt ${receipt.charge_id ?? record.id}.` }));
      ch.post('inflow:card-result', { id: record.id, receipt });
    } catch (error) {
      pay.disabled = cancel.disabled = false;
      card.clear();
      say(refusal(error), true);
      card.focus();
      if (error.declined) ch.post('inflow:card-declined', { id: record.id, code: error.code, message: refusal(error) });
      else ch.post('inflow:error', { id: record.id, code: error.code ?? 'failed', message: error.message });
    }
  });
}

/** What to tell the person when the card was not charged. */
function refusal(error) {
  const what = {
    card_declined: 'Your card was declined.',
    insufficient_funds: 'Your card has insufficient funds.',
    invalid_card: 'The card number is not valid.',
    expired_card: 'Your card has expired.',
    incorrect_cvc: 'The security code is not correct.',
  }[error.code];
  if (what) return `${what} Nothing was charged and no purchase was recorded. Use another card, or ask your bank.`;
  return `${error.message} Nothing was charged.`;
}

const DECLINES = new Set(['card_declined', 'insufficient_funds', 'invalid_card', 'expired_card', 'incorrect_cvc']);

/** POST /v1/charges with the card token; the receipt, or an Error with the server's code. */
async function charge(record, paymentToken, token) {
  const res = await fetch('/v1/charges', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ id: record.id, user: record.user, record, payment_token: paymentToken }),
    credentials: 'omit',
  });
  const body = await res.json().catch(() => ({}));
  if (res.ok && typeof body.status === 'string') return body;
  const code = body.error?.code ?? `http_${res.status}`;
  throw Object.assign(new Error(body.error?.message ?? `The server answered HTTP ${res.status}.`), { code, declined: DECLINES.has(code) });
}

/** The test processor's field: the number typed is the token (Stripe's test card numbers). */
function testCard() {
  const input = Object.assign(document.createElement('input'), {
    id: 'card-number', name: 'card-number', inputMode: 'numeric', autocomplete: 'cc-number', required: true,
  });
  const field = document.createElement('label');
  field.append('Card number', input);
  const hint = Object.assign(document.createElement('small'), { className: 'muted', textContent: 'Test mode: no money is taken.' });
  field.append(hint);
  return {
    field,
    focus: () => input.focus(),
    clear: () => (input.value = ''),
    async token() {
      const number = input.value.replace(/[\s-]/g, '');
      if (!/^\d{12,19}$/.test(number)) throw Object.assign(new Error('Enter the card number (12 to 19 digits).'), { code: 'card_number_invalid' });
      return number;
    },
  };
}

/**
 * Stripe Elements (https://js.stripe.com/v3/, allowed by this page's CSP only when a key is
 * configured): the card is typed into Stripe's own iframe; the token is a PaymentMethod id.
 */
async function stripeCard(key) {
  await new Promise((ok, fail) => {
    const s = Object.assign(document.createElement('script'), { src: 'https://js.stripe.com/v3/' });
    s.onload = ok;
    s.onerror = () => fail(embedError('stripe_unavailable', 'Stripe.js could not be loaded; try again later.'));
    document.head.append(s);
  });
  const stripe = globalThis.Stripe(key);
  const element = stripe.elements().create('card');
  const field = document.createElement('div');
  const mount = Object.assign(document.createElement('div'), { id: 'card-element' });
  field.append(Object.assign(document.createElement('span'), { textContent: 'Card' }), mount);
  element.mount(mount);
  return {
    field,
    focus: () => element.focus(),
    clear: () => element.clear(),
    async token() {
      const { paymentMethod, error } = await stripe.createPaymentMethod({ type: 'card', card: element });
      if (error) throw Object.assign(new Error(error.message), { code: error.decline_code ?? error.code ?? 'card_declined', declined: true });
      return paymentMethod.id;
    },
  };
}
