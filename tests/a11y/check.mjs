#!/usr/bin/env node
// Checks policypack's HTML pages:
//
//   1. axe-core (WCAG 2.0/2.1/2.2 A and AA rules) in headless Chromium;
//   2. the page is self-contained: no script but an inline one its own
//      Content-Security-Policy allows by hash, and no request to anything
//      but file: and data: URLs;
//   3. reflow (WCAG 1.4.10): at 320 CSS pixels wide the page does not scroll
//      sideways (tables scroll inside their own wrapper instead);
//   4. the W3C Nu HTML checker (vnu.jar, errors only), all files in one JVM.
//
// Usage: node tests/a11y/check.mjs [--app] FILE.html|FOLDER...
//   Folders are searched for *.html. With --app the pages are the web app's
//   (`policypack serve`), saved to files: they may refer to the app's own
//   addresses (`/practices/…`), axe runs at 390 px wide (a phone) as well
//   as at 1280, and Tab must reach every control, each showing its focus. Exit code 0: all clean; 1: problems
//   found (the report says which); 2: the checker could not run.
//
// Environment: CHROMIUM (path to the browser, default: the first of
// chromium, chromium-browser, google-chrome on PATH), JAVA (default: java).
//
// Set up with `npm ci --prefix tests/a11y`; the browser is Debian's
// `chromium` package (see .ci/run).

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SETUP_HINT = 'run `npm ci --prefix tests/a11y` from the repository root (see .ci/run)';
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const REFLOW_WIDTH = 320;
const TABS = 4;

function fail(message) {
  process.stderr.write(`a11y check cannot run: ${message}\n`);
  process.exit(2);
}

// ---- inputs -------------------------------------------------------------

function htmlFiles(args) {
  const files = [];
  const walk = (path) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) fail(`no such file or folder: ${path}`);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        const child = join(path, name);
        if (statSync(child).isDirectory() || name.endsWith('.html')) walk(child);
      }
    } else {
      files.push(resolve(path));
    }
  };
  args.forEach(walk);
  return files;
}

const appMode = process.argv.includes('--app');
const files = htmlFiles(process.argv.slice(2).filter((a) => a !== '--app'));
if (files.length === 0) {
  process.stderr.write('usage: node tests/a11y/check.mjs FILE.html|FOLDER...\n');
  process.exit(2);
}

// ---- tools --------------------------------------------------------------

