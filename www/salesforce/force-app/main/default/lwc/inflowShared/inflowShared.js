// What inflowOffers and inflowGate share: loading the engine from the `inflow` static resource
// (once per page), the Inflow user built from the Salesforce context, a sink that records
// charges through Apex (which has the Inflow server verify them first), and the funnel
// (offers shown, opened, tried, bought) reported to the Inflow server's insights through Apex.
import { loadScript } from 'lightning/platformResourceLoader';
import INFLOW from '@salesforce/resourceUrl/inflow';
import manifestsFor from '@salesforce/apex/InflowChargeController.manifests';
import recordCharge from '@salesforce/apex/InflowChargeController.recordCharge';
import recordEvents from '@salesforce/apex/InflowChargeController.recordEvents';
import { cardSink } from './cardEntry';

export { CardEntry } from './cardEntry';

let loading;

/**
 * Loads `window.Inflow` from the static resource and starts the engine with the wasm bytes
 * beside it. Lightning Web Security lets a component instantiate WebAssembly (it blocks Web
 * Workers, which Inflow does not use). Where WebAssembly is missing or refused anyway, the
 * adapter falls back to the static resource's JavaScript build (`fallback/inflow_fallback.js`,
 * packed by scripts/build-salesforce.sh --with-fallback); without it the adapter's
 * `wasm_unavailable` error says so. Rejects with the adapter's InflowError codes.
 */
