import type { Static } from 'typebox';
import { requireAccessManager, requireAdmin } from '../../auth/business-guard.js';
import type { OrgScope } from '../../auth/scopes.js';
import type { SignInMethod } from '../../auth/sessions.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import { AppError, notFound } from '../../domain/errors.js';
import { enqueueTemplate } from '../../notify/outbox.js';
import { decryptSecret, encryptSecret } from '../../payments/secret-box.js';
import { recordAudit } from '../audit/index.js';
import { contactEmailLocale, contactName } from '../customers/index.js';
import { confirmedFactors, passkeysOf, secondFactorRequired } from './factors.js';
import { auditActor, type FactorOwner, personColumn, personId } from './owner.js';
import { registrationOptions, verifiedRegistration } from './passkeys.js';
import { recoveryCodesLeft, replaceRecoveryCodes } from './recovery-codes.js';
import type { RegisterPasskeyInput } from './schemas.js';
import { acceptedStep, newTotpSecret } from './totp.js';

/** Where a change came from, for the audit log. */
export interface RequestInfo {
  ip: string;
  userAgent: string | null;
}

/** How long a started enrolment (a TOTP secret not yet confirmed, a passkey challenge) waits. */
export const ENROLMENT_MINUTES = 15;

const presented = (factor: {
  id: string;
  kind: 'totp' | 'passkey';
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
}) => ({
  id: factor.id,
  kind: factor.kind,
  label: factor.label,
  createdAt: factor.createdAt,
  lastUsedAt: factor.lastUsedAt,
});

const event = (
  owner: FactorOwner,
  what: 'second_factor_enrolled' | 'second_factor_removed' | 'recovery_codes_created',
) => (owner.realm === 'business' ? (`business.${what}` as const) : (`portal.${what}` as const));

/** The person's e-mail and name and their organization's name: what authenticator apps and passkeys show. */
async function personOf(ctx: AppContext, owner: FactorOwner) {
  const org = await ctx.db.kysely
    .selectFrom('organizations')
    .select('name')
    .where('id', '=', owner.organizationId)
    .executeTakeFirstOrThrow();
  if (owner.userId !== null) {
    const user = await ctx.db.kysely
      .selectFrom('users')
      .select(['email', 'name'])
      .where('id', '=', owner.userId)
      .where('organizationId', '=', owner.organizationId)
      .executeTakeFirstOrThrow();
    return { email: user.email, displayName: user.name, organizationName: org.name };
  }
  const person = await ctx.db.kysely
    .selectFrom('contactPersons')
    .select(['email', 'firstName', 'lastName'])
    .where('id', '=', personId(owner))
    .where('organizationId', '=', owner.organizationId)
    .executeTakeFirstOrThrow();
  return { email: person.email ?? '', displayName: contactName(person), organizationName: org.name };
}

/** The person's confirmed factors, how many recovery codes are left, and whether their organization requires one. */
export async function listSecondFactors(ctx: AppContext, owner: FactorOwner) {
  const factors = await confirmedFactors(ctx.db.kysely, owner);
  return {
    data: factors.map(presented),
    recoveryCodesLeft: await recoveryCodesLeft(ctx.db.kysely, owner),
    required: await secondFactorRequired(ctx, owner),
  };
}

/** Starts a TOTP enrolment: a new secret, not counted until a first code confirms it. Older unconfirmed ones go. */
export async function startTotp(ctx: AppContext, owner: FactorOwner, label: string | undefined) {
  const person = await personOf(ctx, owner);
  const { secret, uri, qrCode } = await newTotpSecret(person.organizationName, person.email);
  const id = newId('sf');
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('secondFactors')
      .where(personColumn(owner), '=', personId(owner))
      .where('confirmedAt', 'is', null)
      .execute();
    await trx
      .insertInto('secondFactors')
      .values({
        id,
        organizationId: owner.organizationId,
        userId: owner.userId,
        contactPersonId: owner.contactPersonId,
        kind: 'totp',
        label: label ?? 'Authenticator app',
        secretSealed: encryptSecret(ctx.config.appSecret, owner.organizationId, secret),
        lastUsedStep: null,
        credentialId: null,
        publicKey: null,
        signCount: null,
        transports: null,
        confirmedAt: null,
        lastUsedAt: null,
        createdAt: ctx.now().toISOString(),
      })
      .execute();
  });
  return { id, secret, uri, qrCode };
}

/**
 * A factor now counts: it is confirmed, the audit log says so, the session that enrolled it is as strong as a
 * sign-in with it (the person just proved they hold it) and no longer enrolment-only, and a person's first factor
 * comes with their recovery codes, shown once.
 */
