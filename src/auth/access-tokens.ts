import type { Kysely, Transaction } from 'kysely';
import { newId } from '../db/ids.js';
import type { AccessTokensTable, Database } from '../db/schema.js';
import { invalid } from '../domain/errors.js';
import { hashToken, newSecretToken } from './tokens.js';

type Purpose = AccessTokensTable['purpose'];

/** How long a link works: an invitation 7 days, a password reset 1 hour. */
export const TOKEN_LIFETIME_MS: Record<Purpose, number> = {
  invitation: 7 * 24 * 3_600_000,
  password_reset: 3_600_000,
};

/**
 * Issues a single-use token for a link (256 bits from the CSPRNG; only its SHA-256 is stored) and voids the
 * person's earlier unused tokens of the same purpose, so only the newest link works.
 */
export async function issueAccessToken(
  trx: Transaction<Database>,
  input: { organizationId: string; contactPersonId: string; purpose: Purpose; now: Date },
): Promise<string> {
  const token = newSecretToken();
  await trx
    .deleteFrom('accessTokens')
    .where('contactPersonId', '=', input.contactPersonId)
    .where('purpose', '=', input.purpose)
    .where('usedAt', 'is', null)
    .execute();
  await trx
    .insertInto('accessTokens')
    .values({
      id: newId('tok'),
      organizationId: input.organizationId,
      contactPersonId: input.contactPersonId,
      purpose: input.purpose,
      tokenHash: hashToken(token),
      expiresAt: new Date(input.now.getTime() + TOKEN_LIFETIME_MS[input.purpose]).toISOString(),
      usedAt: null,
      createdAt: input.now.toISOString(),
    })
    .execute();
  return token;
}

/** Whether a link can still be used, without using it: the person it is for, or undefined (as consume would refuse). */
export async function usableAccessToken(
  db: Kysely<Database>,
  input: { organizationId: string; purpose: Purpose; token: string; now: Date },
): Promise<{ contactPersonId: string } | undefined> {
  return db
    .selectFrom('accessTokens')
    .select('contactPersonId')
    .where('tokenHash', '=', hashToken(input.token))
    .where('organizationId', '=', input.organizationId)
    .where('purpose', '=', input.purpose)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', input.now.toISOString())
    .executeTakeFirst();
}

/**
 * Uses a token up: one compare-and-set UPDATE, so two requests racing with the same link cannot both win.
 * Unknown, used, expired and other organizations' tokens all get the same answer.
 */
export async function consumeAccessToken(
  trx: Transaction<Database>,
  input: { organizationId: string; purpose: Purpose; token: string; now: Date },
): Promise<{ contactPersonId: string }> {
  const row = await trx
    .updateTable('accessTokens')
    .set({ usedAt: input.now.toISOString() })
    .where('tokenHash', '=', hashToken(input.token))
    .where('organizationId', '=', input.organizationId)
    .where('purpose', '=', input.purpose)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', input.now.toISOString())
    .returning('contactPersonId')
    .executeTakeFirst();
  if (!row) throw invalid('/token', 'This link is invalid or has expired. Ask for a new one.');
  return row;
}

/** Voids every unused link of a person (access disabled). */
export async function voidAccessTokens(trx: Transaction<Database>, contactPersonId: string): Promise<void> {
  await trx
    .deleteFrom('accessTokens')
    .where('contactPersonId', '=', contactPersonId)
    .where('usedAt', 'is', null)
    .execute();
}
