// Inflow gate on a record page: whether this user may use a feature; if not, what unlocks it
// (a trial or a purchase, with the same confirmation as the offers), and the access as soon as
// the purchase is confirmed, without a reload. As <inflow-gate> does on the web.
import { api } from 'lwc';
import InflowOffers from 'c/inflowOffers';
import { offerView } from 'c/inflowShared';

/** A check's limit as a number string: the engine answers `{ up_to }`, the web docs a number. */
const limitOf = (check) => (check?.limit && typeof check.limit === 'object' ? check.limit.up_to : check?.limit) ?? null;

export default class InflowGate extends InflowOffers {
  @api feature;
  @api surface = 'crm.record';
  @api featureLabel = 'This feature';

  check;
  headline = '';
  reasonText = '';
  unlockText = '';

  get allowed() {
    return Boolean(this.check?.allowed);
  }
  get locked() {
    return Boolean(this.check) && !this.check.allowed;
  }
  get statusText() {
    const c = this.check;
    if (!c?.allowed) return '';
    const limit = limitOf(c);
    return c.remaining != null && limit != null
      ? `${this.featureLabel}: ${c.remaining} of ${limit} left this period.`
      : `${this.featureLabel} is included for you.`;
  }

  refresh() {
    const s = this.session;
    if (!s) return;
    try {
      this.check = s.check(this.feature);
    } catch (e) {
      this.check = undefined;
      this.say(`Access could not be checked: ${e.message}`, true);
      return;
    }
    if (this.check.allowed) {
      this.offers = [];
      return;
    }
    // The engine names one unlocking module (`unlock`); the web docs a list (`unlockedBy`).
    const unlockers = this.check.unlockedBy ?? (this.check.unlock ? [this.check.unlock] : []);
    const locale = s.locale;
    this.headline =
      limitOf(this.check) != null
        ? `You have used all ${window.Inflow.formatNumber(limitOf(this.check), locale)} of this period's allowance` +
          (this.check.resetsAt ?? this.check.resets_at ? ` until ${window.Inflow.formatDate(this.check.resetsAt ?? this.check.resets_at, locale)}.` : '.')
        : 'This feature is not included in your plan yet.';
    this.reasonText = this.check.message ?? this.check.reason ?? '';
    let raw = [];
    try {
      raw = s.offers({ surface: this.surface, max: 50 }).filter((o) => unlockers.includes(o.module) && o.kind !== 'help');
    } catch {
      raw = [];
    }
    const names = unlockers.map((id) => s.module(id)?.name ?? id);
    this.unlockText = raw.length
      ? ''
      : names.length
        ? `${names.join(' or ')} unlocks this. It is not offered to you here; ask your administrator.`
        : 'This is not available to you; ask your administrator.';
    this._raw = new Map(raw.map((o) => [o.module, o]));
    this.offers = raw.map((o) => ({ ...offerView(o, locale, window.Inflow), confirm: null, status: '', busy: false }));
    if (raw.length) s.shown(raw, this.surface).catch(() => {});
  }
}
