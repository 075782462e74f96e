// inflowOffers with the real engine from the static resource (scripts/build-salesforce.sh),
// Apex mocked: rendering, the record's context reaching the engine, a purchase recorded through
// Apex, and errors shown to the person.
import { getRecord } from 'lightning/uiRecordApi';
import InflowOffers from 'c/inflowOffers';
import manifests from '@salesforce/apex/InflowChargeController.manifests';
import recordCharge from '@salesforce/apex/InflowChargeController.recordCharge';
import recordEvents from '@salesforce/apex/InflowChargeController.recordEvents';
import { apexEventsFetch, contextAttributes, inflowUser } from 'c/inflowShared';
const { manifestsReply, settle, loaded, mount, USER_RECORD, OPPORTUNITY } = require('../../../../../../test/fixtures');

jest.mock('lightning/platformResourceLoader', () => ({
  loadScript: jest.fn(() => {
    global.__loadInflowResource();
    return Promise.resolve();
  }),
}));
jest.mock('@salesforce/apex/InflowChargeController.manifests', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/InflowChargeController.recordCharge', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/InflowChargeController.recordEvents', () => ({ default: jest.fn() }), { virtual: true });

const shadow = (el) => el.shadowRoot;
const $ = (el, sel) => shadow(el).querySelector(sel);
const $$ = (el, sel) => [...shadow(el).querySelectorAll(sel)];
const click = (button) => button.dispatchEvent(new CustomEvent('click'));

async function ready(props = {}) {
  const el = mount('c-inflow-offers', InflowOffers, { recordId: OPPORTUNITY.id, objectApiName: 'Opportunity', ...props });
  getRecord.emit(USER_RECORD, (config) => !config.recordId || config.recordId !== OPPORTUNITY.id);
  getRecord.emit(OPPORTUNITY, (config) => config.recordId === OPPORTUNITY.id);
  await loaded(el);
  return el;
}

beforeEach(() => {
  manifests.mockResolvedValue(manifestsReply('u-rep-01'));
  recordCharge.mockReset();
  recordEvents.mockReset();
  recordEvents.mockResolvedValue(JSON.stringify({ status: 202, body: '{"stored":1,"received":1}' }));
});
afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

test('shows a loading state, then the offers ranked and explained', async () => {
  const el = mount('c-inflow-offers', InflowOffers, { recordId: OPPORTUNITY.id, objectApiName: 'Opportunity' });
  await Promise.resolve();
  expect($(el, '.loading').textContent).toBe('Loading suggestions…');
  getRecord.emit(USER_RECORD);
  await loaded(el);
  const names = $$(el, '.offer h3').map((h) => h.textContent);
  expect(names).toEqual(['Advanced Reports', 'E-Signature', 'Data Enrichment'].slice(0, names.length));
  expect(names.length).toBe(3);
  const first = $(el, '.offer');
  expect(first.querySelector('.price').textContent).toMatch(/\$/);
  expect(first.querySelector('.funding').textContent).toMatch(/auto-approved|budget/i);
  expect(first.querySelector('.reason').textContent).toMatch(/^Why this\? ./);
});

test('max limits the offers shown', async () => {
  const el = await ready({ max: 1 });
  expect($$(el, '.offer').length).toBe(1);
});

test("the record's context (user, account, record type) reaches the engine's user", () => {
  const attrs = contextAttributes({ user: USER_RECORD, record: OPPORTUNITY, objectApiName: 'Opportunity' });
  expect(attrs).toEqual({
    department: 'sales', title: 'Account Executive', locale: 'en-US', object: 'Opportunity',
    recordType: 'Renewal', account: '001000000000001AAA',
  });
  const onAccount = contextAttributes({ user: USER_RECORD, record: { id: '001A', fields: {} }, objectApiName: 'Account' });
  expect(onAccount.account).toBe('001A');
  const user = inflowUser({
    serverUser: { id: 'u-rep-01', name: 'Maya Chen', attributes: { department: 'sales', role: 'rep' } },
    userId: '005X', user: USER_RECORD, record: OPPORTUNITY, objectApiName: 'Opportunity',
  });
  expect(user.id).toBe('u-rep-01');
  expect(user.attributes).toMatchObject({ role: 'rep', account: '001000000000001AAA', recordType: 'Renewal' });
  // Without a server user, the Federation ID names the Inflow user.
  expect(inflowUser({ userId: '005X', user: USER_RECORD }).id).toBe('u-rep-01');
});

test('the record page asks for the account and the record type of its object', async () => {
  await ready();
  const config = getRecord.getLastConfig();
  expect(config.recordId).toBe(OPPORTUNITY.id);
  expect(config.optionalFields).toEqual(['Opportunity.RecordTypeId', 'Opportunity.AccountId']);
});

