// LWC unit tests, offline: `node_modules/.bin/sfdx-lwc-jest` from this folder (scripts/test.sh
// runs them). The static resource must be built first (scripts/build-salesforce.sh): the tests
// run the real engine from it.
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
  ...jestConfig,
  setupFiles: ['<rootDir>/jest.setup.cjs'],
  modulePathIgnorePatterns: ['<rootDir>/.localdevserver'],
};
