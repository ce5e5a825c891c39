import type { Kysely } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Database } from '../../db/schema.js';
import { type FactorOwner, personColumn, personId } from './owner.js';
import { type StoredPasskey, transportsOf } from './passkeys.js';

/** The owner's confirmed factors (a factor counts once a first code or ceremony proved it works). */
export async function confirmedFactors(db: Kysely<Database>, owner: FactorOwner) {
  return db
    .selectFrom('secondFactors')
    .selectAll()
    .where('organizationId', '=', owner.organizationId)
    .where(personColumn(owner), '=', personId(owner))
    .where('confirmedAt', 'is not', null)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

export const passkeysOf = (factors: Awaited<ReturnType<typeof confirmedFactors>>): StoredPasskey[] =>
  factors.flatMap((factor) =>
    factor.kind === 'passkey' && factor.credentialId && factor.publicKey
      ? [
          {
            credentialId: factor.credentialId,
            publicKey: factor.publicKey,
            signCount: factor.signCount ?? 0,
            transports: transportsOf(factor.transports),
          },
        ]
      : [],
  );

/** Whether the owner's organization requires a second factor of people like them (users, or portal contacts). */
export async function secondFactorRequired(ctx: AppContext, owner: FactorOwner): Promise<boolean> {
  const org = await ctx.db.kysely
    .selectFrom('organizations')
    .select(['requireSecondFactor', 'portalRequireSecondFactor'])
    .where('id', '=', owner.organizationId)
    .executeTakeFirstOrThrow();
  return (owner.realm === 'business' ? org.requireSecondFactor : org.portalRequireSecondFactor) === 1;
}
