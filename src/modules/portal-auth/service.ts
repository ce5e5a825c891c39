import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import {
  consumeAccessToken,
  issueAccessToken,
  TOKEN_LIFETIME_MS,
  usableAccessToken,
} from '../../auth/access-tokens.js';
import { checkNewPassword } from '../../auth/password-policy.js';
import { hashPassword, strongerHash, verifyPassword } from '../../auth/passwords.js';
import type { PortalOrganization } from '../../auth/portal-guard.js';
import type { PortalScope } from '../../auth/scopes.js';
import { type SignInMethod, startSession } from '../../auth/sessions.js';
import { attemptSourceOf, limitedPasswordCheck, portalAccount, rememberDevice } from '../../auth/sign-in-limits.js';
import {
  accountThrottleKey,
  clearFailures,
  forgiveAttempt,
  ipThrottleKey,
  reserveAttempt,
  resetMailThrottleKey,
  type ThrottledAction,
  tryReserveAttempt,
} from '../../auth/throttle.js';
import type { AppContext } from '../../context.js';
import type { Database } from '../../db/schema.js';
import { AppError, invalid } from '../../domain/errors.js';
import { isLanguage } from '../../domain/languages.js';
import { enqueueTemplate } from '../../notify/outbox.js';
import { onlinePaymentsOf } from '../../payments/gateway-config.js';
import { recordAudit } from '../audit/index.js';
import { contactEmailLocale, contactName } from '../customers/index.js';
import { loadPortalSettings, portalUrlOf } from '../portal-settings/index.js';
import {
  afterPassword,
  completeSignIn,
  contactOwner,
  enrolmentRequiredOf,
  type SecondFactorAnswer,
} from '../second-factors/index.js';

const accountKey = (org: PortalOrganization, email: string) => accountThrottleKey('portal', org.id, email);
const ipKey = (action: ThrottledAction, ip: string) => ipThrottleKey('portal', action, ip);

const requestInfo = (request: FastifyRequest) => ({
  ip: request.ip,
  userAgent: (request.headers['user-agent'] ?? '').slice(0, 300) || null,
});

/** A contact person of this organization whose access is active, found by e-mail; null when there is none. */
async function activeContactByEmail(ctx: AppContext, org: PortalOrganization, email: string) {
  return (
    (await ctx.db.kysely
      .selectFrom('contactPersons')
      .innerJoin('customers', 'customers.id', 'contactPersons.customerId')
      .select([
        'contactPersons.id',
        'contactPersons.firstName',
        'contactPersons.lastName',
        'contactPersons.email',
        'contactPersons.passwordHash',
      ])
      .where('contactPersons.organizationId', '=', org.id)
      .where('contactPersons.email', '=', email.toLowerCase())
      .where('contactPersons.portalStatus', '=', 'active')
      .where('contactPersons.deletedAt', 'is', null)
      .where('customers.deletedAt', 'is', null)
      .executeTakeFirst()) ?? null
  );
}

/** A contact person of this organization whose access is active, by id; null when there is none. */
async function activeContactById(ctx: AppContext, org: PortalOrganization, contactPersonId: string) {
  return (
    (await ctx.db.kysely
      .selectFrom('contactPersons')
      .innerJoin('customers', 'customers.id', 'contactPersons.customerId')
      .select(['contactPersons.id', 'contactPersons.email'])
      .where('contactPersons.organizationId', '=', org.id)
      .where('contactPersons.id', '=', contactPersonId)
      .where('contactPersons.portalStatus', '=', 'active')
      .where('contactPersons.deletedAt', 'is', null)
      .where('customers.deletedAt', 'is', null)
      .executeTakeFirst()) ?? null
  );
}