async function confirmFactor(
  ctx: AppContext,
  owner: FactorOwner,
  sessionId: string | undefined,
  factorId: string,
  method: SignInMethod,
  from: RequestInfo,
  changes: {
    lastUsedStep?: number;
    credential?: { id: string; publicKey: string; signCount: number; transports: string };
  },
) {
  const at = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const confirmed = await trx
      .updateTable('secondFactors')
      .set({
        confirmedAt: at,
        ...(changes.lastUsedStep !== undefined ? { lastUsedStep: changes.lastUsedStep, lastUsedAt: at } : {}),
        ...(changes.credential
          ? {
              credentialId: changes.credential.id,
              publicKey: changes.credential.publicKey,
              signCount: changes.credential.signCount,
              transports: changes.credential.transports,
            }
          : {}),
      })
      .where('id', '=', factorId)
      .where('confirmedAt', 'is', null)
      .executeTakeFirst();
    if (confirmed.numUpdatedRows !== 1n) throw new AppError('conflict', 'This factor is already set up.');
    const factor = await trx
      .selectFrom('secondFactors')
      .selectAll()
      .where('id', '=', factorId)
      .executeTakeFirstOrThrow();
    const codesLeft = await trx
      .selectFrom('recoveryCodes')
      .select('id')
      .where(personColumn(owner), '=', personId(owner))
      .where('usedAt', 'is', null)
      .executeTakeFirst();
    const recoveryCodes = codesLeft ? null : await replaceRecoveryCodes(ctx, trx, owner);
    if (sessionId !== undefined) {
      await trx
        .updateTable('sessions')
        .set({ authenticatedWith: method, authenticatedAt: at, enrolmentRequired: 0 })
        .where('id', '=', sessionId)
        .execute();
    }
    await recordAudit(trx, {
      organizationId: owner.organizationId,
      event: event(owner, 'second_factor_enrolled'),
      ...auditActor(owner),
      ...from,
      details: { kind: factor.kind, factorId },
      at,
    });
    if (recoveryCodes) {
      await recordAudit(trx, {
        organizationId: owner.organizationId,
        event: event(owner, 'recovery_codes_created'),
        ...auditActor(owner),
        ...from,
        at,
      });
    }
    return { factor: presented(factor), recoveryCodes };
  });
}

/** The first code from the app confirms a started TOTP enrolment; a wrong code changes nothing (400). */
export async function confirmTotp(
  ctx: AppContext,
  owner: FactorOwner,
  sessionId: string | undefined,
  factorId: string,
  code: string,
  from: RequestInfo,
) {
  const factor = await ctx.db.kysely
    .selectFrom('secondFactors')
    .select(['id', 'secretSealed', 'confirmedAt', 'createdAt'])
    .where('id', '=', factorId)
    .where('organizationId', '=', owner.organizationId)
    .where(personColumn(owner), '=', personId(owner))
    .where('kind', '=', 'totp')
    .executeTakeFirst();
  if (!factor || factor.secretSealed === null) throw notFound('second factor');
  if (factor.confirmedAt !== null) throw new AppError('conflict', 'This factor is already set up.');
  if (ctx.now().getTime() - Date.parse(factor.createdAt) > ENROLMENT_MINUTES * 60_000) {
    throw new AppError('conflict', 'This set-up has expired: start again.');
  }
  const step = acceptedStep(
    decryptSecret(ctx.config.appSecret, owner.organizationId, factor.secretSealed),
    code,
    ctx.now(),
  );
  if (step === null) {
    throw new AppError('validation_failed', 'The code is not right: enter the code the app shows now.', [
      { path: '/code', message: 'not the code the app shows now' },
    ]);
  }
  return confirmFactor(ctx, owner, sessionId, factor.id, 'password+totp', from, { lastUsedStep: step });
}

/** Starts a passkey enrolment: WebAuthn options for the browser; their challenge is kept for ENROLMENT_MINUTES. */
export async function passkeyRegistrationOptions(ctx: AppContext, owner: FactorOwner) {
  const person = await personOf(ctx, owner);
  const existing = passkeysOf(await confirmedFactors(ctx.db.kysely, owner));
  const options = await registrationOptions(ctx, { id: personId(owner), ...person }, existing);
  const now = ctx.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('secondFactorChallenges')
      .where(personColumn(owner), '=', personId(owner))
      .where('purpose', '=', 'passkey_enrolment')
      .execute();
    await trx
      .insertInto('secondFactorChallenges')
      .values({
        id: newId('sfc'),
        organizationId: owner.organizationId,
        realm: owner.realm,
        purpose: 'passkey_enrolment',
        userId: owner.userId,
        contactPersonId: owner.contactPersonId,
        email: person.email,
        challenge: options.challenge,
        expiresAt: new Date(now.getTime() + ENROLMENT_MINUTES * 60_000).toISOString(),
        createdAt: now.toISOString(),
      })
      .execute();
  });
  return options;
}

