import type { ExpressionBuilder } from 'kysely';
import type { Static } from 'typebox';
import { requireAccessManager } from '../../auth/business-guard.js';
import { checkNewPassword, PASSWORD_DEFAULT_MIN } from '../../auth/password-policy.js';
import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import type { OrgScope } from '../../auth/scopes.js';
import { endSessionsOfUser } from '../../auth/sessions.js';
import { type AttemptSource, businessAccount, limitedPasswordCheck } from '../../auth/sign-in-limits.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { AppError, invalid, notFound } from '../../domain/errors.js';
import type { PasswordChange, UserInput, UserPatch } from './schemas.js';

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: 'owner' | 'admin' | 'staff';
  disabledAt: string | null;
  /** 0/1 on SQLite, a boolean on PostgreSQL. */
  hasSecondFactor: number | boolean;
  createdAt: string;
}

const present = (row: UserRow) => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  disabled: row.disabledAt !== null,
  hasSecondFactor: Boolean(row.hasSecondFactor),
  createdAt: row.createdAt,
});

/** Whether the user has a confirmed second factor (`second_factors`, docs/second-factors.md). */
const hasSecondFactor = (eb: ExpressionBuilder<Database, 'users'>) =>
  eb
    .exists(
      eb
        .selectFrom('secondFactors')
        .select('secondFactors.id')
        .whereRef('secondFactors.userId', '=', 'users.id')
        .where('secondFactors.confirmedAt', 'is not', null),
    )
    .as('hasSecondFactor');

/** A user of the scope's organization (with their password hash, for checks), or 404. */
async function findUser(ctx: AppContext, scope: OrgScope, userId: string) {
  const row = await ctx.db.kysely
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'disabledAt', 'createdAt', 'passwordHash'])
    .select(hasSecondFactor)
    .where('id', '=', userId)
    .where('organizationId', '=', scope.organizationId)
    .executeTakeFirst();
  if (!row) throw notFound('user');
  return row;
}

/**
 * Every business user of the organization, oldest first. Any user may see who else works there; of the API keys,
 * only those allowed to manage access.
 */
export async function listUsers(ctx: AppContext, scope: OrgScope) {
  if (scope.via === 'api_key') requireAccessManager(scope);
  const rows = await ctx.db.kysely
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'disabledAt', 'createdAt'])
    .select(hasSecondFactor)
    .where('organizationId', '=', scope.organizationId)
    .orderBy('createdAt')
    .execute();
  return rows.map(present);
}

/** Owners and admins add admins and staff; an e-mail is one user per organization. */
export async function addUser(ctx: AppContext, scope: OrgScope, input: Static<typeof UserInput>) {
  requireAccessManager(scope);
  const email = input.email.toLowerCase();
  checkNewPassword(input.password, { minLength: PASSWORD_DEFAULT_MIN, context: [email.split('@')[0] ?? ''] });
  const existing = await ctx.db.kysely
    .selectFrom('users')
    .select('id')
    .where('organizationId', '=', scope.organizationId)
    .where('email', '=', email)
    .executeTakeFirst();
  if (existing) throw new AppError('conflict', 'A user with this e-mail already exists.');
  const now = ctx.now().toISOString();
  const id = newId('usr');
  await ctx.db.kysely
    .insertInto('users')
    .values({
      id,
      organizationId: scope.organizationId,
      email,
      name: input.name,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      disabledAt: null,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return present(await findUser(ctx, scope, id));
}

/** Rename a user or change their role; the owner keeps the owner role. */
export async function updateUser(ctx: AppContext, scope: OrgScope, userId: string, patch: Static<typeof UserPatch>) {
  requireAccessManager(scope);
  const user = await findUser(ctx, scope, userId);
  if (patch.role !== undefined && user.role === 'owner') {
    throw new AppError('conflict', 'The owner keeps the owner role.');
  }
  await ctx.db.kysely
    .updateTable('users')
    .set({ ...patch, updatedAt: ctx.now().toISOString() })
    .where('id', '=', user.id)
    .where('organizationId', '=', scope.organizationId)
    .execute();
  return present(await findUser(ctx, scope, user.id));
}

/** A disabled user cannot sign in, and their sessions end now. Nobody disables the owner or themselves. */
export async function disableUser(ctx: AppContext, scope: OrgScope, userId: string) {
  requireAccessManager(scope);
  const user = await findUser(ctx, scope, userId);
  if (user.role === 'owner' || user.id === scope.userId) {
    throw new AppError('conflict', 'The owner and you yourself cannot be disabled.');
  }
  await ctx.db.kysely
    .updateTable('users')
    .set({ disabledAt: ctx.now().toISOString(), updatedAt: ctx.now().toISOString() })
    .where('id', '=', user.id)
    .where('organizationId', '=', scope.organizationId)
    .execute();
  await endSessionsOfUser(ctx, user.id);
  return present(await findUser(ctx, scope, user.id));
}

export async function enableUser(ctx: AppContext, scope: OrgScope, userId: string) {
  requireAccessManager(scope);
  const user = await findUser(ctx, scope, userId);
  await ctx.db.kysely
    .updateTable('users')
    .set({ disabledAt: null, updatedAt: ctx.now().toISOString() })
    .where('id', '=', user.id)
    .where('organizationId', '=', scope.organizationId)
    .execute();
  return present(await findUser(ctx, scope, user.id));
}

/**
 * The signed-in user changes their own password, proving they know the current one — checked under the same
 * limits as signing in, so that a stolen session cannot guess it. Their other sessions end (someone who learnt the
 * old password is signed out); the one they are using stays.
 */
export async function changeOwnPassword(
  ctx: AppContext,
  scope: OrgScope,
  change: Static<typeof PasswordChange>,
  from: { sessionId: string | undefined; source: AttemptSource },
) {
  if (scope.userId === null) throw new AppError('forbidden', 'API keys have no password.');
  const user = await findUser(ctx, scope, scope.userId);
  const { right } = await limitedPasswordCheck(ctx, businessAccount(user.email), from.source, async () => ({
    right: await verifyPassword(user.passwordHash, change.currentPassword),
  }));
  if (!right) throw invalid('/currentPassword', 'is not your current password');
  checkNewPassword(change.newPassword, {
    minLength: PASSWORD_DEFAULT_MIN,
    path: '/newPassword',
    context: [user.email.split('@')[0] ?? ''],
  });
  await ctx.db.kysely
    .updateTable('users')
    .set({ passwordHash: await hashPassword(change.newPassword), updatedAt: ctx.now().toISOString() })
    .where('id', '=', user.id)
    .where('organizationId', '=', scope.organizationId)
    .execute();
  await endSessionsOfUser(ctx, user.id, from.sessionId);
}
