#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so a checkout needs no build step: `npx portico <command>`.
import { setFlagsFromString } from 'node:v8';
import { register } from 'tsx/esm/api';

// The old generation grows by at most 30 % of what is live before a full collection, instead of V8's default of
// up to four times: under many concurrent requests the garbage of the ones waiting for the database otherwise
// piled up by 100+ MB between collections (docs/benchmarks.md, "Memory"), at no cost in requests per second.
setFlagsFromString('--heap-growing-percent=30');
register();
await import('../src/cli.ts');
