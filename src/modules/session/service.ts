import type { Static } from 'typebox';
import { strongerHash, verifyPassword } from '../../auth/passwords.js';
import type { SignInMethod } from '../../auth/sessions.js';
import {
  type AttemptSource,
  businessAccount,
  limitedPasswordCheck,
  type PasswordAccount,
} from '../../auth/sign-in-limits.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../domain/errors.js';
import { recordAudit } from '../audit/index.js';
import { completeSignIn, type SecondFactorAnswer } from '../second-factors/index.js';
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
  /** The account signed in to, for the known-device cookie. */
  account: PasswordAccount;
}

/** What the back office needs to know about the signed-in user and their organization. */
export async function identityOf(ctx: AppContext, who: BusinessUser, csrfToken: string, enrolmentRequired = false) {
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
    enrolmentRequired,
  };
}

/**
 * Checks a business user's e-mail and password under the sign-in limits (per account or known device, per address:
 * `limitedPasswordCheck`). A failure stays counted and, when the e-mail is a user's, is written to their
 * organization's audit log; it answers 401 whichever was wrong. On success an old password hash is upgraded. The
 * caller then starts the session and records the sign-in (`recordBusinessSignIn`).
 */
export async function checkBusinessSignIn(
  ctx: AppContext,
  input: Static<typeof SignInInput>,
  request: RequestInfo & { source: AttemptSource },
): Promise<AcceptedSignIn> {
  const { email, password, organization } = input;
  const account = businessAccount(email);
  const { user, right } = await limitedPasswordCheck(ctx, account, request.source, async () => {
    let query = ctx.db.kysely
      .selectFrom('users')
      .innerJoin('organizations', 'organizations.id', 'users.organizationId')
      .select(['users.id', 'users.organizationId', 'users.passwordHash'])
      .where('users.email', '=', email.toLowerCase())
      .where('users.disabledAt', 'is', null)
      .orderBy('users.createdAt')
      .limit(1);
    if (organization !== undefined) query = query.where('organizations.slug', '=', organization);
    const found = await query.executeTakeFirst();
    return { user: found, right: await verifyPassword(found?.passwordHash ?? null, password) };
  });
  const from = { ip: request.ip, userAgent: request.userAgent, at: ctx.now().toISOString() };
  if (!user || !right) {
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
  const rehash = await strongerHash(user.passwordHash, password);
  if (rehash) {
    await ctx.db.kysely
      .updateTable('users')
      .set({ passwordHash: rehash })
      .where('id', '=', user.id)
      .where('organizationId', '=', user.organizationId)
      .execute();
  }
  return { organizationId: user.organizationId, userId: user.id, from, account };
}

/** A sign-in completed with its second factor: who, as `checkBusinessSignIn` says it, to start the session with. */
export async function acceptedSecondFactor(
  ctx: AppContext,
  answer: SecondFactorAnswer,
  request: RequestInfo & { source: AttemptSource },
): Promise<AcceptedSignIn & { method: SignInMethod }> {
  const { owner, method } = await completeSignIn(ctx, 'business', null, answer, request);
  const user = await ctx.db.kysely
    .selectFrom('users')
    .select('email')
    .where('id', '=', owner.userId ?? '')
    .where('organizationId', '=', owner.organizationId)
    .where('disabledAt', 'is', null)
    .executeTakeFirst();
  if (!user) throw new AppError('unauthenticated', 'This sign-in has expired: sign in again.');
  return {
    organizationId: owner.organizationId,
    userId: owner.userId ?? '',
    from: { ip: request.ip, userAgent: request.userAgent, at: ctx.now().toISOString() },
    account: businessAccount(user.email),
    method,
  };
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
