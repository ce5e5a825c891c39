import { randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { keyedDigest } from '../../payments/secret-box.js';
import { type FactorOwner, personColumn, personId } from './owner.js';

/**
 * Recovery codes: ten single-use codes of 10 characters (50 bits each), shown once. Only a keyed hash (HMAC under
 * a key derived from APP_SECRET) is stored, so a copy of the database alone does not reveal them; a code is used
 * by one UPDATE that also checks it is unused, so two requests with the same code cannot both succeed.
 */
const CODES = 10;
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

const normalized = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');
const hashOf = (ctx: AppContext, code: string) =>
  keyedDigest(ctx.config.appSecret, 'recovery-codes-v1', normalized(code));

function newCode(): string {
  const characters = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${characters.slice(0, 5)}-${characters.slice(5)}`;
}

/** Replaces the owner's codes with ten new ones, returned in clear this once. */
export async function replaceRecoveryCodes(
  ctx: AppContext,
  trx: Transaction<Database>,
  owner: FactorOwner,
): Promise<string[]> {
  await trx.deleteFrom('recoveryCodes').where(personColumn(owner), '=', personId(owner)).execute();
  const codes = Array.from({ length: CODES }, newCode);
  const at = ctx.now().toISOString();
  await trx
    .insertInto('recoveryCodes')
    .values(
      codes.map((code) => ({
        id: newId('rcc'),
        organizationId: owner.organizationId,
        userId: owner.userId,
        contactPersonId: owner.contactPersonId,
        codeHash: hashOf(ctx, code),
        usedAt: null,
        createdAt: at,
      })),
    )
    .execute();
  return codes;
}

/** Uses one of the owner's codes: true when it was theirs and unused (it is now used), false otherwise. */
export async function spendRecoveryCode(ctx: AppContext, owner: FactorOwner, code: string): Promise<boolean> {
  const result = await ctx.db.kysely
    .updateTable('recoveryCodes')
    .set({ usedAt: ctx.now().toISOString() })
    .where('organizationId', '=', owner.organizationId)
    .where(personColumn(owner), '=', personId(owner))
    .where('codeHash', '=', hashOf(ctx, code))
    .where('usedAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function recoveryCodesLeft(db: Kysely<Database>, owner: FactorOwner): Promise<number> {
  const row = await db
    .selectFrom('recoveryCodes')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('left'))
    .where(personColumn(owner), '=', personId(owner))
    .where('usedAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.left);
}
