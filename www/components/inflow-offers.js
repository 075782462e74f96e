// <inflow-offers mode="panel|compact" surface="crm.record" theme="salesforce|neutral" max="3"
//   card-entry="frame">
// The user's offers, ranked and explained. The host sets `element.session` (or a promise of it).
// card-entry="frame": the element shows no card field; the session's sink collects the card on
// the supplier's own page (www/embed/host.js cardFrameSink), as a CRM host's page requires.

import { h } from './dom.js';
import { InflowElement } from './base.js';
import { offerCard } from './offer-card.js';

class InflowOffers extends InflowElement {
  static observedAttributes = ['mode', 'surface', 'max', 'theme'];

  constructor() {
    super();
    this.notice = h('p', { class: 'notice', role: 'status', 'aria-live': 'polite', tabindex: '-1' });
  }

  get compact() {
    return this.getAttribute('mode') === 'compact';
  }

  /** Shows an outcome that outlives the card it came from; optionally moves focus to it. */
  notify(text, { error = false, focus = false } = {}) {
    this.notice.textContent = text;
    this.notice.classList.toggle('error', error);
    if (focus) this.notice.focus();
  }

  render() {
    const surface = this.getAttribute('surface') ?? undefined;
    if (this.failed) return this.replace(this.errorView('Suggestions are unavailable'));
    // Distinct landmark names: a page may hold a panel and a compact suggestion.
    const label = this.compact ? 'Suggested add-on' : 'Suggested for you';
    const wrap = h('section', { class: this.compact ? 'compact' : 'panel', 'aria-label': label });
    if (!this.compact) wrap.append(h('h2', {}, 'Suggested for you'));
    wrap.append(this.notice);
    if (this.loading) {
      wrap.setAttribute('aria-busy', 'true');
      wrap.append(h('p', { class: 'muted' }, 'Loading suggestions…'));
      return this.replace(wrap);
    }
    const session = this.session;
    let offers;
    try {
      const max = this.compact ? 1 : Number(this.getAttribute('max') ?? 3);
      offers = session.offers({ surface, max }).slice(0, max);
    } catch (error) {
      this.notify(`Suggestions could not be computed: ${error.message}`, { error: true });
      return this.replace(wrap);
    }
    if (!offers.length) {
      wrap.append(h('p', { class: 'muted' }, 'Nothing to suggest right now.'));
    } else {
      const ctx = {
        session,
        surface,
        compact: this.compact,
        cardEntry: this.getAttribute('card-entry'),
        notify: (text, opts) => {
          this.notify(text, opts);
          this.render();
          this.notice.focus();
        },
      };
      wrap.append(h('ul', { class: 'offers' }, offers.map((o) => h('li', {}, offerCard(o, ctx)))));
    }
    this.replace(wrap);
    if (offers.length) {
      if (!firstOffers) globalThis.performance?.mark?.('inflow:offers-rendered');
      firstOffers = true;
      session.shown(offers, surface).catch(() => {});
    }
  }
}

/** Whether offers were rendered on this page yet: the first time is marked (User Timing). */
let firstOffers = false;

if (!customElements.get('inflow-offers')) customElements.define('inflow-offers', InflowOffers);
