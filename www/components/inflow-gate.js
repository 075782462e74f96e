// <inflow-gate feature="reports.export" surface="product.reports" theme="..." card-entry="frame">content</inflow-gate>
// Shows its content when the user may use the feature; otherwise, in place, what unlocks it
// (a trial or a purchase with the same confirmation as the offers), and the content again as
// soon as `inflow:entitlements-changed` says so, without a reload.

import { h } from './dom.js';
import { InflowElement } from './base.js';
import { offerCard } from './offer-card.js';
import { formatDate, formatNumber } from '../format.js';

class InflowGate extends InflowElement {
  static observedAttributes = ['feature', 'surface', 'theme'];

  constructor() {
    super();
    this.notice = h('p', { class: 'notice', role: 'status', 'aria-live': 'polite', tabindex: '-1' });
  }

  /** The session's latest answer for this gate's feature. */
  get check() {
    return this.session?.check(this.getAttribute('feature'));
  }

  render() {
    const feature = this.getAttribute('feature');
    if (this.failed) return this.replace(this.errorView('This feature could not be checked'));
    if (this.loading) return this.replace(h('p', { class: 'muted', role: 'status' }, 'Checking access…'));
    let check;
    try {
      check = this.check;
    } catch (error) {
      return this.replace(h('p', { class: 'error', role: 'alert' }, `Access could not be checked: ${error.message}`));
    }
    if (check.allowed) {
      // The notice stays for a moment so a purchase's outcome is announced with the content.
      return this.replace(this.notice, h('slot'));
    }
    const session = this.session;
    const surface = this.getAttribute('surface') ?? undefined;
    // `unlock`: the module that would give the feature (or lift its limit), if any.
    const unlockers = check.unlock ? [check.unlock] : [];
    let offers = [];
    try {
      offers = unlockers.map((id) => session.offerFor(id, { surface })).filter(Boolean);
    } catch {
      offers = [];
    }
    const ctx = {
      session,
      surface,
      dismissible: false,
      cardEntry: this.getAttribute('card-entry'),
      notify: (text) => {
        this.notice.textContent = text;
        this.render();
        this.notice.focus();
      },
    };
    const names = unlockers.map((id) => session.module(id)?.name ?? id);
    const prompt = h(
      'section',
      { class: 'prompt', 'aria-label': 'Unlock this feature' },
      h('h2', {}, this.headline(check)),
      check.message && h('p', { class: 'muted' }, `${check.message}.`),
      offers.length
        ? h('ul', { class: 'offers' }, offers.map((o) => h('li', {}, offerCard(o, ctx))))
        : h(
            'p',
            {},
            names.length
              ? `${names.join(' or ')} unlocks this. It is not offered to you here; ask your administrator.`
              : 'This is not available to you; ask your administrator.',
          ),
    );
    this.replace(this.notice, prompt);
    if (offers.length) session.shown(offers, surface).catch(() => {});
  }

  /** "You have used all 50 allowed until Dec 1, 2026." or "This is not included in your plan yet." */
  headline(check) {
    const locale = this.session.locale;
    const limit = check.limit?.up_to;
    if (check.reason === 'limit_reached' && limit != null) {
      const resets = check.resets_at ? ` until ${formatDate(check.resets_at, locale)}` : '';
      return `You have used all ${formatNumber(limit, locale)} allowed${resets}.`;
    }
    return 'This is not included in your plan yet.';
  }
}

if (!customElements.get('inflow-gate')) customElements.define('inflow-gate', InflowGate);