/** Registers the passkey the browser made for the kept challenge (used once); a wrong answer is a 400. */
export async function registerPasskey(
  ctx: AppContext,
  owner: FactorOwner,
  sessionId: string | undefined,
  input: Static<typeof RegisterPasskeyInput>,
  from: RequestInfo,
) {
  const pending = await ctx.db.kysely
    .selectFrom('secondFactorChallenges')
    .select(['id', 'challenge'])
    .where(personColumn(owner), '=', personId(owner))
    .where('organizationId', '=', owner.organizationId)
    .where('purpose', '=', 'passkey_enrolment')
    .where('expiresAt', '>', ctx.now().toISOString())
    .executeTakeFirst();
  if (!pending?.challenge) throw new AppError('conflict', 'Start adding the passkey again.');
  const passkey = await verifiedRegistration(ctx, input.credential, pending.challenge);
  if (!passkey) {
    throw new AppError('validation_failed', 'The passkey could not be checked: try again.', [
      { path: '/credential', message: 'not a valid answer to this set-up' },
    ]);
  }
  // The challenge is used once: of two answers to it at once, one registers.
  const used = await ctx.db.kysely.deleteFrom('secondFactorChallenges').where('id', '=', pending.id).executeTakeFirst();
  if (used.numDeletedRows !== 1n) throw new AppError('conflict', 'Start adding the passkey again.');
  const taken = await ctx.db.kysely
    .selectFrom('secondFactors')
    .select('id')
    .where('credentialId', '=', passkey.credentialId)
    .executeTakeFirst();
  if (taken) throw new AppError('conflict', 'This passkey is already set up.');
  const id = newId('sf');
  await ctx.db.kysely
    .insertInto('secondFactors')
    .values({
      id,
      organizationId: owner.organizationId,
      userId: owner.userId,
      contactPersonId: owner.contactPersonId,
      kind: 'passkey',
      label: input.label ?? 'Passkey',
      secretSealed: null,
      lastUsedStep: null,
      credentialId: null,
      publicKey: null,
      signCount: null,
      transports: null,
      confirmedAt: null,
      lastUsedAt: null,
      createdAt: ctx.now().toISOString(),
    })
    .execute();
  return confirmFactor(ctx, owner, sessionId, id, 'password+passkey', from, {
    credential: {
      id: passkey.credentialId,
      publicKey: passkey.publicKey,
      signCount: passkey.signCount,
      transports: JSON.stringify(passkey.transports),
    },
  });
}

/** Removes one of the person's factors; with the last one go the recovery codes (they would open nothing). */
export async function removeSecondFactor(ctx: AppContext, owner: FactorOwner, factorId: string, from: RequestInfo) {
  const at = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('secondFactors')
      .where('id', '=', factorId)
      .where('organizationId', '=', owner.organizationId)
      .where(personColumn(owner), '=', personId(owner))
      .where('confirmedAt', 'is not', null)
      .returning(['kind'])
      .executeTakeFirst();
    if (!removed) throw notFound('second factor');
    const left = await trx
      .selectFrom('secondFactors')
      .select('id')
      .where(personColumn(owner), '=', personId(owner))
      .where('confirmedAt', 'is not', null)
      .executeTakeFirst();
    if (!left) await trx.deleteFrom('recoveryCodes').where(personColumn(owner), '=', personId(owner)).execute();
    await recordAudit(trx, {
      organizationId: owner.organizationId,
      event: event(owner, 'second_factor_removed'),
      ...auditActor(owner),
      ...from,
      details: { kind: removed.kind, factorId },
      at,
    });
  });
}

/** New recovery codes replace the old ones (used or not); only for a person with a second factor. */
export async function newRecoveryCodes(ctx: AppContext, owner: FactorOwner, from: RequestInfo) {
  if ((await confirmedFactors(ctx.db.kysely, owner)).length === 0) {
    throw new AppError('conflict', 'Set up a second factor first: recovery codes stand in for one.');
  }
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const recoveryCodes = await replaceRecoveryCodes(ctx, trx, owner);
    await recordAudit(trx, {
      organizationId: owner.organizationId,
      event: event(owner, 'recovery_codes_created'),
      ...auditActor(owner),
      ...from,
      at: ctx.now().toISOString(),
    });
    return { recoveryCodes };
  });
}

/**
 * A contact person lost their device and their recovery codes: an owner or admin removes all their second factors
 * and recovery codes. Their sessions end, the audit log records it and the person is told by e-mail.
 */
