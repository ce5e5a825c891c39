import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { type Placeholders, prepared } from '../db/database.js';
import { AppError } from '../domain/errors.js';
import { checkCsrf } from './csrf.js';
import type { OrgScope } from './scopes.js';
import { enforceEnrolment } from './second-factor-gate.js';
import { currentSession } from './sessions.js';
import { hashToken } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    orgScope?: OrgScope;
    sessionId?: string;
  }
}

const LAST_USED_PRECISION_MS = 60_000;

/**
 * The API key with this hash, unless revoked, and only while the user it acts for is enabled and still holds at
 * least the key's role (an admin key needs an owner or admin; a staff key any enabled user). Read on every API
 * request, so compiled once (`prepared`); so a user disabled or demoted stops their keys on the very next request.
 */
const apiKeyByHash = prepared((db, args: Placeholders<{ keyHash: string }>) =>
  db
    .selectFrom('apiKeys')
    .innerJoin('users', (join) =>
      join
        .onRef('users.id', '=', 'apiKeys.createdByUserId')
        .onRef('users.organizationId', '=', 'apiKeys.organizationId'),
    )
    .select([
      'apiKeys.id',
      'apiKeys.organizationId',
      'apiKeys.lastUsedAt',
      'apiKeys.role',
      'apiKeys.canManageAccess',
      'apiKeys.createdByUserId as actsForUserId',
    ])
    .where('apiKeys.keyHash', '=', args.keyHash)
    .where('apiKeys.revokedAt', 'is', null)
    .where('users.disabledAt', 'is', null)
    .where((eb) => eb.or([eb('apiKeys.role', '=', 'staff'), eb('users.role', 'in', ['owner', 'admin'])])),
);

/** The API key given in full, when it works now (see `apiKeyByHash`); undefined otherwise. */
export async function workingApiKey(ctx: AppContext, key: string) {
  const [row] = await apiKeyByHash(ctx.db, { keyHash: hashToken(key) });
  return row;
}

/**
 * Resolves the business caller: an API key (`Authorization: Bearer …`) or the back-office session cookie.
 * Session requests that change state must carry the CSRF token and a same-origin Origin.
 */
export function businessGuard(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match?.[1]) throw new AppError('unauthenticated', 'Use "Authorization: Bearer <api key>".');
      const key = await workingApiKey(ctx, match[1]);
      if (!key) throw new AppError('unauthenticated', 'The API key is not valid.');
      // "Last used" to the minute is enough, and spares a write (and a hot row) on every request.
      const now = ctx.now();
      if (key.lastUsedAt === null || now.getTime() - Date.parse(key.lastUsedAt) > LAST_USED_PRECISION_MS) {
        await ctx.db.kysely
          .updateTable('apiKeys')
          .set({ lastUsedAt: now.toISOString() })
          .where('id', '=', key.id)
          .execute();
      }
      request.orgScope = {
        organizationId: key.organizationId,
        userId: null,
        role: key.role,
        via: 'api_key',
        apiKey: { id: key.id, actsForUserId: key.actsForUserId ?? '', canManageAccess: key.canManageAccess === 1 },
      };
      return;
    }

    const session = await currentSession(ctx, request, 'business');
    if (!session?.userId) throw new AppError('unauthenticated', 'Sign in first.');
    const user = await ctx.db.kysely
      .selectFrom('users')
      .select(['id', 'role'])
      .where('id', '=', session.userId)
      .where('organizationId', '=', session.organizationId)
      .where('disabledAt', 'is', null)
      .executeTakeFirst();
    if (!user) throw new AppError('unauthenticated', 'Sign in first.');
    checkCsrf(ctx, request, session.csrfToken);
    enforceEnrolment(request, session.enrolmentRequired);
    request.sessionId = session.id;
    request.orgScope = { organizationId: session.organizationId, userId: user.id, role: user.role, via: 'session' };
  };
}

/** The caller's scope; routes behind the guard always have one. */
export function orgScopeOf(request: FastifyRequest): OrgScope {
  if (!request.orgScope) throw new AppError('unauthenticated', 'Sign in first.');
  return request.orgScope;
}

/** Settings, users and API keys are for owners and admins only. */
export function requireAdmin(scope: OrgScope): void {
  if (scope.role === 'staff') throw new AppError('forbidden', 'Only an owner or admin can do this.');
}

/**
 * Users and API keys (who may get in, and as what): owners and admins, and of the API keys only those an owner
 * allowed to manage access.
 */
export function requireAccessManager(scope: OrgScope): void {
  requireAdmin(scope);
  if (scope.via === 'api_key' && !scope.apiKey?.canManageAccess) {
    throw new AppError('forbidden', 'This API key may not manage users or API keys.');
  }
}

/** Only the owner, signed in: granting access management to a key, re-assigning keys. */
export function requireOwner(scope: OrgScope): void {
  if (scope.role !== 'owner' || scope.via !== 'session') {
    throw new AppError('forbidden', 'Only the owner can do this.');
  }
}