test('Buy shows the quote; Confirm records the charge through Apex and says so', async () => {
  recordCharge.mockImplementation(async ({ chargeJson }) => {
    const record = JSON.parse(chargeJson);
    return JSON.stringify({
      charge_id: record.id, status: 'recorded', route: record.funding.route, total: record.total,
      currency: record.currency, source: record.funding.source, text: 'recorded', recordId: 'a00000000000001AAA',
      grant: { module: record.module, source: 'purchase', from: Date.now(), chargeId: record.id },
    });
  });
  const el = await ready();
  const card = $(el, '.offer[data-module="advanced-reports"]');
  click(card.querySelector('.buy'));
  await settle();
  const confirm = $(el, '.offer[data-module="advanced-reports"] .confirm');
  expect(confirm.querySelector('.total').textContent).toMatch(/Total\$10\.80/);
  click(confirm.querySelector('.confirm-purchase'));
  await settle(20);
  expect(recordCharge).toHaveBeenCalledTimes(1);
  const args = recordCharge.mock.calls[0][0];
  const sent = JSON.parse(args.chargeJson);
  expect(sent).toMatchObject({ module: 'advanced-reports', total: '10.80', currency: 'USD' });
  expect(sent.id).toMatch(/^[\w-]{8,128}$/);
  expect(args.contextRecordId).toBe(OPPORTUNITY.id);
  expect($(el, '.notice').textContent).toBe('Advanced Reports is yours ($10.80). Receipt a00000000000001AAA.');
  expect($(el, '.confirm')).toBeNull();
});

test('a purchase held for approval says who approves it', async () => {
  recordCharge.mockImplementation(async ({ chargeJson }) => {
    const record = JSON.parse(chargeJson);
    return { charge_id: record.id, status: 'pending_approval', total: record.total, currency: 'USD', approver: 'Dana Ortiz' };
  });
  const el = await ready();
  click($(el, '.offer[data-module="advanced-reports"] .buy'));
  await settle();
  click($(el, '.confirm-purchase'));
  await settle(20);
  expect($(el, '.notice').textContent).toBe(
    'Your request for Advanced Reports was sent to Dana Ortiz for approval. You will have it once it is approved.',
  );
});

test("a refused charge is shown on its card and nothing is granted", async () => {
  recordCharge.mockRejectedValue({ body: { message: 'price_mismatch: the server priced 12.00, the page 10.80.' } });
  const el = await ready();
  click($(el, '.offer[data-module="advanced-reports"] .buy'));
  await settle();
  click($(el, '.confirm-purchase'));
  await settle(20);
  const status = $(el, '.offer[data-module="advanced-reports"] .status');
  expect(status.getAttribute('role')).toBe('alert');
  expect(status.textContent).toBe(
    'Could not complete the purchase: price_mismatch: the server priced 12.00, the page 10.80. Nothing was charged. Try again, or ask your administrator.',
  );
  expect($$(el, '.offer h3').map((h) => h.textContent)).toContain('Advanced Reports');
});

test('Dismiss removes the offer and confirms it', async () => {
  const el = await ready();
  click($(el, '.offer[data-module="e-signature"] .dismiss'));
  await settle();
  expect($$(el, '.offer h3').map((h) => h.textContent)).not.toContain('E-Signature');
  expect($(el, '.notice').textContent).toMatch(/^E-Signature dismissed\./);
});

test('when the manifests cannot be fetched, the card says what happened and what to do', async () => {
  manifests.mockRejectedValue({ body: { message: 'The Inflow server did not answer (HTTP 503).' } });
  const el = await ready();
  const alert = $(el, '.unavailable');
  expect(alert.getAttribute('role')).toBe('alert');
  expect(alert.querySelector('h2').textContent).toBe('Suggestions are unavailable');
  expect(alert.querySelector('.error').textContent).toBe(
    'The Inflow server did not answer (HTTP 503). Try again; if it keeps failing, contact your administrator.',
  );
});

test('the offers shown are reported to the insights funnel through Apex when the card goes away', async () => {
  const el = await ready();
  const shown = $$(el, '.offer').map((o) => o.dataset.module);
  expect(recordEvents).not.toHaveBeenCalled(); // gathered for a batch, not one call per event
  document.body.removeChild(el); // closing the session posts what is waiting
  await settle(20);
  expect(recordEvents).toHaveBeenCalledTimes(1);
  const { events } = JSON.parse(recordEvents.mock.calls[0][0].eventsJson);
  expect(events.map((e) => e.module)).toEqual(shown);
  for (const e of events) {
    expect(e).toMatchObject({ stage: 'shown', surface: expect.any(String), at: expect.any(Number) });
    expect(e.id).toMatch(/^[\w-]{8,}$/);
  }
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
});

test("Apex's answer reads as the server's: a refusal is a 4xx, an unreachable server a 5xx", async () => {
  recordEvents.mockResolvedValueOnce(JSON.stringify({ status: 400, body: '{"error":{"code":"bad_request","message":"events[0].stage"}}' }));
  const refused = await apexEventsFetch('/v1/me/events', { body: '{"events":[]}' });
  expect(refused).toMatchObject({ ok: false, status: 400 });
  expect((await refused.json()).error.message).toBe('events[0].stage');

  recordEvents.mockRejectedValueOnce({ body: { message: 'The Inflow server could not be reached: timed out' } });
  const away = await apexEventsFetch('/v1/me/events', { body: '{"events":[]}' });
  expect(away).toMatchObject({ ok: false, status: 503 });

  recordEvents.mockRejectedValueOnce({ body: { message: 'invalid_events: send {"events": [...]} with 1 to 200 events.' } });
  expect(await apexEventsFetch('/v1/me/events', { body: '{}' })).toMatchObject({ ok: false, status: 400 });

  const fine = await apexEventsFetch('/v1/me/events', { body: '{"events":[]}' });
  expect(fine).toMatchObject({ ok: true, status: 202 });
});
