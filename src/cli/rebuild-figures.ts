import { rebuildCustomerFigures } from '../db/migrations/0010_customer_figures.js';
import { openRuntime, say } from './runtime.js';

/**
 * `portico rebuild-figures`: recomputes every customer's figures (what the portal's dashboard counts) from the
 * books, in one transaction. The triggers keep them with every change; this repairs them after a restore from an
 * older backup, or a change made with the triggers dropped.
 */
export async function rebuildFiguresCommand(): Promise<void> {
  const runtime = await openRuntime();
  try {
    const started = Date.now();
    await rebuildCustomerFigures(runtime.ctx.db.kysely);
    say(`Rebuilt every customer's figures from the books in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await runtime.close();
  }
}
