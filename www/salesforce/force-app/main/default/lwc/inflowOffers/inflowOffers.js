// Inflow offers on a record page: the user's offers ranked and explained, with Try, Buy (an
// in-place confirmation of the quote) and Dismiss, as <inflow-offers> does on the web. A
// purchase paid by the user's card opens the Inflow server's card page in an iframe (c/inflowShared
// cardEntry): no card field is ever part of this component.
import { LightningElement, api, wire } from 'lwc';
import { getRecord } from 'lightning/uiRecordApi';
import USER_ID from '@salesforce/user/Id';
import {
  CardEntry, explain, failedText, offerView, openSession, purchasedText, quoteView,
} from 'c/inflowShared';

export const USER_FIELDS = ['User.Name', 'User.Department', 'User.Title', 'User.FederationIdentifier', 'User.LocaleSidKey'];

export default class InflowOffers extends LightningElement {
  @api recordId;
  @api objectApiName;
  @api surface = 'crm.record';
  @api max = 3;
  @api heading = 'Suggested for you';

  session;
  error;
  notice = '';
  noticeIsError = false;
  offers = [];
  user;
  record;
  /** The open card payment's panel: `{ src, origin, text, isError }`, or null. */
  card = null;
  _raw = new Map();
  _opened = false;
  _cardEntry = new CardEntry({
    onChange: (view) => {
      this.card = view;
    },
    frame: () => this.template.querySelector('iframe.card-frame'),
    label: (record) => this._raw.get(record.module)?.name ?? record.module,
    locale: () => this.session?.locale,
  });

  @wire(getRecord, { recordId: USER_ID, fields: USER_FIELDS })
  wiredUser({ data, error }) {
    if (data) this.user = data;
    if (data || error) this._open();
  }

  /** The page record's account and record type, whatever the object. */
  get recordFields() {
    const o = this.objectApiName;
    return o ? [`${o}.RecordTypeId`, ...(o === 'Account' ? [] : [`${o}.AccountId`])] : [];
  }

  @wire(getRecord, { recordId: '$recordId', optionalFields: '$recordFields' })
  wiredRecord({ data }) {
    if (data) {
      this.record = data;
      if (this.session) this._open(true);
    }
  }

  _open(again = false) {
    if (this._opened && !again) return;
    this._opened = true;
    this.session = undefined;
    openSession({
      component: this,
      userId: USER_ID,
      user: this.user,
      record: this.record,
      objectApiName: this.objectApiName,
      recordId: this.recordId,
      card: this._cardEntry,
    }).then(
      (s) => {
        this.session = s;
        this.error = undefined;
        this.refresh();
      },
      (e) => {
        this.error = explain(e);
      },
    );
  }

  get loading() {
    return !this.session && !this.error;
  }
  get hasOffers() {
    return this.offers.length > 0;
  }
  get cardTextClass() {
    return this.card?.isError ? 'card-status slds-text-color_error' : 'card-status';
  }
  get cardTextRole() {
    return this.card?.isError ? 'alert' : 'status';
  }
  get cardTitle() {
    return `Pay by card on ${this.card?.origin ?? 'the supplier'}'s secure page`;
  }

  handleCardCancel() {
    this._cardEntry.cancel();
  }

  get noticeClass() {
    return this.noticeIsError ? 'notice slds-text-color_error' : 'notice';
  }

  refresh() {
    const s = this.session;
    if (!s) return;
    let raw;
    try {
      const max = Number(this.max) || 3;
      raw = s.offers({ surface: this.surface, max }).slice(0, max);
    } catch (e) {
      this.say(`Suggestions could not be computed: ${e.message}`, true);
      this.offers = [];
      return;
    }
    this._raw = new Map(raw.map((o) => [o.module, o]));
    this.offers = raw.map((o) => ({ ...offerView(o, s.locale, window.Inflow), confirm: null, status: '', busy: false }));
    if (raw.length) s.shown(raw, this.surface).catch(() => {});
  }

  say(text, error = false) {
    this.notice = text;
    this.noticeIsError = error;
  }

  _patch(module, changes) {
    this.offers = this.offers.map((o) => (o.module === module ? { ...o, ...changes } : o));
  }

  async _act(module, verb, run) {
    this._patch(module, { busy: true, status: '' });
    try {
      const text = await run(this._raw.get(module));
      this._patch(module, { busy: false, confirm: null });
      this.say(text);
      this.refresh();
    } catch (e) {
      this._patch(module, { busy: false, status: failedText(verb, e) });
    }
  }

  handleTry(event) {
    const module = event.currentTarget.dataset.module;
    this._act(module, 'start the trial', async (offer) => {
      await this.session.startTrial(module, this.surface);
      return `Your trial of ${offer.name} has started. It lasts ${offer.trial.days} days.`;
    });
  }

  handleBuy(event) {
    const module = event.currentTarget.dataset.module;
    const offer = this._raw.get(module);
    try {
      const quote = this.session.quote({ selections: [{ module, quantity: offer.price?.quantity }] });
      this.session.opened(offer, this.surface).catch(() => {});
      this._patch(module, { confirm: quoteView(quote, offer.price?.currency, this.session.locale, window.Inflow), status: '' });
    } catch (e) {
      this._patch(module, { status: failedText('price this purchase', e) });
    }
  }

  handleCancel(event) {
    this._patch(event.currentTarget.dataset.module, { confirm: null });
  }

  handleConfirm(event) {
    const module = event.currentTarget.dataset.module;
    this._act(module, 'complete the purchase', async (offer) => {
      const result = await this.session.checkout({ module, quantity: offer.price?.quantity, offer, surface: this.surface });
      return purchasedText(offer, result, this.session.locale, window.Inflow);
    });
  }

  handleDismiss(event) {
    const module = event.currentTarget.dataset.module;
    this._act(module, 'dismiss it', async (offer) => {
      await this.session.dismiss(module, this.surface);
      return `${offer.name} dismissed. It will not be suggested again for a while.`;
    });
  }

  disconnectedCallback() {
    this._cardEntry.cancel();
    this.session?.close?.();
  }
}
