import { openRuntime } from './runtime.js';

/** `portico migrate`: applies the migrations not yet applied; running it again changes nothing. */
export async function migrate(): Promise<void> {
  const runtime = await openRuntime();
  await runtime.close();
  if (runtime.applied.length === 0) {
    console.log('The database is up to date.');
    return;
  }
  const noun = runtime.applied.length === 1 ? 'migration' : 'migrations';
  console.log(`Applied ${runtime.applied.length} ${noun}: ${runtime.applied.join(', ')}.`);
}