const require = createRequire(import.meta.url);
let axePath, vnuJar, chromium;
try {
  axePath = require.resolve('axe-core/axe.min.js');
  vnuJar = join(dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
  ({ chromium } = await import('playwright-core'));
} catch (error) {
  fail(`the Node packages are missing (${error.code ?? error.message}); ${SETUP_HINT}`);
}
if (!existsSync(vnuJar)) fail(`${vnuJar} is missing; ${SETUP_HINT}`);

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

const browserPath =
  process.env.CHROMIUM ||
  ['chromium', 'chromium-browser', 'google-chrome'].map(onPath).find(Boolean) ||
  ['/usr/bin/chromium'].find(existsSync);
if (!browserPath || !existsSync(browserPath)) {
  fail('Chromium was not found; install it (`apt-get install chromium`, see .ci/run) or set CHROMIUM=/path/to/chromium');
}
const java = process.env.JAVA || 'java';

// ---- browser checks -----------------------------------------------------

const AXE_SOURCE = readFileSync(axePath, 'utf8');

async function browserChecks() {
  const profile = mkdtempSync(join(tmpdir(), 'policypack-a11y-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browserPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    // The pages carry a strict CSP; bypass it so that axe can be injected and
    // so that any outside request is attempted, seen and reported here.
    bypassCSP: true,
    offline: true,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
  });
  const results = new Map();
  try {
    // A few tabs at once: the pages are independent and axe is CPU-bound.
    const queue = [...files];
    const worker = async () => {
      const page = await context.newPage();
      for (let file = queue.shift(); file; file = queue.shift()) {
        results.set(file, await checkPage(page, file));
      }
      await page.close();
    };
    await Promise.all(Array.from({ length: Math.min(TABS, files.length) }, worker));
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return results;
}

async function checkPage(page, file) {
  const problems = [];
  const advice = [];
  const outside = new Set();
  const onRequest = (request) => {
    const url = request.url();
    if (!url.startsWith('file:') && !url.startsWith('data:')) outside.add(url);
  };
  page.on('request', onRequest);
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    const own = await page.evaluate(() => ({
      scripts: [...document.scripts].map((s) => ({ src: s.getAttribute('src'), text: s.textContent })),
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
      external: [...document.querySelectorAll('[src], link[href]')]
        .map((el) => el.getAttribute('src') ?? el.getAttribute('href'))
        .filter((url) => !/^(data:|#)/.test(url)),
    }));
    // A page may carry an inline script only if its CSP names the script's
    // hash (the pack index's search); nothing from a file or elsewhere.
    for (const script of own.scripts) {
      const hash = `'sha256-${createHash('sha256').update(script.text, 'utf8').digest('base64')}'`;
      if (script.src !== null) problems.push(`self-contained: the page loads a script from ${script.src}`);
      else if (!own.csp.includes(hash)) problems.push(`self-contained: an inline script whose hash ${hash} is not in the page's Content-Security-Policy`);
    }
    for (const url of own.external) {
      // The web app's pages may show its own files (a preview's frame).
      if (appMode && url.startsWith('/') && !url.startsWith('//')) continue;
      problems.push(`self-contained: the page refers to ${url}`);
    }

    await page.evaluate(AXE_SOURCE);
    for (const width of appMode ? [1280, 390] : [1280]) {
    await page.setViewportSize({ width, height: 900 });
    const axe = await page.evaluate(
      async ([tags]) => {
        const run = (values) =>
          window.axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] });
        const wcag = await run(tags);
        const best = await run(['best-practice']);
        const slim = (list) =>
          list.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
          }));
        return { violations: slim(wcag.violations), bestPractice: slim(best.violations), incomplete: wcag.incomplete.length };
      },
      [WCAG_TAGS],
    );
    const at = appMode ? ` at ${width}px` : '';
    for (const v of axe.violations) problems.push(formatAxe(v) + at);
    for (const v of axe.bestPractice) {
      advice.push(`axe ${v.id} (${v.impact}, ${v.nodes.length} element(s), first at ${v.nodes[0]?.target}): ${v.help}${at}`);
    }
    }

    if (appMode) {
      // Keyboard: Tab reaches every control, in order, each with a focus
      // indicator that can be seen.
      await page.setViewportSize({ width: 1280, height: 900 });
      const controls = await page.evaluate(() => {
        const all = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')];
        all.forEach((el, i) => el.setAttribute('data-keyboard', String(i)));
        return all.filter((el) => el.getClientRects().length > 0).length;
      });
      await page.evaluate(() => document.activeElement?.blur());
      const reached = [];
      for (let i = 0; i < controls + 3; i += 1) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          const style = getComputedStyle(el);
          const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
          return {
            what: `${el.getAttribute('data-keyboard')}: ${el.tagName.toLowerCase()} ${el.id || el.getAttribute('name') || el.textContent.trim().slice(0, 30)}`,
            seen: outline || style.boxShadow !== 'none',
          };
        });
        if (!focused || reached.includes(focused.what)) break;
        reached.push(focused.what);
        if (!focused.seen) problems.push(`keyboard: ${focused.what} shows no focus indicator`);
      }
      if (reached.length < controls) {
        problems.push(`keyboard: Tab reached ${reached.length} of ${controls} controls (${reached.join(', ')})`);
      }
    }

    await page.setViewportSize({ width: REFLOW_WIDTH, height: 640 });
    const reflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('body *')]
        .filter((el) => !el.closest('.table-wrap') && el.getBoundingClientRect().right > width + 1)
        .slice(0, 3)
        .map((el) => el.outerHTML.slice(0, 120));
      return { scroll: document.documentElement.scrollWidth, width, wide };
    });
    if (reflow.scroll > reflow.width) {
      problems.push(
        `reflow (WCAG 1.4.10): at ${REFLOW_WIDTH}px wide the page is ${reflow.scroll}px wide and scrolls sideways` +
          reflow.wide.map((html) => `\n      ${html}`).join(''),
      );
    }
  } catch (error) {
    problems.push(`the browser could not check the page: ${error.message}`);
  } finally {
    page.off('request', onRequest);
  }
  for (const url of outside) problems.push(`self-contained: the page requested ${url}`);
  return { problems, advice };
}

