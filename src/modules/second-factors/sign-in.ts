import type { Realm, SignInMethod } from '../../auth/sessions.js';
import { type AttemptSource, businessAccount, limitedPasswordCheck, portalAccount } from '../../auth/sign-in-limits.js';
import { hashToken, newSecretToken } from '../../auth/tokens.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../domain/errors.js';
import { decryptSecret } from '../../payments/secret-box.js';
import { recordAudit } from '../audit/index.js';
import { confirmedFactors, passkeysOf, secondFactorRequired } from './factors.js';
import { auditActor, type FactorOwner } from './owner.js';
import { authenticationOptions, credentialIdOf, verifiedAuthentication } from './passkeys.js';
import { recoveryCodesLeft, spendRecoveryCode } from './recovery-codes.js';
import { acceptedStep } from './totp.js';

/**
 * The step between a right password and a session (docs/second-factors.md). A person with a second factor gets a
 * pending sign-in instead of a session: a random token (stored as its SHA-256) that can do one thing — be
 * completed with a TOTP code, a passkey or a recovery code — for PENDING_MINUTES. Each try is throttled like a
 * password (`limitedPasswordCheck`: the account's budget — a second-factor budget of its own — and the address's),
 * and the pending sign-in is used once.
 */
const PENDING_MINUTES = 5;

export type FactorMethod = 'totp' | 'passkey' | 'recovery_code';

/** Where a sign-in comes from: the throttles' source and the audit's address and browser. */
export interface SignInRequest {
  source: AttemptSource;
  ip: string;
  userAgent: string | null;
}

export type AfterPassword =
  | { kind: 'second_factor'; token: string; methods: FactorMethod[]; expiresAt: string }
  | { kind: 'session'; enrolmentRequired: boolean };

/** After the password was right: ask for the second factor, or start a session (enrolment-only when required). */
export async function afterPassword(ctx: AppContext, owner: FactorOwner, email: string): Promise<AfterPassword> {
  const factors = await confirmedFactors(ctx.db.kysely, owner);
  if (factors.length === 0) return { kind: 'session', enrolmentRequired: await secondFactorRequired(ctx, owner) };
  const token = newSecretToken();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + PENDING_MINUTES * 60_000).toISOString();
  await ctx.db.kysely
    .insertInto('secondFactorChallenges')
    .values({
      id: hashToken(token),
      organizationId: owner.organizationId,
      realm: owner.realm,
      purpose: 'sign_in',
      userId: owner.userId,
      contactPersonId: owner.contactPersonId,
      email: email.toLowerCase(),
      challenge: null,
      expiresAt,
      createdAt: now.toISOString(),
    })
    .execute();
  const methods: FactorMethod[] = [];
  if (factors.some((factor) => factor.kind === 'totp')) methods.push('totp');
  if (factors.some((factor) => factor.kind === 'passkey')) methods.push('passkey');
  if ((await recoveryCodesLeft(ctx.db.kysely, owner)) > 0) methods.push('recovery_code');
  return { kind: 'second_factor', token, methods, expiresAt };
}

/** Whether a session signed in to without a second factor may only enrol one (required, and the person has none). */
export async function enrolmentRequiredOf(ctx: AppContext, owner: FactorOwner): Promise<boolean> {
  if ((await confirmedFactors(ctx.db.kysely, owner)).length > 0) return false;
  return secondFactorRequired(ctx, owner);
}

const expired = () => new AppError('unauthenticated', 'This sign-in has expired: sign in again.');

/** The pending sign-in behind a token, of this realm (and portal), while it lasts. */
async function pendingSignIn(ctx: AppContext, realm: Realm, organizationId: string | null, token: string) {
  let query = ctx.db.kysely
    .selectFrom('secondFactorChallenges')
    .selectAll()
    .where('id', '=', hashToken(token))
    .where('realm', '=', realm)
    .where('purpose', '=', 'sign_in')
    .where('expiresAt', '>', ctx.now().toISOString());
  if (organizationId !== null) query = query.where('organizationId', '=', organizationId);
  const pending = await query.executeTakeFirst();
  if (!pending) throw expired();
  const owner: FactorOwner = {
    realm,
    organizationId: pending.organizationId,
    userId: pending.userId,
    contactPersonId: pending.contactPersonId,
  };
  return { pending, owner };
}

/** The WebAuthn options for signing in with one of the pending person's passkeys; keeps their challenge. */
export async function passkeySignInOptions(
  ctx: AppContext,
  realm: Realm,
  organizationId: string | null,
  token: string,
) {
  const { pending, owner } = await pendingSignIn(ctx, realm, organizationId, token);
  const passkeys = passkeysOf(await confirmedFactors(ctx.db.kysely, owner));
  if (passkeys.length === 0) throw new AppError('conflict', 'No passkey is set up for this account.');
  const options = await authenticationOptions(ctx, passkeys);
  await ctx.db.kysely
    .updateTable('secondFactorChallenges')
    .set({ challenge: options.challenge })
    .where('id', '=', pending.id)
    .execute();
  return options;
}

