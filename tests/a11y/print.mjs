#!/usr/bin/env node
// Prints a web page to PDF in headless Chromium, on A4, with its own print
// stylesheet, as a practice manager's "Print" would.
//
// Usage: node tests/a11y/print.mjs PAGE.html OUT.pdf
// Exit code 0 when the PDF was written, 2 when the check could not run.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { browser } from './browser.mjs';

const [file, out] = process.argv.slice(2);
if (!file || !out) {
  process.stderr.write('usage: node tests/a11y/print.mjs PAGE.html OUT.pdf\n');
  process.exit(2);
}

const { chromium, browserPath } = await browser('print');

const profile = mkdtempSync(join(tmpdir(), 'policypack-print-'));
try {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browserPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    offline: true,
    locale: 'en-GB',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: 'load' });
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: out, format: 'A4', preferCSSPageSize: true, printBackground: true });
  await context.close();
} catch (error) {
  process.stderr.write(`print could not drive Chromium: ${error.message}\n`);
  process.exit(2);
} finally {
  rmSync(profile, { recursive: true, force: true });
}
