import type { FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import { checkNewPassword, PASSWORD_DEFAULT_MIN } from '../../auth/password-policy.js';
import { hashPassword } from '../../auth/passwords.js';
import {
  accountThrottleKey,
  clearFailures,
  forgiveAttempt,
  ipThrottleKey,
  reserveAttempt,
  resetMailThrottleKey,
  tryReserveAttempt,
} from '../../auth/throttle.js';
import { hashToken, newSecretToken } from '../../auth/tokens.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { AppError, invalid } from '../../domain/errors.js';
import { enqueueTemplate } from '../../notify/outbox.js';
import { recordAudit } from '../audit/index.js';
import type { BusinessUser } from './service.js';

/**
 * "Forgot password" for business users, as the portal's (modules/portal-auth): the same answer whether or not the
 * e-mail is a user's; at most 3 reset e-mails an hour to one mailbox, 20 requests an hour from one address; a link
 * is single use (a compare-and-set on `used_at`), expires after an hour and is stored as its SHA-256 only. A reset
 * ends every session of the user and is audited. The e-mail names one account in each organization it has one in.
 */

/** How long a reset link works. */
const RESET_LIFETIME_MS = 3_600_000;
const BAD_LINK = 'This link is invalid or has expired. Ask for a new one.';

const requestInfo = (request: FastifyRequest) => ({
  ip: request.ip,
  userAgent: (request.headers['user-agent'] ?? '').slice(0, 300) || null,
});

/** Issues a reset link for one user, voiding their unused ones, and returns its token (never stored). */
async function issueResetToken(
  ctx: AppContext,
  trx: Transaction<Database>,
  user: BusinessUser,
  now: Date,
): Promise<string> {
  // PostgreSQL: the user's row is locked first, so requests at once issue one after the other and each voids the
  // links before it (otherwise none sees the others' uncommitted links and several stay usable). SQLite has one
  // writer.
  await trx
    .selectFrom('users')
    .select('id')
    .where('id', '=', user.userId)
    .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
    .execute();
  const token = newSecretToken();
  await trx.deleteFrom('userPasswordResets').where('userId', '=', user.userId).where('usedAt', 'is', null).execute();
  await trx
    .insertInto('userPasswordResets')
    .values({
      id: newId('tok'),
      organizationId: user.organizationId,
      userId: user.userId,
      tokenHash: hashToken(token),
      expiresAt: new Date(now.getTime() + RESET_LIFETIME_MS).toISOString(),
      usedAt: null,
      createdAt: now.toISOString(),
    })
    .execute();
  return token;
}

/** Forgot password: e-mails a reset link to each enabled user with this e-mail; answers nothing either way. */
export async function requestBusinessPasswordReset(ctx: AppContext, request: FastifyRequest, email: string) {
  // Every request spends the address's budget, reserved before anything is looked up: this route sends e-mail.
  await reserveAttempt(ctx, [ipThrottleKey('business', 'forgot', request.ip)]);
  // And each mailbox gets a few an hour; past that the answer is the same and nothing is sent (nor looked up).
  if ((await tryReserveAttempt(ctx, [resetMailThrottleKey('business', null, email)])) !== null) return;
  const users = await ctx.db.kysely
    .selectFrom('users')
    .innerJoin('organizations', 'organizations.id', 'users.organizationId')
    .select(['users.id', 'users.organizationId', 'users.name', 'users.email', 'organizations.name as organizationName'])
    .where('users.email', '=', email.toLowerCase())
    .where('users.disabledAt', 'is', null)
    .orderBy('users.createdAt')
    .execute();
  const now = ctx.now();
  for (const user of users) {
    await ctx.db.kysely.transaction().execute(async (trx) => {
      const token = await issueResetToken(ctx, trx, { organizationId: user.organizationId, userId: user.id }, now);
      await enqueueTemplate(trx, now, {
        organizationId: user.organizationId,
        to: user.email,
        template: 'businessPasswordReset',
        data: {
          organizationName: user.organizationName,
          userName: user.name,
          resetUrl: new URL(`/app/reset-password#token=${token}`, ctx.config.publicUrl).toString(),
          expiresInMinutes: RESET_LIFETIME_MS / 60_000,
        },
      });
      await recordAudit(trx, {
        organizationId: user.organizationId,
        event: 'business.password_reset_requested',
        actorType: 'anonymous',
        details: { userId: user.id },
        ...requestInfo(request),
        at: now.toISOString(),
      });
    });
  }
}

/**
 * Reset with a link's token: a new password for its user, every session of theirs ended, the failed sign-ins
 * forgotten (a locked-out user can always get back in this way). Wrong, used and expired tokens are counted on the
 * address like failed sign-ins; two requests with one token cannot both win. Returns the user, to sign them in.
 */
export async function resetBusinessPassword(
  ctx: AppContext,
  request: FastifyRequest,
  input: { token: string; password: string },
): Promise<BusinessUser & { email: string }> {
  const ipKey = ipThrottleKey('business', 'reset', request.ip);
  await reserveAttempt(ctx, [ipKey]);
  const now = ctx.now().toISOString();
  let user: BusinessUser & { email: string };
  try {
    // Hashed before the link is used and outside the transaction: a busy server (503) leaves the link usable.
    const passwordHash = await hashPassword(input.password);
    user = await ctx.db.kysely.transaction().execute(async (trx) => {
      const link = await trx
        .updateTable('userPasswordResets')
        .set({ usedAt: now })
        .where('tokenHash', '=', hashToken(input.token))
        .where('usedAt', 'is', null)
        .where('expiresAt', '>', now)
        .returning(['userId', 'organizationId'])
        .executeTakeFirst();
      if (!link) throw invalid('/token', BAD_LINK);
      const found = await trx
        .selectFrom('users')
        .select(['id', 'email', 'disabledAt'])
        .where('id', '=', link.userId)
        .where('organizationId', '=', link.organizationId)
        .executeTakeFirst();
      if (!found || found.disabledAt !== null) throw invalid('/token', BAD_LINK);
      checkNewPassword(input.password, { minLength: PASSWORD_DEFAULT_MIN, context: [found.email.split('@')[0] ?? ''] });
      await trx
        .updateTable('users')
        .set({ passwordHash, updatedAt: now })
        .where('id', '=', found.id)
        .where('organizationId', '=', link.organizationId)
        .execute();
      await trx.deleteFrom('sessions').where('userId', '=', found.id).execute();
      await recordAudit(trx, {
        organizationId: link.organizationId,
        event: 'business.password_reset',
        actorType: 'user',
        actorId: found.id,
        ...requestInfo(request),
        at: now,
      });
      return { organizationId: link.organizationId, userId: found.id, email: found.email };
    });
  } catch (error) {
    // A bad link stays counted on the address; anything else (a weak password, a busy server) is given back.
    const badLink = error instanceof AppError && error.errors.some((e) => e.path === '/token');
    if (!badLink) await forgiveAttempt(ctx, { clear: [], giveBack: [ipKey] });
    throw error;
  }
  await forgiveAttempt(ctx, { clear: [], giveBack: [ipKey] });
  await clearFailures(ctx, [accountThrottleKey('business', null, user.email)]);
  return { organizationId: user.organizationId, userId: user.userId, email: user.email };
}
