// The elements' styles, themed through CSS custom properties a host may set on the element or
// any ancestor: --inflow-accent, --inflow-accent-text, --inflow-radius, --inflow-font,
// --inflow-bg, --inflow-fg, --inflow-muted, --inflow-border, --inflow-danger, --inflow-success.
// theme="salesforce" (the default) looks like SLDS; theme="neutral" is a plain look.

const CSS = `
:host{--_accent:var(--inflow-accent,#0176d3);--_accent-text:var(--inflow-accent-text,#fff);
--_radius:var(--inflow-radius,.25rem);--_font:var(--inflow-font,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif);
--_bg:var(--inflow-bg,#fff);--_fg:var(--inflow-fg,#181818);--_muted:var(--inflow-muted,#5c5c5c);
--_border:var(--inflow-border,#c9c9c9);--_danger:var(--inflow-danger,#ba0517);--_success:var(--inflow-success,#2e844a);
--_tip:var(--inflow-tip,#f3f3f3);display:block;font:400 .8125rem/1.5 var(--_font);color:var(--_fg)}
:host([theme=neutral]){--_accent:var(--inflow-accent,#334155);--_radius:var(--inflow-radius,.5rem);
--_font:var(--inflow-font,system-ui,sans-serif);--_border:var(--inflow-border,#d4d4d8);--_tip:var(--inflow-tip,#f4f4f5);font-size:.875rem}
[hidden]{display:none!important}
.panel,.offer,.prompt{background:var(--_bg);border:1px solid var(--_border);border-radius:var(--_radius)}
.panel{padding:.75rem}
h2{font-size:1rem;margin:0 0 .5rem;font-weight:700}
h3{font-size:.875rem;margin:0;font-weight:700}
h4{font-size:.8125rem;margin:0 0 .25rem}
p{margin:.25rem 0}
ul.offers{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
.offer{padding:.75rem}
.offer[aria-busy=true]{opacity:.7}
.tag{display:inline-block;font-size:.6875rem;text-transform:uppercase;letter-spacing:.04em;color:var(--_muted)}
.tip{background:var(--_tip)}
.price{font-weight:700}
.muted,.funding{color:var(--_muted)}
.why{font-weight:700}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.5rem}
button{font:inherit;border-radius:var(--_radius);border:1px solid var(--_border);background:var(--_bg);
color:var(--_accent);padding:.25rem .75rem;min-height:2rem;cursor:pointer}
button.primary{background:var(--_accent);border-color:var(--_accent);color:var(--_accent-text)}
button:disabled{opacity:.6;cursor:default}
button:focus-visible,[tabindex="-1"]:focus-visible{outline:2px solid var(--_accent);outline-offset:2px}
.confirm{margin-top:.5rem;padding-top:.5rem;border-top:1px solid var(--_border)}
.lines{width:100%;border-collapse:collapse}
.lines td{padding:.125rem 0;vertical-align:top}
.lines td+td{text-align:right;white-space:nowrap;padding-left:1rem}
.lines tr.total td{border-top:1px solid var(--_border);font-weight:700}
.notice:empty{display:none}
.notice{padding:.5rem;border-radius:var(--_radius);border-left:4px solid var(--_success);background:var(--_tip);margin-bottom:.5rem}
.notice.error,.error{border-color:var(--_danger);color:var(--_danger)}
p.error{margin-top:.5rem}
.compact .offer{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .75rem;padding:.5rem .75rem}
.compact .offer .actions{margin:0}
.prompt{padding:.75rem}
`;

let sheet;
/** Gives a shadow root the styles: a shared constructable stylesheet, or a <style> element. */
export function adoptStyles(root) {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    }
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement('style');
    style.textContent = CSS;
    root.append(style);
  }
}
