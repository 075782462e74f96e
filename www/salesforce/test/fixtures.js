// Shared by the LWC tests: what the mocked Apex returns, built from the demo manifests, and a
// way to mount a component and let its promises settle.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { createElement } = require('lwc');

const read = (name) => JSON.parse(readFileSync(path.join(__dirname, '../../../manifests', `${name}.json`), 'utf8'));

/** The body of GET /v1/me/manifests for a directory user, as Apex passes it on (JSON text). */
function manifestsReply(userId = 'u-rep-01') {
  const user = read('users').users.find((u) => u.id === userId);
  return JSON.stringify({
    catalog: read('catalog'), contract: read('contract'), policy: read('policy'), model: read('model'), user,
  });
}

/** Lets every pending promise and re-render run (the wasm load takes a few macrotasks). */
async function settle(times = 10) {
  for (let i = 0; i < times; i++) await new Promise((r) => setTimeout(r, 0));
}

/** Settles until the component left its loading state (the wasm's start is slower under load). */
async function loaded(el, times = 500) {
  await settle(20);
  for (let i = 0; i < times && el.shadowRoot.querySelector('.loading'); i++) await settle(1);
  await settle(5);
}

function mount(tag, Ctor, props = {}) {
  const el = createElement(tag, { is: Ctor });
  Object.assign(el, props);
  document.body.appendChild(el);
  return el;
}

const USER_RECORD = {
  id: '005000000000001AAA',
  fields: {
    Name: { value: 'Maya Chen' }, Department: { value: 'sales' }, Title: { value: 'Account Executive' },
    FederationIdentifier: { value: 'u-rep-01' }, LocaleSidKey: { value: 'en_US' },
  },
};
const OPPORTUNITY = {
  id: '006000000000001AAA',
  apiName: 'Opportunity',
  recordTypeInfo: { name: 'Renewal' },
  fields: { AccountId: { value: '001000000000001AAA' }, RecordTypeId: { value: '012000000000001AAA' } },
};

module.exports = { manifestsReply, settle, loaded, mount, USER_RECORD, OPPORTUNITY };
