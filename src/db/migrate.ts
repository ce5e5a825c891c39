import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Db } from './database.js';
import * as m0001 from './migrations/0001_books.js';
import * as m0002 from './migrations/0002_portal_access.js';
import * as m0003 from './migrations/0003_portal_capabilities.js';
import * as m0004 from './migrations/0004_payment_gateways.js';
import * as m0005 from './migrations/0005_payment_attempts.js';
import * as m0006 from './migrations/0006_autopay.js';
import * as m0007 from './migrations/0007_portal_activity.js';
import * as m0008 from './migrations/0008_list_indexes.js';
import * as m0009 from './migrations/0009_portal_versions.js';
import * as m0010 from './migrations/0010_customer_figures.js';
import * as m0011 from './migrations/0011_test_mode.js';
import * as m0012 from './migrations/0012_credentials_follow_people.js';
import * as m0013 from './migrations/0013_sandbox_cancel_url.js';
import * as m0014 from './migrations/0014_several_gateways.js';
import * as m0015 from './migrations/0015_activity_stream_slots.js';
import * as m0016 from './migrations/0016_estimate_revisions.js';
import * as m0017 from './migrations/0017_user_password_resets.js';
import * as m0018 from './migrations/0018_bank_transfer_instructions.js';
import * as m0019 from './migrations/0019_webhooks.js';
import * as m0020 from './migrations/0020_requests.js';
import * as m0021 from './migrations/0021_time_approval.js';
import * as m0022 from './migrations/0022_second_factors.js';
import * as m0023 from './migrations/0023_e_invoices.js';
import * as m0024 from './migrations/0024_contact_language.js';
import * as m0025 from './migrations/0025_text_search.js';
import * as m0026 from './migrations/0026_credit_index.js';

/** Every migration, in order. A new one is a new file here; applied ones are never edited. */
const migrations: Record<string, Migration> = {
  '0001_books': m0001,
  '0002_portal_access': m0002,
  '0003_portal_capabilities': m0003,
  '0004_payment_gateways': m0004,
  '0005_payment_attempts': m0005,
  '0006_autopay': m0006,
  '0007_portal_activity': m0007,
  '0008_list_indexes': m0008,
  '0009_portal_versions': m0009,
  '0010_customer_figures': m0010,
  '0011_test_mode': m0011,
  '0012_credentials_follow_people': m0012,
  '0013_sandbox_cancel_url': m0013,
  '0014_several_gateways': m0014,
  '0015_activity_stream_slots': m0015,
  '0016_estimate_revisions': m0016,
  '0017_user_password_resets': m0017,
  '0018_bank_transfer_instructions': m0018,
  '0019_webhooks': m0019,
  '0020_requests': m0020,
  '0021_time_approval': m0021,
  '0022_second_factors': m0022,
  '0023_e_invoices': m0023,
  '0024_contact_language': m0024,
  '0025_text_search': m0025,
  '0026_credit_index': m0026,
};

/** The names of every migration this build knows, in order (a backup's schema is compared with them). */
export function knownMigrations(): string[] {
  return Object.keys(migrations);
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies the migrations up to `name` only: an older version's schema, for the upgrade path's test. */
export async function migrateUpTo(db: Db, name: string): Promise<void> {
  const { error } = await new Migrator({ db: db.kysely, provider }).migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