export function loadInflow(component) {
  loading ??= (async () => {
    await loadScript(component, `${INFLOW}/inflow.js`);
    const Inflow = window.Inflow;
    if (!Inflow) throw Object.assign(new Error('The Inflow static resource did not load.'), { code: 'engine_missing' });
    const wasm = typeof WebAssembly === 'object' ? await fetch(`${INFLOW}/inflow_bg.wasm`) : null;
    if (wasm && !wasm.ok) {
      throw Object.assign(new Error(`The Inflow engine could not be downloaded (HTTP ${wasm.status}).`), {
        code: 'wasm_fetch_failed',
      });
    }
    await Inflow.load({ wasmBytes: wasm ? await wasm.arrayBuffer() : undefined, fallback: () => loadFallback(component) });
    return Inflow;
  })().catch((e) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

/** The engine without WebAssembly: the static resource's wasm2js build, loaded only now. */
async function loadFallback(component) {
  try {
    await loadScript(component, `${INFLOW}/fallback/inflow_fallback.js`);
  } catch {
    // loadScript rejects with the script element's error event, which says nothing.
    throw new Error('the static resource has no JavaScript build (pack it with scripts/build-salesforce.sh --with-fallback)');
  }
  if (!window.InflowFallback) throw new Error('the static resource\'s JavaScript build did not define window.InflowFallback');
  return window.InflowFallback.engine();
}

/** The record page's context as Inflow user attributes (strings only; absent ones left out). */
export function contextAttributes({ user, record, objectApiName }) {
  const attrs = {};
  const put = (key, value) => {
    if (value != null && value !== '') attrs[key] = String(value);
  };
  put('department', field(user, 'Department'));
  put('title', field(user, 'Title'));
  put('locale', field(user, 'LocaleSidKey')?.replace('_', '-'));
  put('object', objectApiName);
  put('recordType', record?.recordTypeInfo?.name ?? field(record, 'RecordType', 'DeveloperName'));
  put('account', objectApiName === 'Account' ? record?.id : field(record, 'AccountId'));
  return attrs;
}

/** A field's value from a Lightning Data Service record (`fields.X.value`, nested for lookups). */
export function field(record, name, child) {
  const value = record?.fields?.[name]?.value;
  return child ? value?.fields?.[child]?.value : value;
}

/**
 * The Inflow user: the directory's user the Inflow server returned for this Salesforce user
 * (its id and attributes win), with the record page's context added.
 */
export function inflowUser({ serverUser, userId, user, record, objectApiName }) {
  const context = contextAttributes({ user, record, objectApiName });
  return {
    id: serverUser?.id ?? field(user, 'FederationIdentifier') ?? userId,
    name: serverUser?.name ?? field(user, 'Name') ?? userId,
    attributes: { ...context, ...(serverUser?.attributes ?? {}) },
  };
}

/**
 * The sink: Apex posts the charge record to the Inflow server (Named Credential `Inflow`),
 * which re-prices and verifies it; only then does Apex upsert Inflow_Charge__c by the charge
 * id, so a retried delivery cannot record it twice. Answers the adapter's receipt contract.
 */
export function apexSink(recordId) {
  return {
    async deliver(record) {
      const reply = await recordCharge({ chargeJson: JSON.stringify(record), contextRecordId: recordId ?? null });
      return receiptOf(record, reply);
    },
  };
}

/** Apex's answer (the server's receipt with `recordId`) in the adapter's receipt contract. */
export function receiptOf(record, reply) {
  const receipt = typeof reply === 'string' ? JSON.parse(reply) : reply;
  const held = receipt.status === 'pending_approval';
  return {
    id: receipt.recordId ?? receipt.charge_id,
    chargeId: receipt.charge_id ?? record.id,
    status: held ? 'pending_approval' : 'confirmed',
    total: { amount: receipt.total ?? record.total, currency: receipt.currency ?? record.currency },
    approver: receipt.approver,
    grant: held ? undefined : receipt.grant,
    text: receipt.text,
  };
}

/**
 * A `fetch` for the adapter's funnel reporter that posts through Apex (`recordEvents`, the
 * Named Credential's user) instead of to the Inflow server: it answers like a response, the
 * server's status and body, so the reporter drops what the server refused (4xx) and keeps
 * what an outage or an unreachable server stopped for its next batch.
 */
export async function apexEventsFetch(url, { body }) {
  let reply;
  try {
    reply = await recordEvents({ eventsJson: body });
  } catch (error) {
    // Apex could not reach the server (or refused the batch's shape: it says which).
    const message = messageOf(error);
    const refused = /^invalid_events: /.test(message);
    return answer(refused ? 400 : 503, JSON.stringify({ error: { code: refused ? 'invalid_events' : 'unreachable', message } }));
  }
  const { status, body: text } = typeof reply === 'string' ? JSON.parse(reply) : reply;
  return answer(Number(status), text ?? '');
}

/** The part of a fetch Response the funnel reporter reads. */
function answer(status, text) {
  return {
    status,
    ok: status >= 200 && status < 300,
    json: async () => JSON.parse(text),
  };
}

/** Fetches the manifests (and the caller as the Inflow server knows them) through Apex. */
export async function serverManifests() {
  const reply = await manifestsFor();
  const body = typeof reply === 'string' ? JSON.parse(reply) : reply;
  return {
    manifests: { catalog: body.catalog, contract: body.contract, policy: body.policy, model: body.model ?? undefined },
    refs: body.manifests,
    user: body.user,
    spend: body.spend,
  };
}

/**
 * Opens a session for the page: engine, manifests and the user's context. `target` receives the
 * adapter's `inflow:*` events (the component itself, so they bubble in its own tree). With
 * `card` (a CardEntry), purchases paid by card go through the Inflow server's card page.
 */
export async function openSession({ component, userId, user, record, objectApiName, recordId, card }) {
  const [Inflow, server] = await Promise.all([loadInflow(component), serverManifests()]);
  const target = component.template?.host ?? component;
  const me = inflowUser({ serverUser: server.user, userId, user, record, objectApiName });
  const session = await Inflow.session({
    manifests: server.manifests,
    refs: server.refs,
    spend: server.spend,
    user: me,
    sink: card ? cardSink({ sink: apexSink(recordId), card, receiptOf }) : apexSink(recordId),
    target,
  });
  // The funnel this component sees goes to the server's insights; closing the session sends
  // what is still waiting and stops listening.
  const funnel = Inflow.funnelReporter({ user: me.id, target, fetch: apexEventsFetch });
  return {
    ...session,
    async close() {
      await funnel.close();
      return session.close();
    },
  };
}

/** An error's message: Apex's (`body.message`), the adapter's, or the error as text. */
function messageOf(error) {
  return error?.body?.message ?? error?.message ?? String(error);
}

/** What a person can do about an error, after what went wrong (as the web elements say it). */
export function explain(error) {
  const message = messageOf(error);
  switch (error?.code) {
    case 'wasm_unavailable':
      return `${message} Your other work on this page is not affected.`;
    case 'engine_missing':
    case 'wasm_fetch_failed':
    case 'manifests_unavailable':
      return `${message} Check your connection and reload the page.`;
    default:
      return `${message} Try again; if it keeps failing, contact your administrator.`;
  }
}

/** Display fields of an offer for a template (text only: catalog text is data, never markup). */
export function offerView(offer, locale, Inflow) {
  return {
    key: offer.module,
    module: offer.module,
    name: offer.name,
    tagline: offer.tagline,
    help: offer.kind === 'help',
    priceText: offer.kind === 'help' ? '' : Inflow.formatPrice(offer.price, locale),
    fundingText: offer.funding?.text ?? '',
    reasonText: offer.reason?.text ?? '',
    trialDays: offer.trial?.days ?? 0,
    tryLabel: offer.trial ? `Try ${offer.name} free for ${offer.trial.days} days` : '',
    tryText: offer.trial ? `Try ${offer.trial.days} days` : '',
    buyLabel: `Buy ${offer.name}`,
    dismissLabel: `Dismiss ${offer.name}`,
  };
}

/** The quote's rows for the confirmation, formatted. */
export function quoteView(quote, currency, locale, Inflow) {
  const { rows, total } = Inflow.quoteRows(quote, currency);
  return {
    rows: rows.map((r, i) => ({ key: `row-${i}`, label: r.label, amount: Inflow.formatMoney(r.money?.amount, r.money?.currency, locale) })),
    total: total ? Inflow.formatMoney(total.amount, total.currency, locale) : '',
  };
}

/** The sentence for a finished purchase, as the web elements say it. */
export function purchasedText(offer, { receipt, record }, locale, Inflow) {
  if (receipt?.status === 'pending_approval') {
    const who = receipt.approver ? ` to ${receipt.approver}` : '';
    return `Your request for ${offer.name} was sent${who} for approval. You will have it once it is approved.`;
  }
  const total = receipt?.total ?? record?.total;
  const money = total && typeof total === 'object' ? Inflow.formatMoney(total.amount, total.currency, locale) : '';
  const ref = receipt?.id ? ` Receipt ${receipt.id}.` : '';
  const warning = receipt?.warning ? ` ${receipt.warning}` : '';
  return `${offer.name} is yours${money ? ` (${money})` : ''}.${ref}${warning}`;
}

/** After a failed action: what failed, that nothing was charged, what to do. */
export function failedText(verb, error) {
  const what = messageOf(error);
  return `Could not ${verb}: ${what} Nothing was charged. Try again, or ask your administrator.`;
}