/** What the portal app needs to know about the signed-in person, their customer and the portal. */
export async function portalIdentity(
  ctx: AppContext,
  scope: PortalScope,
  csrfToken: string,
  enrolmentRequired = false,
) {
  const row = await ctx.db.kysely
    .selectFrom('contactPersons')
    .innerJoin('customers', 'customers.id', 'contactPersons.customerId')
    .innerJoin('organizations', 'organizations.id', 'contactPersons.organizationId')
    .select([
      'contactPersons.id',
      'contactPersons.firstName',
      'contactPersons.lastName',
      'contactPersons.email',
      'contactPersons.language',
      'customers.id as customerId',
      'customers.displayName as customerName',
      'organizations.name as organizationName',
      'organizations.slug',
      'organizations.baseCurrency',
      'organizations.locale',
      'organizations.timeZone',
    ])
    .where('contactPersons.id', '=', scope.contactPersonId)
    .where('contactPersons.organizationId', '=', scope.organizationId)
    .executeTakeFirstOrThrow();
  const settings = await loadPortalSettings(ctx.db.kysely, scope.organizationId);
  return {
    contactPerson: {
      id: row.id,
      name: contactName(row),
      email: row.email ?? '',
      language: isLanguage(row.language) ? row.language : null,
    },
    customer: { id: row.customerId, name: row.customerName },
    organization: {
      name: row.organizationName,
      portalName: row.slug,
      currency: row.baseCurrency,
      locale: row.locale,
      timeZone: row.timeZone,
    },
    settings: {
      banner: settings.banner,
      allowEditingDetails: settings.allowEditingDetails,
      allowForwarding: settings.allowForwarding,
      reviews: settings.reviews,
      showProjects: settings.showProjects,
      quoteRequests: settings.quoteRequests,
      passwordMinLength: settings.passwordMinLength,
      onlinePayments: await onlinePaymentsOf(ctx, scope.organizationId),
    },
    csrfToken,
    enrolmentRequired,
  };
}

async function signInAs(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  org: PortalOrganization,
  contactPersonId: string,
  email: string | null,
  signedInWith: SignInMethod,
) {
  const owner = contactOwner({ organizationId: org.id, contactPersonId });
  const enrolmentRequired = signedInWith.startsWith('password+') ? false : await enrolmentRequiredOf(ctx, owner);
  const { csrfToken } = await startSession(ctx, request, reply, 'portal', {
    organizationId: org.id,
    contactPersonId,
    signedInWith,
    enrolmentRequired,
  });
  if (email) rememberDevice(ctx, reply, portalAccount(org.id, email), attemptSourceOf(ctx, request, 'portal'));
  const customer = await ctx.db.kysely
    .selectFrom('contactPersons')
    .select('customerId')
    .where('id', '=', contactPersonId)
    .executeTakeFirstOrThrow();
  return portalIdentity(
    ctx,
    { organizationId: org.id, customerId: customer.customerId, contactPersonId },
    csrfToken,
    enrolmentRequired,
  );
}

/**
 * E-mail + password on the organization's portal. Unknown e-mails cost the same password verification as known
 * ones and get the same answer; every attempt is limited per account (or known device) and per address
 * (`limitedPasswordCheck`), and a failure stays counted.
 */
export async function logIn(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  org: PortalOrganization,
  credentials: { email: string; password: string },
) {
  const source = attemptSourceOf(ctx, request, 'portal');
  const { person, right } = await limitedPasswordCheck(
    ctx,
    portalAccount(org.id, credentials.email),
    source,
    async () => {
      const found = await activeContactByEmail(ctx, org, credentials.email);
      return { person: found, right: await verifyPassword(found?.passwordHash ?? null, credentials.password) };
    },
  );
  const at = ctx.now().toISOString();
  if (!person || !right) {
    if (person) {
      await recordAudit(ctx.db.kysely, {
        organizationId: org.id,
        event: 'portal.login_failed',
        actorType: 'anonymous',
        contactPersonId: person.id,
        ...requestInfo(request),
        at,
      });
    }
    throw new AppError('unauthenticated', 'The e-mail or password is not right.');
  }
  const rehash = await strongerHash(person.passwordHash, credentials.password);
  if (rehash) {
    await ctx.db.kysely
      .updateTable('contactPersons')
      .set({ passwordHash: rehash })
      .where('id', '=', person.id)
      .execute();
  }
  const next = await afterPassword(
    ctx,
    contactOwner({ organizationId: org.id, contactPersonId: person.id }),
    credentials.email,
  );
  if (next.kind === 'second_factor') {
    return { secondFactor: { token: next.token, methods: next.methods, expiresAt: next.expiresAt } };
  }
  return signedIn(ctx, request, reply, org, person.id, person.email, 'password');
}

