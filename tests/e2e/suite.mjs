// The setup most end-to-end test files share: one `inflow serve --demo` and one Chromium for the
// whole file, started before its first test and stopped after its last.
import { after, before } from 'node:test';

import { launch, startServer } from './harness.mjs';

/**
 * Registers the file's `before` and `after`; returns `{ server, browser }`, filled in once the
 * tests run (read them inside a test, not at the file's top level).
 */
export function demoSuite() {
  const suite = { server: null, browser: null };
  before(async () => {
    [suite.server, suite.browser] = await Promise.all([startServer(), launch()]);
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}
