// A tiny element builder: createElement, setAttribute and textContent only, never markup, so
// catalog text (data) can never become HTML.

/**
 * `h('button', { class: 'primary', 'aria-label': label, onclick }, 'Buy')`.
 * Props starting with `on` become listeners; `hidden`/`disabled` booleans become properties;
 * other props are attributes (null/false skip). Children are nodes or strings (text nodes).
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'hidden' || key === 'disabled') node[key] = Boolean(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

let ids = 0;
/** A document-unique id for aria-labelledby inside a shadow root. */
export const uid = (prefix = 'inflow') => `${prefix}-${++ids}`;
