import type { Kysely } from 'kysely';

/**
 * Time approval (issue 20, docs/time-approval.md): a project may require its client to approve time before it
 * is invoiced. Each time entry carries its approval state (null while its project does not ask for approval;
 * awaiting_approval | approved | queried) and who approved it when; a client's query, and the business's answer
 * to it, is a comment on the project that names the entry.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('projects')
    .addColumn('require_time_approval', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('time_entries').addColumn('approval', 'text').execute();
  await db.schema.alterTable('time_entries').addColumn('approved_at', 'text').execute();
  await db.schema.alterTable('time_entries').addColumn('approved_by_contact_person_id', 'text').execute();
  await db.schema.alterTable('comments').addColumn('time_entry_id', 'text').execute();
  await db.schema.createIndex('comments_time_entry_idx').on('comments').column('time_entry_id').execute();
}