/** A sign-in is complete: the person's last sign-in, the audit log, and the session. */
async function signedIn(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  org: PortalOrganization,
  contactPersonId: string,
  email: string | null,
  signedInWith: SignInMethod,
) {
  const at = ctx.now().toISOString();
  await ctx.db.kysely
    .updateTable('contactPersons')
    .set({ lastLoginAt: at })
    .where('id', '=', contactPersonId)
    .execute();
  await recordAudit(ctx.db.kysely, {
    organizationId: org.id,
    event: 'portal.login_succeeded',
    actorType: 'contact_person',
    actorId: contactPersonId,
    contactPersonId,
    ...requestInfo(request),
    at,
  });
  return signInAs(ctx, request, reply, org, contactPersonId, email, signedInWith);
}

/** Completes a pending portal sign-in with its second factor (throttled like a password) and starts the session. */
export async function logInWithSecondFactor(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  org: PortalOrganization,
  answer: SecondFactorAnswer,
) {
  const { owner, method } = await completeSignIn(ctx, 'portal', org.id, answer, {
    source: attemptSourceOf(ctx, request, 'portal'),
    ...requestInfo(request),
  });
  const person = await activeContactById(ctx, org, owner.contactPersonId ?? '');
  if (!person) throw new AppError('unauthenticated', 'This sign-in has expired: sign in again.');
  return signedIn(ctx, request, reply, org, person.id, person.email, method);
}

/** Reads with the caller's transaction when there is one: on SQLite a second connection would wait forever. */
async function personForPassword(db: Kysely<Database> | Transaction<Database>, contactPersonId: string) {
  return db
    .selectFrom('contactPersons')
    .select(['id', 'firstName', 'lastName', 'email', 'portalStatus', 'passwordHash', 'deletedAt'])
    .where('id', '=', contactPersonId)
    .executeTakeFirstOrThrow();
}

function passwordContext(org: PortalOrganization, email: string | null): string[] {
  return [org.name, ...(email ? [email.split('@')[0] ?? ''] : [])].filter((word) => word.length >= 4);
}

/**
 * Whether a link (invitation or reset) can still be used, asked when its page opens: a used or expired link says so
 * before asking for a password. Read only — the link stays usable — and counted on the address like a use when
 * it is not valid, so it is no better an oracle than using the link.
 */
export async function checkLink(
  ctx: AppContext,
  request: FastifyRequest,
  org: PortalOrganization,
  input: { token: string; purpose: 'invitation' | 'password_reset' },
): Promise<void> {
  const action = input.purpose === 'invitation' ? 'accept' : 'reset';
  await tokenAttempt(ctx, ipKey(action, request.ip), async () => {
    const link = await usableAccessToken(ctx.db.kysely, { organizationId: org.id, ...input, now: ctx.now() });
    const person = link && (await personForPassword(ctx.db.kysely, link.contactPersonId));
    // The same rules as using the link: an invitation for a person who may sign in, a reset for an active one.
    const usable =
      person !== undefined &&
      person.deletedAt === null &&
      (input.purpose === 'invitation'
        ? person.portalStatus === 'invited' || person.portalStatus === 'active'
        : person.portalStatus === 'active');
    if (!usable) throw invalid('/token', 'This link has been used or has expired.');
  });
}

