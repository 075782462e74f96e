// The admin console page: a switcher among the policy's department admins; a demo token for
// the chosen one (the server mints them only with --demo), handed to <inflow-admin>.
import '../components/inflow-admin.js';
import { demoToken } from './token.js';

const KEY = 'inflow.demo.admin';
const select = document.getElementById('admin');
const console_ = document.querySelector('inflow-admin');
const problem = document.getElementById('problem');

function fail(message) {
  problem.hidden = false;
  problem.textContent = message;
}

async function main() {
  const [policy, users] = await Promise.all(
    ['policy', 'users'].map((n) => fetch(`/manifests/${n}.json`).then((r) => r.json())),
  );
  const names = new Map(users.users.map((u) => [u.id, u.name]));
  for (const a of policy.admins) {
    const option = document.createElement('option');
    option.value = a.user;
    option.textContent = `${names.get(a.user) ?? a.user} (${a.departments.join(', ')})`;
    select.append(option);
  }
  const remembered = localStorage.getItem(KEY);
  if (policy.admins.some((a) => a.user === remembered)) select.value = remembered;
  const open = async () => {
    problem.hidden = true;
    try {
      console_.token = await demoToken(select.value);
    } catch (e) {
      fail(`${e.message} Start the server with --demo to sign in as a demo admin.`);
    }
  };
  select.addEventListener('change', () => {
    localStorage.setItem(KEY, select.value);
    open();
  });
  await open();
}

main().catch((e) => fail(`The console could not start: ${e.message}`));
