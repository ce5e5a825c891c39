#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so a checkout needs no build step: `npx portico <command>`.
import { setFlagsFromString } from 'node:v8';
import { register } from 'tsx/esm/api';

// The old generation at most doubles what is live before a full collection, instead of V8's default of up to four
// times: under many concurrent requests waiting for PostgreSQL, their garbage otherwise piled up by 130 MB between
// collections (docs/benchmarks.md, "Memory"). At 100 it costs no requests per second; at 30 it cost 15–20 %.
setFlagsFromString('--heap-growing-percent=100');
register();
await import('../src/cli.ts');
