// inflowGate with the real engine, a purchase paid by the user's card: the card is typed into
// the Inflow server's card page in an iframe (its messages mocked here as the page sends them,
// docs/embedding.md), never into the component; only that server's origin is listened to.
import { getRecord } from 'lightning/uiRecordApi';
import InflowGate from 'c/inflowGate';
import manifests from '@salesforce/apex/InflowChargeController.manifests';
import recordCharge from '@salesforce/apex/InflowChargeController.recordCharge';
import cardEntry from '@salesforce/apex/InflowChargeController.cardEntry';
const { manifestsReply, settle, loaded, mount, USER_RECORD } = require('../../../../../../test/fixtures');

jest.mock('lightning/platformResourceLoader', () => ({
  loadScript: jest.fn((component, url) => global.__loadStaticResourceScript(url)),
}));
jest.mock('@salesforce/apex/InflowChargeController.manifests', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/InflowChargeController.recordCharge', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/InflowChargeController.recordEvents', () => ({ default: jest.fn(async () => JSON.stringify({ status: 202, body: '{}' })) }), { virtual: true });
jest.mock('@salesforce/apex/InflowChargeController.cardEntry', () => ({ default: jest.fn() }), { virtual: true });

const SERVER = 'https://inflow.supplier.example';
const $ = (el, sel) => el.shadowRoot.querySelector(sel);
const click = (button) => button.dispatchEvent(new CustomEvent('click'));
const fromOrigin = (origin, data) => window.dispatchEvent(new MessageEvent('message', { origin, data: { version: 1, ...data } }));

/** The gate of a marketing user whose AI Email Assistant purchase is paid by card, confirmed. */
async function cardPurchase() {
  manifests.mockResolvedValue(manifestsReply('u-mkt-02'));
  cardEntry.mockResolvedValue(JSON.stringify({ url: `${SERVER}/embed/card.html`, token: 'short-lived-token' }));
  const el = mount('c-inflow-gate', InflowGate, { feature: 'email.assistant', featureLabel: 'Email assistant', surface: 'crm.email' });
  getRecord.emit(USER_RECORD);
  await loaded(el);
  const offer = $(el, '.offer[data-module="ai-email-assistant"]');
  expect(offer.querySelector('.funding').textContent).toMatch(/card/i);
  click(offer.querySelector('.buy'));
  await settle();
  click($(el, '.confirm-purchase'));
  await settle();
  const iframe = $(el, 'iframe.card-frame');
  const post = jest.spyOn(iframe.contentWindow, 'postMessage');
  return { el, iframe, post };
}

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  recordCharge.mockReset();
});

test('a card purchase opens the server\'s card page in an iframe; the component has no card field', async () => {
  const { el, iframe } = await cardPurchase();
  const src = new URL(iframe.getAttribute('src'));
  expect(src.origin + src.pathname).toBe(`${SERVER}/embed/card.html`);
  expect(src.searchParams.get('parent')).toBe(window.location.origin);
  expect($(el, '.card-status').textContent).toBe(`Enter your card in ${SERVER}'s secure form below.`);
  expect(el.shadowRoot.querySelectorAll('input, lightning-input').length).toBe(0);
  expect(recordCharge).not.toHaveBeenCalled();
});

test('messages from another origin are ignored: no record or token is sent, nothing is recorded', async () => {
  const { el, post } = await cardPurchase();
  fromOrigin('https://evil.example', { type: 'inflow:hello', page: 'card' });
  fromOrigin('https://evil.example', { type: 'inflow:card-result', receipt: { status: 'recorded' } });
  fromOrigin(`${SERVER}:8443`, { type: 'inflow:hello', page: 'card' });
  await settle();
  expect(post).not.toHaveBeenCalled();
  expect(recordCharge).not.toHaveBeenCalled();
  expect($(el, 'iframe.card-frame')).not.toBeNull();
  expect($(el, '.allowed')).toBeNull();
});

test('the server page\'s hello gets the record and token; its success records through Apex and unlocks', async () => {
  recordCharge.mockImplementation(async ({ chargeJson }) => {
    const r = JSON.parse(chargeJson);
    return { charge_id: r.id, status: 'recorded', route: 'card', total: r.total, currency: r.currency, recordId: 'a00000000000003AAA' };
  });
  const { el, post } = await cardPurchase();
  fromOrigin(SERVER, { type: 'inflow:hello', page: 'card' });
  await settle();
  expect(post).toHaveBeenCalledTimes(1);
  const [init, target] = post.mock.calls[0];
  expect(target).toBe(SERVER);
  expect(init).toMatchObject({ type: 'inflow:card-init', version: 1, token: 'short-lived-token', label: 'AI Email Assistant' });
  expect(init.record.funding.route).toBe('card');
  expect(init.record.module).toBe('ai-email-assistant');

  fromOrigin(SERVER, { type: 'inflow:card-result', id: init.record.id, receipt: { charge_id: init.record.id, status: 'recorded', route: 'card' } });
  await settle(20);
  expect(recordCharge).toHaveBeenCalledTimes(1);
  expect(JSON.parse(recordCharge.mock.calls[0][0].chargeJson).id).toBe(init.record.id);
  expect($(el, 'iframe.card-frame')).toBeNull();
  expect($(el, '.allowed').textContent).toBe('Email assistant is included for you.');
  expect($(el, '.notice').textContent).toMatch(/^AI Email Assistant is yours \(.+\)\. Receipt a00000000000003AAA\.$/);
});

test('a declined card shows the page\'s message, keeps the form and records nothing', async () => {
  const { el, post } = await cardPurchase();
  fromOrigin(SERVER, { type: 'inflow:hello', page: 'card' });
  await settle();
  const { record } = post.mock.calls[0][0];
  const message = 'Your card was declined. Nothing was charged and no purchase was recorded. Use another card, or ask your bank.';
  fromOrigin(SERVER, { type: 'inflow:card-declined', id: record.id, code: 'card_declined', message });
  await settle();
  expect($(el, '.card-status').textContent).toBe(message);
  expect($(el, '.card-status').getAttribute('role')).toBe('alert');
  expect($(el, 'iframe.card-frame')).not.toBeNull();
  expect(recordCharge).not.toHaveBeenCalled();
  expect($(el, '.allowed')).toBeNull();

  click($(el, '.card-cancel'));
  await settle();
  expect($(el, 'iframe.card-frame')).toBeNull();
  expect($(el, '.offer .status').textContent).toBe(
    'Could not complete the purchase: You cancelled the card payment. Nothing was charged. Try again, or ask your administrator.',
  );
  expect(recordCharge).not.toHaveBeenCalled();
});
