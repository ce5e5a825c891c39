import type { Kysely } from 'kysely';

/**
 * The live activity stream's places: at most a few streams per session (or API key) at once, across every app
 * instance (`modules/portal-activity/stream-slots.ts`). A stream holds one numbered place of its owner — the
 * primary key makes taking one atomic — and marks it seen at every poll; a place not seen for a while is free
 * again (its instance stopped without closing it).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('activity_stream_slots')
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('stream_id', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('activity_stream_slots_pk', ['owner', 'slot'])
    .execute();
  await db.schema.createIndex('activity_stream_slots_seen_idx').on('activity_stream_slots').column('seen_at').execute();
}
