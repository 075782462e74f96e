// Copies the browser files of the npm packages the pages use into www/vendor/ (git-ignored),
// so that `inflow serve` serves them from its own origin under CSP script-src 'self'.
// Runs after every `npm install` / `npm ci` (package.json "postinstall").
import { copyFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = [['chart.js/dist/chart.umd.min.js', 'chart.umd.min.js']];
mkdirSync(join(root, 'www/vendor'), { recursive: true });
for (const [from, to] of files) {
  const src = join(root, 'node_modules', from);
  if (!existsSync(src)) {
    console.error(`vendor: ${src} is missing: run npm ci`);
    process.exit(1);
  }
  copyFileSync(src, join(root, 'www/vendor', to));
}
console.log(`vendor: copied ${files.length} file(s) into www/vendor/`);