function formatAxe(v) {
  const nodes = v.nodes
    .map((n) => {
      const summary = (n.summary ?? '').split('\n').map((line) => `        ${line}`).join('\n');
      return `      at ${n.target}\n        ${n.html.replace(/\s+/g, ' ').slice(0, 200)}\n${summary}`;
    })
    .join('\n');
  return `axe ${v.id} (${v.impact}): ${v.help}\n      ${v.helpUrl}\n${nodes}`;
}

// ---- Nu HTML checker ----------------------------------------------------

// Runs while the browser works; resolves to Map(file -> [problem]).
async function nuChecks() {
  const results = new Map(files.map((f) => [f, []]));
  const args = ['-jar', vnuJar, '--errors-only', '--format', 'json', ...files];
  const run = await new Promise((done) => {
    execFile(java, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      done({ error: error && typeof error.code === 'string' ? error : null, status: error?.code ?? 0, stdout, stderr }),
    );
  });
  if (run.error) {
    fail(`cannot run ${java} for the Nu HTML checker (${run.error.code}); install a Java runtime`);
  }
  let report;
  try {
    report = JSON.parse(run.stderr || run.stdout);
  } catch {
    fail(`the Nu HTML checker failed (exit ${run.status}):\n${run.stderr}${run.stdout}`);
  }
  for (const m of report.messages ?? []) {
    if (m.type !== 'error' && m.type !== 'non-document-error') continue;
    const file = m.url ? fileURLToPath(m.url) : null;
    const where = m.lastLine ? `line ${m.lastLine}${m.lastColumn ? `:${m.lastColumn}` : ''}` : '';
    const extract = m.extract ? `\n      ${m.extract.replace(/\n/g, ' ').trim()}` : '';
    const text = `html ${where}: ${m.message}${extract}`;
    if (file && results.has(file)) results.get(file).push(text);
    else (results.get(files[0]) ?? []).push(`${m.url ?? '?'}: ${text}`);
  }
  return results;
}

// ---- report -------------------------------------------------------------

const started = Date.now();
const nuRun = nuChecks();
const browser = await browserChecks().catch((error) =>
  fail(`Chromium (${browserPath}) could not be started or driven: ${error.message}`),
);
const nu = await nuRun;

const cwd = process.cwd();
let problemCount = 0;
let failedFiles = 0;
const lines = [];
for (const file of files) {
  const { problems, advice } = browser.get(file);
  const all = [...problems, ...nu.get(file)];
  const name = relative(cwd, file) || file;
  if (all.length > 0) {
    failedFiles += 1;
    problemCount += all.length;
    lines.push(`FAIL ${name}`);
    for (const p of all) lines.push(`  - ${p}`);
  } else {
    lines.push(`ok   ${name}`);
  }
  for (const a of advice) lines.push(`  (advice, not failing) ${a}`);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
lines.push(
  problemCount === 0
    ? `\n${files.length} page(s) checked in ${seconds}s: no axe violations (${WCAG_TAGS.join(', ')}), no outside requests, no Nu HTML errors.`
    : `\n${problemCount} problem(s) in ${failedFiles} of ${files.length} page(s) (checked in ${seconds}s).`,
);
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(problemCount === 0 ? 0 : 1);
