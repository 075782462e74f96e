// <inflow-admin>: a department admin's console. Communities (define, preview members, modules,
// funding, trials, caps), budgets (spend, pending, thresholds), the approvals queue, a preview
// as any of their users, import/export of the policy with each problem shown at its field, and
// the audit log. Every action says pending, done or failed in a live region.
//
// The host sets `token` (a signed admin session) and optionally `api` (default: same origin).
// The server is the authority: it validates the whole policy with the core and refuses any
// change outside the admin's departments; this element only mirrors that in its controls.

import { h, uid } from './dom.js';
import { adoptStyles } from './styles.js';
import { formatMoney, formatDate } from '../format.js';

const CSS = `
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.problems{color:var(--inflow-error,#b00020);margin:.25rem 0}
[aria-invalid="true"]{outline:2px solid var(--inflow-error,#b00020)}
.status[data-state="failed"]{color:var(--inflow-error,#b00020)}
.status[data-state="done"]{color:var(--inflow-success,#1b5e20)}
table{border-collapse:collapse}th,td{padding:.25rem .5rem;text-align:left;vertical-align:top}
fieldset{border:1px solid #ccc;margin:.5rem 0}.check{display:inline-block;margin-right:.75rem}
section{margin-top:1rem}`;

const clone = (v) => JSON.parse(JSON.stringify(v));