/** Accepting an invitation: the link's token creates the password and signs the person in. */
export async function acceptInvitation(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  org: PortalOrganization,
  input: { token: string; password: string },
) {
  const now = ctx.now();
  const contactPersonId = await tokenAttempt(ctx, ipKey('accept', request.ip), async () => {
    // Hashed before the link is used and outside the transaction: a busy server (503) leaves the link usable.
    const passwordHash = await hashPassword(input.password);
    return ctx.db.kysely.transaction().execute(async (trx) => {
      const { contactPersonId: id } = await consumeAccessToken(trx, {
        organizationId: org.id,
        purpose: 'invitation',
        token: input.token,
        now,
      });
      const person = await personForPassword(trx, id);
      if (person.deletedAt !== null || person.portalStatus === 'disabled' || person.portalStatus === 'none') {
        throw invalid('/token', 'This link is invalid or has expired. Ask for a new one.');
      }
      checkNewPassword(input.password, {
        minLength: org.passwordMinLength,
        context: passwordContext(org, person.email),
      });
      await trx
        .updateTable('contactPersons')
        .set({
          passwordHash,
          portalStatus: 'active',
          portalActivatedAt: now.toISOString(),
          updatedAt: now.toISOString(),
        })
        .where('id', '=', id)
        .execute();
      await trx.deleteFrom('sessions').where('contactPersonId', '=', id).execute();
      await recordAudit(trx, {
        organizationId: org.id,
        event: 'portal.invitation_accepted',
        actorType: 'contact_person',
        actorId: id,
        contactPersonId: id,
        ...requestInfo(request),
        at: now.toISOString(),
      });
      return id;
    });
  });
  const person = await personForPassword(ctx.db.kysely, contactPersonId);
  return signInAfterLink(ctx, request, reply, org, contactPersonId, person.email);
}

/**
 * Forgot password: always the same answer, whether or not the e-mail has an account. When it has, a reset link
 * (single use, 1 hour) goes out through the outbox — at most 3 an hour to one mailbox.
 */
export async function requestPasswordReset(
  ctx: AppContext,
  request: FastifyRequest,
  org: PortalOrganization,
  email: string,
) {
  // Every request spends the address's budget, reserved before anything is looked up: this route sends e-mail.
  await reserveAttempt(ctx, [ipKey('forgot', request.ip)]);
  // And each mailbox gets a few an hour; past that the answer is the same and nothing is sent (nor looked up).
  if ((await tryReserveAttempt(ctx, [resetMailThrottleKey('portal', org.id, email)])) !== null) return;
  const person = await activeContactByEmail(ctx, org, email);
  if (!person?.email) return;
  const now = ctx.now();
  const to = person.email;
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const token = await issueAccessToken(trx, {
      organizationId: org.id,
      contactPersonId: person.id,
      purpose: 'password_reset',
      now,
    });
    await enqueueTemplate(trx, now, {
      organizationId: org.id,
      to,
      template: 'passwordReset',
      data: {
        organizationName: org.name,
        contactName: contactName(person),
        resetUrl: `${portalUrlOf(ctx, org.slug)}reset-password#token=${token}`,
        expiresInMinutes: TOKEN_LIFETIME_MS.password_reset / 60_000,
        locale: await contactEmailLocale(trx, org.id, person.id),
      },
    });
    await recordAudit(trx, {
      organizationId: org.id,
      event: 'portal.password_reset_requested',
      actorType: 'anonymous',
      contactPersonId: person.id,
      ...requestInfo(request),
      at: now.toISOString(),
    });
  });
}

/** Writes a new password's hash in the caller's transaction: the person's other sessions end, they are told. */
async function setPassword(
  ctx: AppContext,
  trx: Transaction<Database>,
  request: FastifyRequest,
  org: PortalOrganization,
  person: { id: string; firstName: string; lastName: string | null; email: string | null },
  passwordHash: string,
  event: 'portal.password_reset' | 'portal.password_changed',
  keepSessionId: string | null,
) {
  const now = ctx.now();
  await trx
    .updateTable('contactPersons')
    .set({ passwordHash, updatedAt: now.toISOString() })
    .where('id', '=', person.id)
    .execute();
  let ended = trx.deleteFrom('sessions').where('contactPersonId', '=', person.id);
  if (keepSessionId) ended = ended.where('id', '!=', keepSessionId);
  await ended.execute();
  if (person.email) {
    await enqueueTemplate(trx, now, {
      organizationId: org.id,
      to: person.email,
      template: 'passwordChanged',
      data: {
        organizationName: org.name,
        contactName: contactName(person),
        portalUrl: portalUrlOf(ctx, org.slug),
        changedAt: now.toISOString(),
        locale: await contactEmailLocale(trx, org.id, person.id),
      },
    });
  }
  await recordAudit(trx, {
    organizationId: org.id,
    event,
    actorType: 'contact_person',
    actorId: person.id,
    contactPersonId: person.id,
    ...requestInfo(request),
    at: now.toISOString(),
  });
}

