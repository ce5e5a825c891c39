#!/usr/bin/env node
// `npx portico <command>`. Runs the server build (`dist/server/cli.js`, made by `npm run build`, which `npm start`
// runs) when it is newer than every source file; otherwise the TypeScript sources directly (tsx), so a checkout
// needs no build step and an edited source is never shadowed by an old build. The build starts faster and holds
// about 40 MB less memory than compiling the sources as they load (docs/benchmarks.md, "Memory").
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// The old generation at most doubles what is live before a full collection, instead of V8's default of up to four
// times: under many concurrent requests waiting for PostgreSQL, their garbage otherwise piled up by 130 MB between
// collections (docs/benchmarks.md, "Memory"). At 100 it costs no requests per second; at 30 it cost 15–20 %.
setFlagsFromString('--heap-growing-percent=100');

const build = new URL('../dist/server/cli.js', import.meta.url);
const sources = fileURLToPath(new URL('../src', import.meta.url));

/** The newest modification time of the files under a folder, in milliseconds. */
function newestUnder(folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
  }
  return newest;
}

if (existsSync(build) && statSync(build).mtimeMs >= newestUnder(sources)) {
  await import(build.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
