import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { type Db, openDatabase } from '../../src/db/database.js';
import { migrateToLatest, migrateUpTo } from '../../src/db/migrate.js';
import { emptyDatabase } from '../support/database.js';

/**
 * Migration 0014: the one gateway each organization had becomes one row of the new shape, with its sandbox
 * capabilities in the columns, and the attempts and cards it made point at it; the portal-version trigger is
 * made again on the rebuilt table.
 */
describe('migration 0014: several gateways per organization', () => {
  let dataDir: string;
  let database: { url: string; drop(): Promise<void> };
  let db: Db;
  const at = '2026-03-01T10:00:00.000Z';

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'portico-gw-migration-'));
    database = await emptyDatabase(dataDir);
    db = openDatabase(database.url);
    await migrateUpTo(db, '0013_sandbox_cancel_url');
    const k = db.kysely;
    for (const org of ['org_sandboxfirst', 'org_stripefirst', 'org_nogateway']) {
      await sql`insert into organizations (id, name, slug, base_currency, time_zone, created_at, updated_at)
        values (${org}, ${org}, ${org.replace('_', '-')}, 'USD', 'UTC', ${at}, ${at})`.execute(k);
      await sql`insert into customers (id, organization_id, display_name, currency, created_at, updated_at)
        values (${`cus_${org}`}, ${org}, 'Client', 'USD', ${at}, ${at})`.execute(k);
      await sql`insert into contact_persons (id, organization_id, customer_id, first_name, created_at, updated_at)
        values (${`cp_${org}`}, ${org}, ${`cus_${org}`}, 'Ann', ${at}, ${at})`.execute(k);
    }
    const rules = JSON.stringify({
      currencies: ['EUR'],
      minimumAmount: 250,
      recurring: false,
      addressVerification: true,
    });
    await sql`insert into payment_gateways (organization_id, kind, sandbox_rules, created_at, updated_at)
      values ('org_sandboxfirst', 'sandbox', ${rules}, ${at}, ${at})`.execute(k);
    await sql`insert into payment_gateways
      (organization_id, kind, credentials_encrypted, credentials_hint, created_at, updated_at)
      values ('org_stripefirst', 'stripe', 'v1.sealed', ${JSON.stringify({ secretKey: 'sk_live_…1234' })}, ${at}, ${at})`.execute(
      k,
    );
    const attempt = (id: string, org: string, kind: string | null) =>
      sql`insert into payment_attempts (id, organization_id, customer_id, contact_person_id, status, amount, currency,
        gateway_kind, expires_at, created_at, updated_at)
        values (${id}, ${org}, ${`cus_${org}`}, ${`cp_${org}`}, 'pending', 500, 'EUR', ${kind}, ${at}, ${at}, ${at})`.execute(
        k,
      );
    await attempt('pat_sandbox', 'org_sandboxfirst', 'sandbox');
    // Made through Stripe before the organization switched to the sandbox: no gateway of that kind is left.
    await attempt('pat_oldstripe', 'org_sandboxfirst', 'stripe');
    await attempt('pat_stripe', 'org_stripefirst', 'stripe');
    await attempt('pat_refused', 'org_nogateway', null);
    await migrateToLatest(db);
  });
  after(async () => {
    await db.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('each gateway keeps its settings in the new shape', async () => {
    const rows = await db.kysely.selectFrom('paymentGateways').selectAll().orderBy('organizationId').execute();
    assert.equal(rows.length, 2);
    const [sandbox, stripe] = rows;
    assert.equal(sandbox?.id, 'gw_sandboxfirst');
    assert.equal(sandbox?.kind, 'sandbox');
    assert.equal(sandbox?.position, 1);
    assert.equal(sandbox?.currencies, '["EUR"]');
    assert.equal(Number(sandbox?.minimumAmount), 250);
    assert.equal(sandbox?.referenceTransactions, 1);
    assert.equal(sandbox?.recurring, 0);
    assert.equal(sandbox?.addressFields, 'postal_code');
    assert.equal(JSON.parse(sandbox?.sandboxRules ?? '{}').addressVerification, true);
    assert.equal(sandbox?.removedAt, null);
    assert.equal(stripe?.id, 'gw_stripefirst');
    assert.equal(stripe?.currencies, null, 'a Stripe account takes every currency');
    assert.equal(stripe?.referenceTransactions, 1);
    assert.equal(stripe?.recurring, 1);
    assert.equal(stripe?.credentialsEncrypted, 'v1.sealed');
    assert.equal(stripe?.createdAt, at);
  });

  test('attempts point at the gateway of their kind, when the organization still has it', async () => {
    const attempts = await db.kysely.selectFrom('paymentAttempts').select(['id', 'gatewayId']).orderBy('id').execute();
    assert.deepEqual(attempts, [
      { id: 'pat_oldstripe', gatewayId: null },
      { id: 'pat_refused', gatewayId: null },
      { id: 'pat_sandbox', gatewayId: 'gw_sandboxfirst' },
      { id: 'pat_stripe', gatewayId: 'gw_stripefirst' },
    ]);
  });

  test("a change to a gateway still moves the organization's portal version", async () => {
    const version = async () =>
      Number(
        (
          await db.kysely
            .selectFrom('organizations')
            .select('portalVersion')
            .where('id', '=', 'org_sandboxfirst')
            .executeTakeFirstOrThrow()
        ).portalVersion,
      );
    const before = await version();
    await db.kysely
      .updateTable('paymentGateways')
      .set({ minimumAmount: 1 })
      .where('id', '=', 'gw_sandboxfirst')
      .execute();
    assert.equal(await version(), before + 1);
    await db.kysely
      .insertInto('paymentGateways')
      .values({
        id: 'gw_second',
        organizationId: 'org_sandboxfirst',
        kind: 'sandbox',
        position: 2,
        currencies: null,
        minimumAmount: 0,
        referenceTransactions: 1,
        recurring: 1,
        addressFields: 'postal_code',
        sandboxRules: null,
        credentialsEncrypted: null,
        credentialsHint: null,
        removedAt: null,
        createdAt: at,
        updatedAt: at,
      })
      .execute();
    assert.equal(await version(), before + 2, 'a second gateway of one organization');
  });
});
