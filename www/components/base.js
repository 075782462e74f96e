// What <inflow-offers> and <inflow-gate> share: a closed shadow root with the theme, the
// `session` property (a session or a promise of one), a visible message when the engine could
// not load, a live notice for outcomes, and re-rendering on the adapter's events.

import { h } from './dom.js';
import { adoptStyles } from './styles.js';

/** What a person can do about an error, after saying what went wrong. */
export function explain(error) {
  switch (error?.code) {
    case 'wasm_unavailable':
      return `${error.message} Your other work on this page is not affected.`;
    case 'engine_missing':
    case 'wasm_fetch_failed':
    case 'manifests_unavailable':
      return `${error.message} Check your connection and reload the page.`;
    default:
      return `${error?.message ?? String(error)} Try again; if it keeps failing, contact your administrator.`;
  }
}

const EVENTS = ['inflow:entitlements-changed', 'inflow:offer-dismissed', 'inflow:trial-started'];

/** Elements whose session arrived and which wait for `flushInSight` to render them. */
let arrived = null;

/**
 * Renders `element` (by `render`) now when it is in sight, else after the next frame: elements
 * out of sight (a gate in a hidden tab) fill in after those in sight have painted, not before.
 * Elements fed one session get it in one microtask checkpoint; they are asked whether they are
 * in sight together, before any of them renders. Asking lays the page out (`checkVisibility`),
 * so asked one at a time between renders, each element after the first laid it out again, on
 * the way to the first offers' frame.
 */
function whenInSight(element, render) {
  if (!arrived) {
    arrived = [];
    queueMicrotask(flushInSight); // after the other elements' callbacks, already queued
  }
  arrived.push({ element, render });
}

function flushInSight() {
  const batch = arrived;
  arrived = null;
  const inSight = batch.map(({ element }) => element.checkVisibility?.() !== false);
  batch.forEach(({ render }, i) => (inSight[i] ? renderApart(render) : requestAnimationFrame(() => setTimeout(render))));
}

/** Runs `render`; an exception is reported (as an uncaught one would be), not passed on to the next element's. */
function renderApart(render) {
  try {
    render();
  } catch (error) {
    if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
    else console.error(error);
  }
}

export class InflowElement extends HTMLElement {
  #session = null;
  #error = null;
  #pending = 0;
  /** Between `connectedCallback` and `disconnectedCallback`. */
  #live = false;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'closed' });
    adoptStyles(this.root);
    this.onEvent = (event) => {
      if (!this.#session || event.detail?.user !== this.#session.user.id) return;
      this.render();
    };
  }

  connectedCallback() {
    for (const name of EVENTS) document.addEventListener(name, this.onEvent);
    this.#live = true;
    this.render();
  }

  disconnectedCallback() {
    this.#live = false;
    for (const name of EVENTS) document.removeEventListener(name, this.onEvent);
  }

  /**
   * Renders again when an attribute changes on the page, not while the element is being
   * upgraded: the parser's attributes arrive one call each before `connectedCallback`, which
   * renders once for all of them.
   */
  attributeChangedCallback() {
    if (this.#live) this.render();
  }

  get session() {
    return this.#session;
  }

  /** A session from the adapter, or a promise of one (its rejection is shown, not thrown). */
  set session(value) {
    const ticket = ++this.#pending;
    this.#error = null;
    this.#session = null;
    if (value && typeof value.then === 'function') {
      this.render();
      value.then(
        (s) => whenInSight(this, () => ticket === this.#pending && this.#set(s, null)),
        (e) => ticket === this.#pending && this.#set(null, e),
      );
    } else this.#set(value ?? null, null);
  }

  /** Shows that the engine could not be used, e.g. `load()`'s rejection. */
  set error(error) {
    ++this.#pending;
    this.#set(null, error);
  }

  #set(session, error) {
    this.#session = session;
    this.#error = error;
    if (this.isConnected) this.render();
  }

  get loading() {
    return !this.#session && !this.#error;
  }

  /** Replaces the shadow content with `nodes`, keeping the stylesheet. */
  replace(...nodes) {
    for (const node of [...this.root.childNodes]) if (node.localName !== 'style') node.remove();
    this.root.append(...nodes);
  }

  /** The message shown instead of the element's content when the engine is unavailable. */
  errorView(title) {
    return h(
      'div',
      { class: 'panel', role: 'alert' },
      h('h2', {}, title),
      h('p', { class: 'error' }, explain(this.#error)),
    );
  }

  get failed() {
    return this.#error;
  }
}