/** Reset with the link's token: a locked-out account can always get back in this way. Ends every session. */
export async function resetPassword(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  org: PortalOrganization,
  input: { token: string; password: string },
) {
  const now = ctx.now();
  const person = await tokenAttempt(ctx, ipKey('reset', request.ip), async () => {
    // Hashed before the link is used: a busy server (503) leaves the link usable.
    const passwordHash = await hashPassword(input.password);
    return ctx.db.kysely.transaction().execute(async (trx) => {
      const { contactPersonId: id } = await consumeAccessToken(trx, {
        organizationId: org.id,
        purpose: 'password_reset',
        token: input.token,
        now,
      });
      const found = await personForPassword(trx, id);
      if (found.deletedAt !== null || found.portalStatus !== 'active') {
        throw invalid('/token', 'This link is invalid or has expired. Ask for a new one.');
      }
      checkNewPassword(input.password, {
        minLength: org.passwordMinLength,
        context: passwordContext(org, found.email),
      });
      await setPassword(ctx, trx, request, org, found, passwordHash, 'portal.password_reset', null);
      return found;
    });
  });
  if (person.email) await clearFailures(ctx, [accountKey(org, person.email)]);
  return signInAfterLink(ctx, request, reply, org, person.id, person.email);
}

/**
 * After a password chosen from an e-mailed link (an invitation, a reset): a person with a second factor still
 * proves it — the link proves the mailbox only, and a mailbox is what phishers take first — so they get the same
 * pending sign-in as after a password (202); anyone else is signed in, the session marked `email_link`.
 */
async function signInAfterLink(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  org: PortalOrganization,
  contactPersonId: string,
  email: string | null,
) {
  const next = await afterPassword(ctx, contactOwner({ organizationId: org.id, contactPersonId }), email ?? '');
  if (next.kind === 'second_factor') {
    return { secondFactor: { token: next.token, methods: next.methods, expiresAt: next.expiresAt } };
  }
  return signInAs(ctx, request, reply, org, contactPersonId, email, 'email_link');
}

/**
 * Change password: the current one first, checked under the same limits as signing in (a stolen session must not
 * become a way to guess the password); the person's other sessions end.
 */
export async function changePassword(
  ctx: AppContext,
  request: FastifyRequest,
  org: PortalOrganization,
  scope: PortalScope,
  input: { currentPassword: string; newPassword: string },
) {
  const person = await personForPassword(ctx.db.kysely, scope.contactPersonId);
  const account = portalAccount(org.id, person.email ?? scope.contactPersonId);
  const { right } = await limitedPasswordCheck(ctx, account, attemptSourceOf(ctx, request, 'portal'), async () => ({
    right: await verifyPassword(person.passwordHash, input.currentPassword),
  }));
  if (!right) throw invalid('/currentPassword', 'This is not your current password.');
  checkNewPassword(input.newPassword, {
    minLength: org.passwordMinLength,
    path: '/newPassword',
    context: passwordContext(org, person.email),
  });
  const passwordHash = await hashPassword(input.newPassword);
  await ctx.db.kysely
    .transaction()
    .execute((trx) =>
      setPassword(
        ctx,
        trx,
        request,
        org,
        person,
        passwordHash,
        'portal.password_changed',
        request.portalSessionId ?? null,
      ),
    );
}

/** True for the refusal of a link's token: wrong, used, expired, or its person gone. */
const isBadToken = (error: unknown) => error instanceof AppError && error.errors.some((e) => e.path === '/token');

/**
 * An attempt with a link's token (invitation, reset), reserved on the address before anything is hashed: a bad
 * token stays counted; any other outcome gives the attempt back.
 */
async function tokenAttempt<T>(ctx: AppContext, ipKey: string, work: () => Promise<T>): Promise<T> {
  await reserveAttempt(ctx, [ipKey]);
  try {
    const result = await work();
    await forgiveAttempt(ctx, { clear: [], giveBack: [ipKey] });
    return result;
  } catch (error) {
    if (!isBadToken(error)) await forgiveAttempt(ctx, { clear: [], giveBack: [ipKey] });
    throw error;
  }
}
