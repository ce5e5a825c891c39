import type { Static } from 'typebox';
import { requireAccessManager, requireOwner } from '../../auth/business-guard.js';
import type { OrgScope } from '../../auth/scopes.js';
import { hashToken, newSecretToken } from '../../auth/tokens.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import { AppError, notFound } from '../../domain/errors.js';
import type { ApiKeyInput, ApiKeyReassignment } from './schemas.js';

type KeyRole = 'admin' | 'staff';

/** The highest role a key acting for someone of this role may have: an owner's keys are admin keys. */
const highestKeyRole = (role: 'owner' | 'admin' | 'staff'): KeyRole => (role === 'staff' ? 'staff' : 'admin');

function selectApiKeys(ctx: AppContext, scope: OrgScope) {
  return ctx.db.kysely
    .selectFrom('apiKeys')
    .leftJoin('users', 'users.id', 'apiKeys.createdByUserId')
    .select([
      'apiKeys.id',
      'apiKeys.name',
      'apiKeys.prefix',
      'apiKeys.role',
      'apiKeys.canManageAccess',
      'apiKeys.createdByUserId',
      'users.name as userName',
      'apiKeys.createdAt',
      'apiKeys.lastUsedAt',
      'apiKeys.revokedAt',
    ])
    .where('apiKeys.organizationId', '=', scope.organizationId);
}

type ApiKeyRow = Awaited<ReturnType<ReturnType<typeof selectApiKeys>['executeTakeFirstOrThrow']>>;

const present = ({ createdByUserId, canManageAccess, ...row }: ApiKeyRow) => ({
  ...row,
  canManageAccess: canManageAccess === 1,
  userId: createdByUserId,
});

/** The organization's API keys, newest first; owners and admins (and keys allowed to manage access) only. */
export async function listApiKeys(ctx: AppContext, scope: OrgScope) {
  requireAccessManager(scope);
  const rows = await selectApiKeys(ctx, scope).orderBy('apiKeys.createdAt', 'desc').execute();
  return rows.map(present);
}

/**
 * A new key, returned this once: only its hash is kept, and its first characters to recognise it by. It acts for
 * the user who makes it (a key making a key: the user that key acts for), with at most the maker's role; only the
 * owner lets a key manage users and keys.
 */
export async function createApiKey(ctx: AppContext, scope: OrgScope, input: Static<typeof ApiKeyInput>) {
  requireAccessManager(scope);
  const actsForUserId = scope.via === 'api_key' ? scope.apiKey?.actsForUserId : scope.userId;
  if (!actsForUserId) throw new AppError('forbidden', 'Only a user or an API key can make an API key.');
  const highest = highestKeyRole(scope.role);
  const role = input.role ?? highest;
  if (role === 'admin' && highest === 'staff') {
    throw new AppError('forbidden', 'An API key cannot have a higher role than yours.');
  }
  if (input.canManageAccess) requireOwner(scope);
  const key = `pk_${newSecretToken()}`;
  const id = newId('key');
  await ctx.db.kysely
    .insertInto('apiKeys')
    .values({
      id,
      organizationId: scope.organizationId,
      name: input.name,
      prefix: key.slice(0, 10),
      keyHash: hashToken(key),
      createdByUserId: actsForUserId,
      role,
      canManageAccess: input.canManageAccess ? 1 : 0,
      createdAt: ctx.now().toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    })
    .execute();
  return { ...(await findApiKey(ctx, scope, id)), key };
}

async function findApiKey(ctx: AppContext, scope: OrgScope, apiKeyId: string) {
  const row = await selectApiKeys(ctx, scope).where('apiKeys.id', '=', apiKeyId).executeTakeFirst();
  if (!row) throw notFound('API key');
  return present(row);
}

/** A revoked key stops working at once; revoking it again, like another organization's key, is a 404. */
export async function revokeApiKey(ctx: AppContext, scope: OrgScope, apiKeyId: string) {
  requireAccessManager(scope);
  const result = await ctx.db.kysely
    .updateTable('apiKeys')
    .set({ revokedAt: ctx.now().toISOString() })
    .where('id', '=', apiKeyId)
    .where('organizationId', '=', scope.organizationId)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('API key');
}

/**
 * The owner gives a key to another enabled user (e.g. its maker left): from now on it follows that user, and its
 * role is lowered to theirs when theirs is lower. A revoked key is a 404.
 */
export async function reassignApiKey(
  ctx: AppContext,
  scope: OrgScope,
  apiKeyId: string,
  input: Static<typeof ApiKeyReassignment>,
) {
  const key = await findApiKey(ctx, scope, apiKeyId);
  if (key.revokedAt !== null) throw notFound('API key');
  requireOwner(scope);
  const user = await ctx.db.kysely
    .selectFrom('users')
    .select(['id', 'role', 'disabledAt'])
    .where('id', '=', input.userId)
    .where('organizationId', '=', scope.organizationId)
    .executeTakeFirst();
  if (!user) throw notFound('user');
  if (user.disabledAt !== null) throw new AppError('conflict', 'A key can only be given to an enabled user.');
  const role: KeyRole = highestKeyRole(user.role) === 'staff' ? 'staff' : key.role;
  await ctx.db.kysely
    .updateTable('apiKeys')
    .set({ createdByUserId: user.id, role })
    .where('id', '=', key.id)
    .where('organizationId', '=', scope.organizationId)
    .execute();
  return findApiKey(ctx, scope, key.id);
}
