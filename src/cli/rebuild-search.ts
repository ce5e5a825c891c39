import { rebuildTextSearch } from '../db/migrations/0025_text_search.js';
import { searchIndexesOutOfStep } from '../db/text-search.js';
import { openRuntime, say } from './runtime.js';

/**
 * `portico rebuild-search`: finds the text-search indexes (SQLite's FTS5 tables, migration 0025) that no longer match
 * their rows and makes them again from the rows. The triggers keep them with every change; this repairs them after
 * a change made with the triggers set aside. PostgreSQL keeps its trigram indexes itself: nothing to do there.
 */
export async function rebuildSearchCommand(): Promise<void> {
  const runtime = await openRuntime();
  try {
    const db = runtime.ctx.db;
    if (db.dialect !== 'sqlite') {
      say("PostgreSQL keeps the text search's trigram indexes itself: there is nothing to rebuild.");
      return;
    }
    const outOfStep = await searchIndexesOutOfStep(db.kysely);
    if (outOfStep.length === 0) {
      say('Every text-search index matches its rows: there is nothing to rebuild.');
      return;
    }
    const started = Date.now();
    await rebuildTextSearch(db.kysely, outOfStep);
    say(
      `Made the text search's index of ${outOfStep.join(', ')} again from the rows in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
  } finally {
    await runtime.close();
  }
}