export type SecondFactorAnswer =
  | { token: string; method: 'totp'; code: string }
  | { token: string; method: 'recovery_code'; code: string }
  | { token: string; method: 'passkey'; credential: unknown };

/** Whether a TOTP code is right for one of the owner's TOTP factors, at a time step none of them accepted yet. */
async function rightTotp(ctx: AppContext, owner: FactorOwner, code: string): Promise<boolean> {
  const now = ctx.now();
  for (const factor of await confirmedFactors(ctx.db.kysely, owner)) {
    if (factor.kind !== 'totp' || factor.secretSealed === null) continue;
    const step = acceptedStep(
      decryptSecret(ctx.config.appSecret, owner.organizationId, factor.secretSealed),
      code,
      now,
    );
    if (step === null) continue;
    // One statement both checks and records the step: the same code sent twice at once passes once.
    const used = await ctx.db.kysely
      .updateTable('secondFactors')
      .set({ lastUsedStep: step, lastUsedAt: now.toISOString() })
      .where('id', '=', factor.id)
      .where((eb) => eb.or([eb('lastUsedStep', 'is', null), eb('lastUsedStep', '<', step)]))
      .executeTakeFirst();
    return used.numUpdatedRows === 1n;
  }
  return false;
}

async function rightPasskey(
  ctx: AppContext,
  owner: FactorOwner,
  challenge: string | null,
  credential: unknown,
): Promise<boolean> {
  const credentialId = credentialIdOf(credential);
  if (challenge === null || credentialId === null) return false;
  const factor = (await confirmedFactors(ctx.db.kysely, owner)).find((f) => f.credentialId === credentialId);
  const [passkey] = factor ? passkeysOf([factor]) : [];
  if (!factor || !passkey) return false;
  const newCounter = await verifiedAuthentication(ctx, credential, challenge, passkey);
  if (newCounter === null) return false;
  await ctx.db.kysely
    .updateTable('secondFactors')
    .set({ signCount: newCounter, lastUsedAt: ctx.now().toISOString() })
    .where('id', '=', factor.id)
    .execute();
  return true;
}

/**
 * Completes a pending sign-in with its second factor, throttled like a password. A wrong answer is audited and
 * answers 401; a right one uses the pending sign-in up (a second use answers 401) and returns who signed in and how.
 */
export async function completeSignIn(
  ctx: AppContext,
  realm: Realm,
  organizationId: string | null,
  answer: SecondFactorAnswer,
  request: SignInRequest,
): Promise<{ owner: FactorOwner; method: SignInMethod }> {
  const { pending, owner } = await pendingSignIn(ctx, realm, organizationId, answer.token);
  // A budget of its own: a right password forgives the password's failures, and must not forgive guesses of codes.
  const budget = `${pending.email}#second-factor`;
  const account = realm === 'business' ? businessAccount(budget) : portalAccount(owner.organizationId, budget);
  const { right } = await limitedPasswordCheck(ctx, account, request.source, async () => {
    if (answer.method === 'totp') return { right: await rightTotp(ctx, owner, answer.code) };
    if (answer.method === 'recovery_code') return { right: await spendRecoveryCode(ctx, owner, answer.code) };
    return { right: await rightPasskey(ctx, owner, pending.challenge, answer.credential) };
  });
  const at = ctx.now().toISOString();
  const audit = {
    organizationId: owner.organizationId,
    ...auditActor(owner),
    ip: request.ip,
    userAgent: request.userAgent,
    details: { method: answer.method },
    at,
  };
  if (!right) {
    // Nobody proved who they are yet: anonymous, with the user (or contact person) the attempt was at.
    await recordAudit(ctx.db.kysely, {
      ...audit,
      actorType: 'anonymous',
      actorId: null,
      details: { method: answer.method, ...(owner.userId !== null ? { userId: owner.userId } : {}) },
      event: realm === 'business' ? 'business.second_factor_failed' : 'portal.second_factor_failed',
    });
    throw new AppError('unauthenticated', 'That did not work: check the code and try again.');
  }
  const used = await ctx.db.kysely.deleteFrom('secondFactorChallenges').where('id', '=', pending.id).executeTakeFirst();
  if (used.numDeletedRows !== 1n) throw expired();
  await recordAudit(ctx.db.kysely, {
    ...audit,
    event: realm === 'business' ? 'business.second_factor_used' : 'portal.second_factor_used',
  });
  return { owner, method: `password+${answer.method}` };
}
