// One offer as a card: name, tagline, price, funding, reason, and its actions (Try, Buy with an
// in-place confirmation of the quote, Dismiss), each with pending, done and failed feedback.
// Help offers (kind "help") are adoption tips about something the user already has.

import { h, uid } from './dom.js';
import { formatDate, formatMoney, formatPrice, moneyOf, quoteRows } from '../format.js';

/** The user-facing sentence for a finished purchase. */
function purchased(offer, { receipt, record }, locale) {
  const total = moneyOf(receipt?.total ?? record?.total, record?.currency);
  const money = total?.amount && total.currency ? formatMoney(total.amount, total.currency, locale) : '';
  if (receipt?.status === 'pending_approval') {
    const who = receipt.approver ? ` to ${receipt.approver}` : '';
    return `Your request for ${offer.name} was sent${who} for approval. You will have it once it is approved.`;
  }
  const ref = receipt?.id ? ` Receipt ${receipt.id}.` : '';
  return `${offer.name} is yours${money ? ` (${money})` : ''}.${ref}`;
}

/** What to do next after a failed action. */
function failed(verb, error) {
  const what = error?.message ?? String(error);
  return `Could not ${verb}: ${what} Nothing was charged. Try again, or ask your administrator.`;
}

/** Card refusals: the card was not charged and nothing was recorded. */
const CARD_REFUSALS = {
  card_declined: 'Your card was declined.',
  insufficient_funds: 'Your card has insufficient funds.',
  invalid_card: 'The card number is not valid.',
};

/** What to say when a card purchase is refused: what happened, that nothing was charged, what next. */
function cardRefused(error) {
  const what = CARD_REFUSALS[error?.code];
  if (!what) return null;
  return `${what} Nothing was charged and no purchase was recorded. Use another card, or ask your bank.`;
}

/**
 * `ctx`: { session, surface, compact, dismissible, cardEntry, notify(text, { error, focus }) } where notify
 * shows an outcome in the element's live notice (the card may be gone after re-rendering).
 */