export async function resetContactSecondFactors(
  ctx: AppContext,
  scope: OrgScope,
  customerId: string,
  contactPersonId: string,
  from: RequestInfo,
) {
  requireAdmin(scope);
  const person = await ctx.db.kysely
    .selectFrom('contactPersons')
    .innerJoin('customers', 'customers.id', 'contactPersons.customerId')
    .innerJoin('organizations', 'organizations.id', 'contactPersons.organizationId')
    .select([
      'contactPersons.id',
      'contactPersons.email',
      'contactPersons.firstName',
      'contactPersons.lastName',
      'organizations.name as organizationName',
      'organizations.slug',
      'organizations.timeZone',
    ])
    .where('contactPersons.id', '=', contactPersonId)
    .where('contactPersons.customerId', '=', customerId)
    .where('contactPersons.organizationId', '=', scope.organizationId)
    .where('contactPersons.deletedAt', 'is', null)
    .where('customers.deletedAt', 'is', null)
    .executeTakeFirst();
  if (!person) throw notFound('contact person');
  const locale = await contactEmailLocale(ctx.db.kysely, scope.organizationId, person.id);
  const now = ctx.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom('secondFactors').where('contactPersonId', '=', person.id).executeTakeFirst();
    await trx.deleteFrom('recoveryCodes').where('contactPersonId', '=', person.id).execute();
    await trx.deleteFrom('secondFactorChallenges').where('contactPersonId', '=', person.id).execute();
    await trx.deleteFrom('sessions').where('contactPersonId', '=', person.id).execute();
    await recordAudit(trx, {
      organizationId: scope.organizationId,
      event: 'portal.second_factors_reset',
      actorType: 'user',
      actorId: scope.userId ?? scope.apiKey?.actsForUserId ?? null,
      contactPersonId: person.id,
      ...from,
      details: { factorsRemoved: Number(removed.numDeletedRows) },
      at: now.toISOString(),
    });
    if (person.email) {
      await enqueueTemplate(trx, now, {
        organizationId: scope.organizationId,
        to: person.email,
        template: 'secondFactorsReset',
        data: {
          organizationName: person.organizationName,
          contactName: contactName(person),
          portalUrl: new URL(`/portal/${person.slug}/`, ctx.config.publicUrl).toString(),
          resetAt: now,
          timeZone: person.timeZone,
          locale,
        },
      });
    }
  });
}

/**
 * A user lost their device and their recovery codes: an owner or admin (or a key allowed to manage access) removes
 * all their second factors and recovery codes. Their sessions end, the audit log records it and the user is told by
 * e-mail, in the business's language (the organization's locale). Nobody removes their own this way (they use a
 * recovery code, or ask another admin).
 */
export async function resetUserSecondFactors(ctx: AppContext, scope: OrgScope, userId: string, from: RequestInfo) {
  requireAccessManager(scope);
  const user = await ctx.db.kysely
    .selectFrom('users')
    .innerJoin('organizations', 'organizations.id', 'users.organizationId')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'organizations.name as organizationName',
      'organizations.locale',
      'organizations.timeZone',
    ])
    .where('users.id', '=', userId)
    .where('users.organizationId', '=', scope.organizationId)
    .executeTakeFirst();
  if (!user) throw notFound('user');
  if (user.id === scope.userId) {
    throw new AppError('forbidden', 'Another owner or admin resets your second factors; or use a recovery code.');
  }
  const actorId = scope.userId ?? scope.apiKey?.actsForUserId ?? null;
  const actor = actorId
    ? await ctx.db.kysely
        .selectFrom('users')
        .select('name')
        .where('id', '=', actorId)
        .where('organizationId', '=', scope.organizationId)
        .executeTakeFirst()
    : undefined;
  const now = ctx.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom('secondFactors').where('userId', '=', user.id).executeTakeFirst();
    await trx.deleteFrom('recoveryCodes').where('userId', '=', user.id).execute();
    await trx.deleteFrom('secondFactorChallenges').where('userId', '=', user.id).execute();
    await trx.deleteFrom('sessions').where('userId', '=', user.id).execute();
    await recordAudit(trx, {
      organizationId: scope.organizationId,
      event: 'business.second_factors_reset',
      actorType: 'user',
      actorId,
      ...from,
      details: { userId: user.id, factorsRemoved: Number(removed.numDeletedRows) },
      at: now.toISOString(),
    });
    await enqueueTemplate(trx, now, {
      organizationId: scope.organizationId,
      to: user.email,
      template: 'userSecondFactorsReset',
      data: {
        organizationName: user.organizationName,
        userName: user.name,
        resetBy: actor?.name ?? user.organizationName,
        backOfficeUrl: new URL('/app/', ctx.config.publicUrl).toString(),
        resetAt: now,
        timeZone: user.timeZone,
        locale: user.locale,
      },
    });
  });
}