export class InflowAdmin extends HTMLElement {
  #root;
  #token = null;
  #state = null; // GET /v1/admin/policy
  #approvals = [];
  #audit = [];
  #status;
  #problems = []; // the last refused save: [{path, message, expected}]

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'closed' });
    adoptStyles(this.#root);
    this.#root.append(h('style', {}, CSS));
    this.#status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  }

  get api() {
    return this.getAttribute('api') ?? '';
  }

  set token(value) {
    this.#token = value;
    this.reload();
  }

  async #call(method, path, body) {
    const res = await fetch(`${this.api}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.#token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) {
      const error = new Error(json.error?.message ?? `HTTP ${res.status}`);
      error.code = json.error?.code;
      error.problems = json.error?.problems ?? [];
      throw error;
    }
    return json;
  }

  /** Runs `action`, saying what happens; returns its result or undefined when it failed. */
  async #act(label, action) {
    this.#status.dataset.state = 'pending';
    this.#status.textContent = `${label}…`;
    try {
      const result = await action();
      this.#status.dataset.state = 'done';
      this.#status.textContent = `${label}: done.`;
      return result ?? true;
    } catch (error) {
      this.#status.dataset.state = 'failed';
      this.#status.textContent = `${label} failed: ${error.message}`;
      this.#problems = error.problems ?? [];
      this.#render();
      return undefined;
    }
  }

  async reload() {
    if (!this.#token) return;
    await this.#act('Loading the policy', () => this.#refresh());
  }

  async #refresh() {
    this.#state = await this.#call('GET', '/v1/admin/policy');
    this.#approvals = (await this.#call('GET', '/v1/approvals')).pending;
    this.#audit = (await this.#call('GET', '/v1/admin/audit')).entries;
    this.#render();
  }

  #mine(department) {
    return this.#state.departments.includes(department);
  }

  async #save(label, document) {
    return this.#act(label, async () => {
      await this.#call('PUT', `/v1/admin/policy?base=${this.#state.revision}`, document);
      this.#problems = [];
      await this.#refresh();
    });
  }

  /** The problems at `path` or under it. */
  #at(path) {
    return this.#problems.filter((p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`));
  }

  #problemList(path) {
    const list = this.#at(path);
    if (!list.length) return null;
    return h(
      'ul',
      { class: 'problems', role: 'alert' },
      list.map((p) =>
        h('li', { 'data-path': p.path }, `${p.path}: ${p.message}${p.expected ? ` (expected ${p.expected})` : ''}`),
      ),
    );
  }

  #render() {
    if (!this.#state) return;
    for (const node of [...this.#root.childNodes]) if (node.localName !== 'style') node.remove();
    this.#root.append(
      h('div', { class: 'panel admin' },
        h('h2', {}, `Policy ${this.#state.version} (revision ${this.#state.revision})`),
        h('p', {}, `You administer: ${this.#state.departments.join(', ')}`),
        this.#status,
        this.#communities(),
        this.#budgets(),
        this.#approvalsView(),
        this.#preview(),
        this.#importExport(),
        this.#auditView(),
      ),
    );
  }

  #communities() {
    const doc = this.#state.document;
    const section = h('section', { 'aria-label': 'Communities' }, h('h3', {}, 'Communities'));
    doc.policy.communities.forEach((c, i) => section.append(this.#community(c, i)));
    section.append(this.#newCommunity());
    return section;
  }

  #community(c, i) {
    const editable = this.#mine(c.department);
    const path = `policy.communities[${i}]`;
    const draft = clone(c);
    const box = (label, checked, onchange) => {
      const id = uid('cb');
      return h('span', { class: 'check' },
        h('input', { type: 'checkbox', id, checked: checked || null, disabled: !editable, onchange }),
        h('label', { for: id }, label));
    };
    const modules = h('fieldset', {}, h('legend', {}, 'Modules offered'),
      this.#state.modules.map((m) =>
        box(m.name, c.modules.includes(m.id), (e) => {
          draft.modules = e.target.checked ? [...draft.modules, m.id] : draft.modules.filter((x) => x !== m.id);
        })));
    const funding = h('fieldset', {}, h('legend', {}, 'Funding allowed'),
      this.#state.sources.map((s) =>
        box(s.name, c.funding.includes(s.id), (e) => {
          draft.funding = e.target.checked ? [...draft.funding, s.id] : draft.funding.filter((x) => x !== s.id);
        })));
    const capId = uid('cap');
    const members = h('ul', { class: 'members', 'aria-label': `Members of ${c.name}` });
    return h('details', { class: 'community', 'data-community': c.id, 'aria-invalid': this.#at(path).length ? 'true' : null, open: this.#at(path).length ? true : null },
      h('summary', {}, `${c.name} (${c.department})${editable ? '' : ': managed by another department'}`),
      this.#problemList(path),
      modules,
      funding,
      box('Trials allowed', c.trials !== false, (e) => { draft.trials = e.target.checked; }),
      h('p', {}, h('label', { for: capId }, 'Cap per user per month '),
        h('input', { id: capId, inputmode: 'decimal', value: c.cap_per_user ?? '', disabled: !editable,
          onchange: (e) => {
            const v = e.target.value.trim();
            if (v) draft.cap_per_user = v; else delete draft.cap_per_user;
          } })),
      h('p', {},
        h('button', { type: 'button', onclick: () => this.#act(`Previewing members of ${c.name}`, async () => {
          const { users } = await this.#call('POST', '/v1/admin/members', c.members);
          members.replaceChildren(...users.map((u) => h('li', {}, `${u.name} (${u.id})`)));
          if (!users.length) members.append(h('li', {}, 'Nobody matches.'));
        }) }, 'Preview members'),
        editable ? h('button', { type: 'button', class: 'primary', onclick: () => {
          const doc = clone(this.#state.document);
          doc.policy.communities[i] = draft;
          this.#save(`Saving ${c.name}`, doc);
        } }, `Save ${c.name}`) : null),
      members);
  }

  #newCommunity() {
    const mine = this.#state.departments;
    const ids = { id: uid('nid'), name: uid('nname'), attr: uid('nattr'), value: uid('nval') };
    const form = h('form', { class: 'new-community', 'aria-label': 'Define a community' },
      h('h4', {}, 'Define a community'),
      h('p', {}, h('label', { for: ids.id }, 'Id '), h('input', { id: ids.id, name: 'id', required: true, pattern: '[a-z0-9-]+' })),
      h('p', {}, h('label', { for: ids.name }, 'Name '), h('input', { id: ids.name, name: 'name', required: true })),
      h('p', {}, `Members: department ${mine[0]} and `,
        h('label', { for: ids.attr }, 'attribute '), h('input', { id: ids.attr, name: 'attr', value: 'role' }),
        h('label', { for: ids.value }, ' equals '), h('input', { id: ids.value, name: 'value' })),
      this.#problemList('policy.communities'),
      h('button', { type: 'submit' }, 'Add community'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const f = new FormData(form);
      const members = [{ eq: { attribute: 'department', value: mine[0] } }];
      if (f.get('value')) members.push({ eq: { attribute: f.get('attr'), value: f.get('value') } });
      const doc = clone(this.#state.document);
      doc.policy.communities.push({ id: f.get('id'), name: f.get('name'), department: mine[0],
        members: { all: members }, modules: [], funding: [], trials: true });
      this.#save(`Adding ${f.get('name')}`, doc);
    });
    return form;
  }

  #budgets() {
    const rows = this.#state.budgets.map((b) => {
      const path = `budgets.${b.id}`;
      const aa = uid('aa');
      const cap = uid('cap');
      const auto = h('input', { id: aa, inputmode: 'decimal', value: b.auto_approve_up_to, disabled: !b.editable, 'aria-invalid': this.#at(path).length ? 'true' : null });
      const perUser = h('input', { id: cap, inputmode: 'decimal', value: b.per_user_cap ?? '', disabled: !b.editable });
      return h('tr', { 'data-budget': b.id },
        h('th', { scope: 'row' }, b.name),
        h('td', {}, formatMoney(b.limit, b.currency)),
        h('td', {}, formatMoney(b.spent, b.currency)),
        h('td', {}, `${formatMoney(b.pending, b.currency)} (${b.pending_count})`),
        h('td', {}, h('label', { for: aa, class: 'visually-hidden' }, `Auto-approve up to, ${b.name}`), auto, this.#problemList(path)),
        h('td', {}, h('label', { for: cap, class: 'visually-hidden' }, `Per-user cap, ${b.name}`), perUser),
        h('td', {}, b.editable ? h('button', { type: 'button', onclick: () => {
          const doc = clone(this.#state.document);
          const limits = { auto_approve_up_to: auto.value.trim() };
          if (perUser.value.trim()) limits.per_user_cap = perUser.value.trim();
          doc.budgets[b.id] = limits;
          this.#save(`Saving ${b.name}`, doc);
        } }, `Save ${b.name}`) : 'managed by its department'));
    });
    return h('section', { 'aria-label': 'Budgets' }, h('h3', {}, 'Budgets'),
      h('table', {},
        h('thead', {}, h('tr', {}, ['Budget', 'Limit', 'Spent to date', 'Pending', 'Auto-approve up to', 'Per-user cap', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows)));
  }

  #approvalsView() {
    const section = h('section', { 'aria-label': 'Approvals' }, h('h3', {}, `Approvals waiting (${this.#approvals.length})`));
    if (!this.#approvals.length) section.append(h('p', {}, 'Nothing waits for you.'));
    for (const { charge_id: id, record: r } of this.#approvals) {
      const reasonId = uid('reason');
      const reason = h('input', { id: reasonId });
      const decide = (verdict) => this.#act(`${verdict === 'approve' ? 'Approving' : 'Denying'} ${r.module} for ${r.user}`, async () => {
        await this.#call('POST', `/v1/approvals/${encodeURIComponent(id)}/${verdict}`, { reason: reason.value });
        await this.#refresh();
      });
      section.append(h('div', { class: 'approval', 'data-charge': id },
        h('p', {}, `${r.user} asks for ${r.module}: ${formatMoney(r.total, r.currency)} on ${r.funding.name}. ${r.funding.reasons.join('; ')}`),
        h('label', { for: reasonId }, 'Reason '), reason,
        h('button', { type: 'button', class: 'primary', onclick: () => decide('approve') }, 'Approve'),
        h('button', { type: 'button', onclick: () => decide('deny') }, 'Deny')));
    }
    return section;
  }

  #preview() {
    const id = uid('as');
    const select = h('select', { id }, this.#state.users.filter((u) => u.yours).map((u) => h('option', { value: u.id }, `${u.name} (${u.id})`)));
    const out = h('div', { class: 'preview-result' });
    return h('section', { 'aria-label': 'Preview as a user' }, h('h3', {}, 'Preview as one of your users'),
      h('label', { for: id }, 'User '), select,
      h('button', { type: 'button', onclick: () => this.#act('Previewing', async () => {
        const p = await this.#call('GET', `/v1/admin/preview?user=${encodeURIComponent(select.value)}`);
        out.replaceChildren(h('table', {},
          h('thead', {}, h('tr', {}, ['Module', 'Status', 'Price', 'Paid by', 'Why'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, p.modules.map((m) => h('tr', { 'data-module': m.module, 'data-status': m.status },
            h('th', { scope: 'row' }, m.name), h('td', {}, m.status), h('td', {}, m.price ?? ''),
            h('td', {}, m.funding ?? ''), h('td', {}, m.why))))));
      }) }, 'Preview'),
      out);
  }

  #importExport() {
    const id = uid('imp');
    const text = h('textarea', { id, rows: 8, cols: 60, spellcheck: 'false' });
    const file = h('input', { type: 'file', accept: 'application/json', 'aria-label': 'Policy file' });
    file.addEventListener('change', async () => { text.value = await file.files[0]?.text() ?? ''; });
    const errors = this.#problems.length ? h('ul', { class: 'problems import-problems', role: 'alert' },
      this.#problems.map((p) => h('li', { 'data-path': p.path },
        h('code', {}, p.path || '(document)'), `: ${p.message}${p.expected ? ` (expected ${p.expected})` : ''}`))) : null;
    return h('section', { 'aria-label': 'Import and export' }, h('h3', {}, 'Import and export the policy'),
      h('button', { type: 'button', onclick: () => {
        const blob = new Blob([JSON.stringify(this.#state.document, null, 2)], { type: 'application/json' });
        const a = h('a', { href: URL.createObjectURL(blob), download: `policy-${this.#state.version}.json` });
        a.click();
        text.value = JSON.stringify(this.#state.document, null, 2);
        this.#status.dataset.state = 'done';
        this.#status.textContent = 'Exported the policy in force.';
      } }, 'Export'),
      h('p', {}, h('label', { for: id }, 'Policy document (JSON) to import')), text, file,
      h('button', { type: 'button', class: 'primary', onclick: () => this.#save('Importing the policy', text.value) }, 'Import'),
      errors);
  }

  #auditView() {
    return h('section', { 'aria-label': 'Audit log' }, h('h3', {}, 'Audit log'),
      h('table', {},
        h('thead', {}, h('tr', {}, ['Revision', 'Version', 'Who', 'When', 'What'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, this.#audit.map((e) => h('tr', {},
          h('td', {}, String(e.revision)), h('td', {}, e.version), h('td', {}, e.author || 'manifests'),
          h('td', {}, formatDate(new Date(e.at).toISOString().slice(0, 10))),
          h('td', {}, e.changes.map((c) => c.path).join(', ') || 'initial policy'))))));
  }
}

if (!customElements.get('inflow-admin')) customElements.define('inflow-admin', InflowAdmin);