export function offerCard(offer, ctx) {
  const { session, surface } = ctx;
  const locale = session.locale;
  const help = offer.kind === 'help';
  // A compact card stands alone in the host's content (under its h1 or h2); in a panel or a
  // gate it sits under the element's own h2.
  const level = ctx.compact ? 2 : 3;
  const titleId = uid('offer');
  const status = h('p', { role: 'status', 'aria-live': 'polite', hidden: true, tabindex: '-1' });
  const card = h('article', { class: help ? 'offer tip' : 'offer', 'aria-labelledby': titleId, 'data-module': offer.module });

  const setStatus = (text, error = false) => {
    status.textContent = text;
    status.className = error ? 'error' : 'muted';
    status.setAttribute('role', error ? 'alert' : 'status');
    status.hidden = !text;
  };
  const busy = (on) => {
    card.setAttribute('aria-busy', String(on));
    for (const b of card.querySelectorAll('button')) b.disabled = on;
  };
  /** Runs an action with its feedback: busy while pending, the outcome in the notice or here. */
  const act = async (pendingText, verb, run) => {
    busy(true);
    setStatus(pendingText);
    // A sink with an outbox reports each delivery attempt: say so while the server is away.
    const onCharge = (e) => {
      const d = e.detail;
      if (d?.user !== session.user.id || d.ui !== 'pending' || !d.attempts) return;
      setStatus(`Saved; still sending to the server (attempt ${d.attempts + 1}). It goes out by itself when the connection is back.`);
    };
    globalThis.document?.addEventListener('inflow:charge', onCharge);
    try {
      const text = await run();
      setStatus('');
      busy(false);
      if (text) ctx.notify(text, { focus: true });
    } catch (error) {
      busy(false);
      setStatus(cardRefused(error) ?? failed(verb, error), true);
      status.focus();
    } finally {
      globalThis.document?.removeEventListener('inflow:charge', onCharge);
    }
  };

  const buttons = [];
  if (help) {
    buttons.push(
      h('button', { class: 'primary', onclick: () => session.opened(offer, surface) }, `Open ${offer.name}`),
    );
  } else {
    const trialDays = offer.trial_days;
    if (trialDays) {
      buttons.push(
        h(
          'button',
          {
            'aria-label': `Try ${trialDays} days of ${offer.name} free`,
            onclick: () =>
              act('Starting your trial…', 'start the trial', async () => {
                const grant = await session.startTrial(offer.module, surface);
                // A grant's `ends` is its first day without access.
                const when = grant?.ends ? `It runs until ${formatDate(grant.ends, locale)}.` : `It lasts ${trialDays} days.`;
                return `Your trial of ${offer.name} has started. ${when}`;
              }),
          },
          `Try ${trialDays} days`,
        ),
      );
    }
    const buy = h(
      'button',
      { class: trialDays ? '' : 'primary', 'aria-label': `Buy ${offer.name}`, 'aria-expanded': 'false' },
      'Buy',
    );
    buy.addEventListener('click', () => openConfirm(buy));
    buttons.push(buy);
  }
  if (ctx.dismissible !== false) {
    buttons.push(
      h(
        'button',
        {
          'aria-label': help ? `Got it: dismiss the tip about ${offer.name}` : `Dismiss ${offer.name}`,
          onclick: () =>
            act('Dismissing…', 'dismiss it', async () => {
              await session.dismiss(offer.module, surface);
              return `${offer.name} dismissed. It will not be suggested again for a while.`;
            }),
        },
        help ? 'Got it' : 'Dismiss',
      ),
    );
  }

  const confirm = h('div', { class: 'confirm', hidden: true });

  /** The in-place purchase confirmation: the quote's lines, the total, Confirm and Cancel. */
  async function openConfirm(buy) {
    setStatus('');
    let quote;
    try {
      quote = session.quote({ selections: [{ module: offer.module, quantity: offer.price?.quantity }] });
    } catch (error) {
      setStatus(failed('price this purchase', error), true);
      return;
    }
    session.opened(offer, surface).catch(() => {});
    const { rows, total } = quoteRows(quote, offer.price?.currency);
    const headId = uid('confirm');
    const heading = h(`h${level + 1}`, { id: headId, tabindex: '-1', class: 'confirm-title' }, `Confirm: ${offer.name}`);
    const table = h(
      'table',
      { class: 'lines', 'aria-labelledby': headId },
      h(
        'tbody',
        {},
        rows.map((r) => h('tr', {}, h('td', {}, r.label), h('td', {}, formatMoney(r.money?.amount, r.money?.currency, locale)))),
        total && h('tr', { class: 'total' }, h('td', {}, 'Total'), h('td', {}, formatMoney(total.amount, total.currency, locale))),
      ),
    );
    const close = () => {
      confirm.hidden = true;
      confirm.replaceChildren();
      buy.setAttribute('aria-expanded', 'false');
      buy.focus();
    };
    // Paid by card: the card is entered on the supplier's own page. In this demo that page is
    // this confirmation step with a plain field (the built-in test processor takes Stripe's
    // test card numbers). In production it is Stripe Elements on the supplier's origin (an
    // iframe page of its own), never a field inside a CRM host's DOM; what it hands back is a
    // payment method id, sent as the token.
    // With card-entry="frame" on the element the sink opens that page itself: no field here.
    const byCard = offer.funding?.route === 'card' && ctx.cardEntry !== 'frame';
    const cardId = uid('card');
    const cardInput = byCard
      ? h('input', { id: cardId, name: 'card-number', inputmode: 'numeric', autocomplete: 'cc-number', required: true })
      : null;
    const cardField = byCard
      ? h('p', { class: 'card-field' }, h('label', { for: cardId }, 'Card number '), cardInput)
      : null;
    const ok = h(
      'button',
      {
        class: 'primary',
        onclick: () =>
          act('Completing your purchase…', 'complete the purchase', async () => {
            const paymentToken = cardInput ? cardInput.value.replace(/[\s-]/g, '') : undefined;
            if (cardInput && !paymentToken) {
              const e = new Error('Enter your card number to pay by card.');
              e.code = 'payment_token_missing';
              throw e;
            }
            const result = await session.checkout({
              module: offer.module,
              quantity: offer.price?.quantity,
              offer,
              surface,
              paymentToken,
            });
            confirm.hidden = true;
            confirm.replaceChildren();
            buy.setAttribute('aria-expanded', 'false');
            return purchased(offer, result, locale);
          }),
      },
      'Confirm purchase',
    );
    confirm.replaceChildren(
      heading,
      table,
      offer.funding?.text && h('p', { class: 'funding' }, offer.funding.text),
      cardField,
      h('div', { class: 'actions' }, ok, h('button', { onclick: close }, 'Cancel')),
    );
    confirm.onkeydown = (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        close();
      }
    };
    confirm.hidden = false;
    buy.setAttribute('aria-expanded', 'true');
    heading.focus();
  }

  const reason = offer.reason?.text;
  const parts = [
    help ? h('span', { class: 'tag' }, 'Tip') : null,
    h(`h${level}`, { id: titleId, class: 'title' }, offer.name),
    ctx.compact ? null : offer.tagline && h('p', {}, offer.tagline),
    help ? null : h('p', { class: 'price' }, formatPrice(offer.price, locale)),
    help || ctx.compact ? null : offer.funding?.text && h('p', { class: 'funding' }, offer.funding.text),
    reason && h('p', { class: 'reason' }, help ? '' : h('span', { class: 'why' }, 'Why this? '), reason),
    h('div', { class: 'actions' }, buttons),
    confirm,
    status,
  ];
  card.append(...parts.filter(Boolean));
  return card;
}
