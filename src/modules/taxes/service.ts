import { type Selectable, sql } from 'kysely';
import type { Static } from 'typebox';
import { requireAdmin } from '../../auth/business-guard.js';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { formatDecimal, parseDecimal } from '../../domain/decimal.js';
import { PERCENT_DECIMALS } from '../../domain/document-input.js';
import { notFound } from '../../domain/errors.js';
import { listPage } from '../../http/pagination.js';
import type { TaxInput, TaxPatch } from './schemas.js';

type TaxRow = Selectable<Database['taxes']>;

function presentTax(row: TaxRow) {
  return {
    id: row.id,
    name: row.name,
    rate: row.rate,
    isDefault: row.isDefault === 1,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * Rates are stored in canonical spelling ("7.50" → "7.5"), the spelling document math groups taxes by, so a
 * document's per-rate tax lines and the tax list always name a rate the same way.
 */
function canonicalRate(rate: string): string {
  return formatDecimal(parseDecimal(rate, '/rate', { maxDecimals: PERCENT_DECIMALS, max: '1000' }));
}

export async function getTax(ctx: AppContext, scope: OrgScope, taxId: string) {
  const row = await ctx.db.kysely
    .selectFrom('taxes')
    .selectAll()
    .where('id', '=', taxId)
    .where('organizationId', '=', scope.organizationId)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (!row) throw notFound('tax');
  return presentTax(row);
}

/** The organization's taxes by name (deleted ones are gone from the list; documents keep their snapshots). */
export async function listTaxes(ctx: AppContext, scope: OrgScope, query: { limit?: number; cursor?: string }) {
  const select = ctx.db.kysely
    .selectFrom('taxes')
    .selectAll()
    .where('organizationId', '=', scope.organizationId)
    .where('deletedAt', 'is', null);
  return listPage(select, { key: 'name', id: 'id', direction: 'asc', keyOf: (row) => row.name }, query, presentTax);
}

/**
 * One statement sets every tax of the organization: the chosen one becomes the default, all others stop
 * being it. Never filtering on the old flag is what keeps two concurrent "make default" requests from
 * leaving two defaults behind on PostgreSQL (the second re-reads the rows the first locked).
 */
async function makeDefault(db: AppContext['db']['kysely'], scope: OrgScope, taxId: string, now: string) {
  await db
    .updateTable('taxes')
    .set({
      isDefault: sql<0 | 1>`case when ${sql.ref('id')} = ${taxId} then 1 else 0 end`,
      updatedAt: now,
    })
    .where('organizationId', '=', scope.organizationId)
    .execute();
}

export async function createTax(ctx: AppContext, scope: OrgScope, input: Static<typeof TaxInput>) {
  requireAdmin(scope);
  const rate = canonicalRate(input.rate);
  const id = newId('tax');
  const now = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .insertInto('taxes')
      .values({
        id,
        organizationId: scope.organizationId,
        name: input.name,
        rate,
        isDefault: 0,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      })
      .execute();
    if (input.isDefault) await makeDefault(trx, scope, id, now);
  });
  return getTax(ctx, scope, id);
}

/**
 * A rate change applies to documents priced from now on; documents already written keep the name and rate
 * they were priced with. `isDefault: false` on the default tax leaves the organization without one.
 */
export async function updateTax(ctx: AppContext, scope: OrgScope, taxId: string, patch: Static<typeof TaxPatch>) {
  requireAdmin(scope);
  await getTax(ctx, scope, taxId);
  const { isDefault, rate, name } = patch;
  const now = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .updateTable('taxes')
      .set({
        ...(name !== undefined ? { name } : {}),
        ...(rate !== undefined ? { rate: canonicalRate(rate) } : {}),
        ...(isDefault === false ? { isDefault: 0 } : {}),
        updatedAt: now,
      })
      .where('id', '=', taxId)
      .where('organizationId', '=', scope.organizationId)
      .execute();
    if (isDefault) await makeDefault(trx, scope, taxId, now);
  });
  return getTax(ctx, scope, taxId);
}

export async function markDefaultTax(ctx: AppContext, scope: OrgScope, taxId: string) {
  requireAdmin(scope);
  return updateTax(ctx, scope, taxId, { isDefault: true });
}

/** Soft delete: lines that used it keep their snapshot; a deleted tax is no longer the default. */
export async function deleteTax(ctx: AppContext, scope: OrgScope, taxId: string) {
  requireAdmin(scope);
  await getTax(ctx, scope, taxId);
  const now = ctx.now().toISOString();
  await ctx.db.kysely
    .updateTable('taxes')
    .set({ deletedAt: now, isDefault: 0, updatedAt: now })
    .where('id', '=', taxId)
    .where('organizationId', '=', scope.organizationId)
    .execute();
}
