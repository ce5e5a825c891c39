/**
 * `npm run lighthouse`: Lighthouse (12.8, driving Debian's Chromium) on the client portal's home, an invoice and the
 * statement, signed in as the demo's showcase client, on a fresh SQLite database with the demo data. Prints the
 * performance, accessibility and best-practices scores (target ≥ 95 each) and the first-load JavaScript, and writes
 * bench/results/lighthouse.json. Scores go in docs/benchmarks.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { WEB_BUILD_DIR } from '../src/app/web-apps.js';
import { DEMO_CLIENT_PASSWORD } from '../src/cli/demo-data.js';
import { CHROMIUM_FLAGS, chromiumPath, startPortico } from '../test/support/browser.js';

const executable = chromiumPath();
if (!executable) {
  console.error('Lighthouse needs Chromium: apt-get install chromium (or set CHROMIUM_PATH).');
  process.exit(1);
}
process.env.TEST_DB ??= 'sqlite';

/** The JavaScript a browser loads before the first screen: the entry chunk and what its page preloads. */
function firstLoadJavaScript(): { files: string[]; gzipBytes: number } {
  const page = readFileSync(path.join(WEB_BUILD_DIR, 'portal', 'index.html'), 'utf8');
  const files = [...page.matchAll(/\/static\/(assets\/[^"]+\.js)/g)].map((m) => m[1] ?? '');
  const gzipBytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(path.join(WEB_BUILD_DIR, file))).length, 0);
  return { files, gzipBytes };
}

const portico = await startPortico();
const chrome = await chromeLauncher.launch({ chromePath: executable, chromeFlags: CHROMIUM_FLAGS });
try {
  const signIn = await fetch(`${portico.baseUrl}/api/portal/northwind/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: portico.baseUrl },
    body: JSON.stringify({ email: 'alice@bluebird-bakery.example', password: DEMO_CLIENT_PASSWORD }),
  });
  if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status}`);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const invoices = (await (
    await fetch(`${portico.baseUrl}/api/portal/northwind/invoices?status=unpaid`, { headers: { cookie } })
  ).json()) as { data: Array<{ id: string }> };
  const pages = {
    home: '/portal/northwind/',
    invoice: `/portal/northwind/invoices/${invoices.data[0]?.id}`,
    statement: '/portal/northwind/statement',
  };
  const results: Record<string, Record<string, number>> = {};
  for (const [name, pagePath] of Object.entries(pages)) {
    const run = await lighthouse(
      `${portico.baseUrl}${pagePath}`,
      {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
        extraHeaders: { Cookie: cookie },
      },
      undefined,
    );
    if (!run) throw new Error(`no Lighthouse result for ${name}`);
    if (process.env.LIGHTHOUSE_DUMP)
      writeFileSync(`${process.env.LIGHTHOUSE_DUMP}/${name}.json`, JSON.stringify(run.lhr));
    results[name] = Object.fromEntries(
      Object.entries(run.lhr.categories).map(([id, category]) => [id, Math.round((category.score ?? 0) * 100)]),
    );
    const metrics = [
      'first-contentful-paint',
      'largest-contentful-paint',
      'total-blocking-time',
      'cumulative-layout-shift',
      'speed-index',
    ]
      .map(
        (id) =>
          `${id
            .split('-')
            .map((w) => w[0])
            .join('')} ${run.lhr.audits[id]?.displayValue ?? '?'}`,
      )
      .join(', ');
    console.log(`${name.padEnd(10)} ${JSON.stringify(results[name])}  ${metrics}`);
  }
  const javascript = firstLoadJavaScript();
  console.log(
    `first-load JavaScript: ${(javascript.gzipBytes / 1024).toFixed(1)} KB gzipped (${javascript.files.join(', ')})`,
  );
  const all = Object.values(results).flatMap((scores) => Object.values(scores));
  console.log(all.every((score) => score >= 95) ? 'every score ≥ 95' : 'some scores are below 95');
  const dir = path.join(import.meta.dirname, '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'lighthouse.json'),
    `${JSON.stringify({ date: new Date().toISOString(), results, firstLoadJavaScript: javascript }, null, 2)}\n`,
  );
} finally {
  await chrome.kill();
  await portico.close();
}
