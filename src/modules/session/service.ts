import type { Static } from 'typebox';
import { hashPassword, needsRehash, verifyPassword } from '../../auth/passwords.js';
import { accountThrottleKey, assertAllowed, clearFailures, ipThrottleKey, recordFailure } from '../../auth/throttle.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../domain/errors.js';
import { recordAudit } from '../audit/index.js';
import type { SignInInput } from './schemas.js';

/** A business user, named with their organization: every read of a user filters by both. */
export interface BusinessUser {
  organizationId: string;
  userId: string;
}

/** Where a sign-in came from, for the audit log. */
export interface RequestInfo {
  ip: string;
  userAgent: string | null;
}

/** A sign-in whose credentials were accepted: who, and the where and when its audit entries record. */
export interface AcceptedSignIn extends BusinessUser {
  from: RequestInfo & { at: string };
}

/** What the back office needs to know about the signed-in user and their organization. */
export async function identityOf(ctx: AppContext, who: BusinessUser, csrfToken: string) {
  const row = await ctx.db.kysely
    .selectFrom('users')
    .innerJoin('organizations', 'organizations.id', 'users.organizationId')
    .select([
      'users.id',
      'users.name',
      'users.email',
      'users.role',
      'organizations.id as organizationId',
      'organizations.name as organizationName',
      'organizations.slug',
    ])
    .where('users.id', '=', who.userId)
    .where('users.organizationId', '=', who.organizationId)
    .executeTakeFirstOrThrow();
  return {
    user: { id: row.id, name: row.name, email: row.email, role: row.role },
    organization: { id: row.organizationId, name: row.organizationName, slug: row.slug },
    csrfToken,
  };
}

/**
 * Checks a business user's e-mail and password, throttled per account and per IP. A failure counts against both
 * and, when the e-mail is a user's, is written to their organization's audit log; it answers 401 whichever was
 * wrong. On success the account's failures are forgiven and an old password hash is upgraded. The caller then
 * starts the session and records the sign-in (`recordBusinessSignIn`).
 */
export async function checkBusinessSignIn(
  ctx: AppContext,
  input: Static<typeof SignInInput>,
  request: RequestInfo,
): Promise<AcceptedSignIn> {
  const { email, password, organization } = input;
  // A business e-mail is one account whichever organization it names; unknown e-mails count alike.
  const accountKey = accountThrottleKey('business', null, email);
  const throttleKeys = [accountKey, ipThrottleKey('business', 'login', request.ip)];
  await assertAllowed(ctx, throttleKeys);
  let query = ctx.db.kysely
    .selectFrom('users')
    .innerJoin('organizations', 'organizations.id', 'users.organizationId')
    .select(['users.id', 'users.organizationId', 'users.passwordHash'])
    .where('users.email', '=', email.toLowerCase())
    .where('users.disabledAt', 'is', null)
    .orderBy('users.createdAt')
    .limit(1);
  if (organization !== undefined) query = query.where('organizations.slug', '=', organization);
  const user = await query.executeTakeFirst();
  const ok = await verifyPassword(user?.passwordHash ?? null, password);
  const from = { ...request, at: ctx.now().toISOString() };
  if (!user || !ok) {
    await recordFailure(ctx, throttleKeys);
    if (user) {
      await recordAudit(ctx.db.kysely, {
        organizationId: user.organizationId,
        event: 'business.login_failed',
        actorType: 'anonymous',
        details: { userId: user.id, email: email.toLowerCase() },
        ...from,
      });
    }
    throw new AppError('unauthenticated', 'The e-mail or password is not right.');
  }
  await clearFailures(ctx, [accountKey]);
  if (user.passwordHash && needsRehash(user.passwordHash)) {
    await ctx.db.kysely
      .updateTable('users')
      .set({ passwordHash: await hashPassword(password) })
      .where('id', '=', user.id)
      .where('organizationId', '=', user.organizationId)
      .execute();
  }
  return { organizationId: user.organizationId, userId: user.id, from };
}

/** The audit log's entry for a business user who signed in, once their session has started. */
export async function recordBusinessSignIn(ctx: AppContext, signIn: AcceptedSignIn) {
  await recordAudit(ctx.db.kysely, {
    organizationId: signIn.organizationId,
    event: 'business.login_succeeded',
    actorType: 'user',
    actorId: signIn.userId,
    ...signIn.from,
  });
}
