// The CRM opportunity page: user switcher, tabs, and the Inflow elements fed one session.
import '../components/inflow-offers.js';
import '../components/inflow-gate.js';
import { eventLog, feedElements, formatFields, userSwitcher, whenParsed } from './common.js';

// The page's script runs as soon as it arrives (an async module: the engine starts loading at
// once); what needs the page's elements waits until they are parsed.
whenParsed(() => {
  eventLog(document.getElementById('events'));
  const elements = document.querySelectorAll('inflow-offers, inflow-gate');
  userSwitcher({
    select: document.getElementById('user'),
    reset: document.getElementById('reset'),
    persona: document.getElementById('persona'),
    open(user, error) {
      if (user) document.getElementById('owner').textContent = user.name;
      feedElements(elements, user, error);
    },
  });
  // The page's own fields and tabs, while the engine loads.
  formatFields();
  tabs(document.querySelector('[role=tablist]'));
});

/** An accessible tab list: click or arrow keys select; the selected panel shows. */
function tabs(list) {
  const all = [...list.querySelectorAll('[role=tab]')];
  const select = (tab) => {
    for (const t of all) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')).hidden = !on;
    }
    tab.focus();
  };
  list.addEventListener('click', (e) => e.target.closest('[role=tab]') && select(e.target.closest('[role=tab]')));
  list.addEventListener('keydown', (e) => {
    const i = all.indexOf(document.activeElement);
    if (i < 0) return;
    if (e.key === 'ArrowRight') select(all[(i + 1) % all.length]);
    else if (e.key === 'ArrowLeft') select(all[(i - 1 + all.length) % all.length]);
  });
}
