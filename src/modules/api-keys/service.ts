import type { Static } from 'typebox';
import { requireAdmin } from '../../auth/business-guard.js';
import type { OrgScope } from '../../auth/scopes.js';
import { hashToken, newSecretToken } from '../../auth/tokens.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import { notFound } from '../../domain/errors.js';
import type { ApiKeyInput } from './schemas.js';

/** The organization's API keys, newest first; owners and admins only. */
export async function listApiKeys(ctx: AppContext, scope: OrgScope) {
  requireAdmin(scope);
  return ctx.db.kysely
    .selectFrom('apiKeys')
    .select(['id', 'name', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt'])
    .where('organizationId', '=', scope.organizationId)
    .orderBy('createdAt', 'desc')
    .execute();
}

/** A new key, returned this once: only its hash is kept, and its first characters to recognise it by. */
export async function createApiKey(ctx: AppContext, scope: OrgScope, input: Static<typeof ApiKeyInput>) {
  requireAdmin(scope);
  const key = `pk_${newSecretToken()}`;
  const row = {
    id: newId('key'),
    organizationId: scope.organizationId,
    name: input.name,
    prefix: key.slice(0, 10),
    keyHash: hashToken(key),
    createdByUserId: scope.userId,
    createdAt: ctx.now().toISOString(),
    lastUsedAt: null,
    revokedAt: null,
  };
  await ctx.db.kysely.insertInto('apiKeys').values(row).execute();
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt,
    lastUsedAt: null,
    revokedAt: null,
    key,
  };
}

/** A revoked key stops working at once; revoking it again, like another organization's key, is a 404. */
export async function revokeApiKey(ctx: AppContext, scope: OrgScope, apiKeyId: string) {
  requireAdmin(scope);
  const result = await ctx.db.kysely
    .updateTable('apiKeys')
    .set({ revokedAt: ctx.now().toISOString() })
    .where('id', '=', apiKeyId)
    .where('organizationId', '=', scope.organizationId)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('API key');
}
