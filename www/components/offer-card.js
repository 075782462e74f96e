// One offer as a card: name, tagline, price, funding, reason, and its actions (Try, Buy with an
// in-place confirmation of the quote, Dismiss), each with pending, done and failed feedback.
// Help offers (kind "help") are adoption tips about something the user already has.

import { h, uid } from './dom.js';
import { formatDate, formatMoney, formatPrice, quoteRows } from '../format.js';

/** The user-facing sentence for a finished purchase. */
function purchased(offer, { receipt, record }, locale) {
  const total = receipt?.total ?? record?.total;
  const money = total && typeof total === 'object' ? formatMoney(total.amount, total.currency, locale) : '';
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

/**
 * `ctx`: { session, surface, compact, dismissible, notify(text, { error, focus }) } where notify
 * shows an outcome in the element's live notice (the card may be gone after re-rendering).
 */
export function offerCard(offer, ctx) {
  const { session, surface } = ctx;
  const locale = session.locale;
  const help = offer.kind === 'help';
  const titleId = uid('offer');
  const status = h('p', { role: 'status', 'aria-live': 'polite', hidden: true, tabindex: '-1' });
  const card = h('article', { class: help ? 'offer tip' : 'offer', 'aria-labelledby': titleId });

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
    try {
      const text = await run();
      setStatus('');
      busy(false);
      if (text) ctx.notify(text, { focus: true });
    } catch (error) {
      busy(false);
      setStatus(failed(verb, error), true);
      status.focus();
    }
  };

  const buttons = [];
  if (help) {
    buttons.push(
      h('button', { class: 'primary', onclick: () => session.opened(offer, surface) }, `Open ${offer.name}`),
    );
  } else {
    if (offer.trial) {
      buttons.push(
        h(
          'button',
          {
            'aria-label': `Try ${offer.name} free for ${offer.trial.days} days`,
            onclick: () =>
              act('Starting your trial…', 'start the trial', async () => {
                const grant = await session.startTrial(offer.module, surface);
                const end = grant?.until ?? grant?.end ?? grant?.to ?? grant?.expires;
                const when = end ? `It ends on ${formatDate(end, locale)}.` : `It lasts ${offer.trial.days} days.`;
                return `Your trial of ${offer.name} has started. ${when}`;
              }),
          },
          `Try ${offer.trial.days} days`,
        ),
      );
    }
    const buy = h(
      'button',
      { class: offer.trial ? '' : 'primary', 'aria-label': `Buy ${offer.name}`, 'aria-expanded': 'false' },
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
          'aria-label': help ? `Dismiss the tip about ${offer.name}` : `Dismiss ${offer.name}`,
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
    const heading = h('h4', { id: headId, tabindex: '-1' }, `Confirm: ${offer.name}`);
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
    const ok = h(
      'button',
      {
        class: 'primary',
        onclick: () =>
          act('Completing your purchase…', 'complete the purchase', async () => {
            const result = await session.checkout({ module: offer.module, quantity: offer.price?.quantity, offer, surface });
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
    h('h3', { id: titleId }, offer.name),
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
