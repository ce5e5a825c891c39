import { sql } from 'kysely';
import { hashPassword } from '../../auth/passwords.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { DocumentSequencesTable } from '../../db/schema.js';
import { AppError, invalid } from '../../domain/errors.js';
import { currencyExponent } from '../../domain/money.js';

export interface NewOrganization {
  name: string;
  slug: string;
  baseCurrency: string;
  timeZone: string;
  locale?: string;
  email?: string;
  owner: { email: string; name: string; password: string };
}

const SEQUENCES: Array<Pick<DocumentSequencesTable, 'kind' | 'prefix'>> = [
  { kind: 'estimate', prefix: 'EST-' },
  { kind: 'invoice', prefix: 'INV-' },
  { kind: 'retainer_invoice', prefix: 'RET-' },
  { kind: 'payment', prefix: 'PAY-' },
];

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$/;

/**
 * Creates an organization with its owner and its document number sequences, in one transaction.
 * `onlyIfFirst` (first-run setup): refuse (409) unless the database has no organization at all, decided inside the
 * transaction under a table lock on PostgreSQL (SQLite has one writer), so of two concurrent setups one wins.
 */
export async function createOrganization(
  ctx: AppContext,
  input: NewOrganization,
  options: { onlyIfFirst?: boolean } = {},
) {
  if (!SLUG_PATTERN.test(input.slug)) throw invalid('/slug', 'use lower-case letters, digits and dashes');
  currencyExponent(input.baseCurrency);
  const organizationId = newId('org');
  const userId = newId('usr');
  const now = ctx.now().toISOString();
  const passwordHash = await hashPassword(input.owner.password);
  const taken = await ctx.db.kysely
    .selectFrom('organizations')
    .select('id')
    .where('slug', '=', input.slug)
    .executeTakeFirst();
  if (taken) throw new AppError('conflict', `The portal name "${input.slug}" is taken.`);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (options.onlyIfFirst) {
      if (ctx.db.dialect === 'postgres') {
        await sql`lock table organizations in share row exclusive mode`.execute(trx);
      }
      const any = await trx.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
      if (any) throw new AppError('conflict', 'Portico is set up already: sign in instead.');
    }
    await trx
      .insertInto('organizations')
      .values({
        id: organizationId,
        name: input.name,
        slug: input.slug,
        baseCurrency: input.baseCurrency,
        timeZone: input.timeZone,
        locale: input.locale ?? 'en-US',
        email: input.email ?? input.owner.email,
        phone: null,
        website: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    await trx
      .insertInto('users')
      .values({
        id: userId,
        organizationId,
        email: input.owner.email.toLowerCase(),
        name: input.owner.name,
        role: 'owner',
        passwordHash,
        disabledAt: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    await trx
      .insertInto('documentSequences')
      .values(SEQUENCES.map((s) => ({ organizationId, kind: s.kind, prefix: s.prefix, nextNumber: 1 })))
      .execute();
  });
  return { organizationId, userId };
}
