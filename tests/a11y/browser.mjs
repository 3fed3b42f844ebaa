// What the browser checks need: playwright-core (`npm ci --prefix
// tests/a11y`) and Chromium, from $CHROMIUM or the PATH. A check that
// cannot have them stops with exit code 2 and says which is missing.

import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export async function browser(check) {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (error) {
    process.stderr.write(`${check} cannot run: playwright-core is missing; run \`npm ci --prefix tests/a11y\`\n`);
    process.exit(2);
  }
  const onPath = (name) =>
    (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name)).find((p) => existsSync(p));
  const browserPath =
    process.env.CHROMIUM || ['chromium', 'chromium-browser', 'google-chrome'].map(onPath).find(Boolean);
  if (!browserPath) {
    process.stderr.write(`${check} cannot run: Chromium was not found (apt-get install chromium)\n`);
    process.exit(2);
  }
  return { chromium, browserPath };
}
