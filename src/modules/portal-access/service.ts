import { issueAccessToken, TOKEN_LIFETIME_MS, voidAccessTokens } from '../../auth/access-tokens.js';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { AppError, invalid, notFound } from '../../domain/errors.js';
import { enqueueTemplate } from '../../notify/outbox.js';
import { recordAudit } from '../audit/index.js';
import { contactEmailLocale, contactName, getCustomer } from '../customers/index.js';
import { portalUrlOf } from '../portal-settings/index.js';

interface RequestInfo {
  ip: string;
  userAgent: string | null;
}

async function contactPersonFor(ctx: AppContext, scope: OrgScope, customerId: string, contactPersonId: string) {
  const customer = await getCustomer(ctx, scope, customerId);
  const person = customer.contactPersons.find((p) => p.id === contactPersonId);
  if (!person) throw notFound('contact person');
  return { customer, person };
}

/**
 * Gives a contact person portal access, or sends a fresh invitation: a single-use link valid for 7 days, built
 * from PUBLIC_URL. A new invitation voids the previous link. The e-mail leaves through the outbox, in the same
 * transaction, so it is sent exactly when the access is granted.
 */
export async function invitePortalContact(
  ctx: AppContext,
  scope: OrgScope,
  customerId: string,
  contactPersonId: string,
  from: RequestInfo,
) {
  const { person } = await contactPersonFor(ctx, scope, customerId, contactPersonId);
  if (!person.email) throw invalid('/email', 'The contact person needs an e-mail address to use the portal.');
  const org = await ctx.db.kysely
    .selectFrom('organizations')
    .select(['name', 'slug', 'portalEnabled'])
    .where('id', '=', scope.organizationId)
    .executeTakeFirstOrThrow();
  if (org.portalEnabled !== 1) {
    throw new AppError('conflict', 'Turn the client portal on (portal settings) before inviting anyone.');
  }
  const elsewhere = await ctx.db.kysely
    .selectFrom('contactPersons')
    .select('id')
    .where('organizationId', '=', scope.organizationId)
    .where('email', '=', person.email)
    .where('id', '!=', person.id)
    .where('portalStatus', '!=', 'none')
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (elsewhere) {
    throw new AppError(
      'conflict',
      'Another contact person with this e-mail already has portal access; one person has access under one customer.',
    );
  }

  const now = ctx.now();
  const portalUrl = portalUrlOf(ctx, org.slug);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    // An active person keeps their password and stays active; anyone else is (again) invited.
    await trx
      .updateTable('contactPersons')
      .set({
        portalStatus: person.portalStatus === 'active' ? 'active' : 'invited',
        portalInvitedAt: now.toISOString(),
        portalDisabledAt: null,
        updatedAt: now.toISOString(),
      })
      .where('id', '=', person.id)
      .where('organizationId', '=', scope.organizationId)
      .execute();
    const token = await issueAccessToken(trx, {
      organizationId: scope.organizationId,
      contactPersonId: person.id,
      purpose: 'invitation',
      now,
    });
    await enqueueTemplate(trx, now, {
      organizationId: scope.organizationId,
      to: person.email ?? '',
      template: 'portalInvitation',
      data: {
        organizationName: org.name,
        contactName: contactName(person),
        portalUrl,
        username: person.email ?? '',
        // The token travels in the fragment, which browsers never send to a server or in a Referer.
        acceptUrl: `${portalUrl}accept-invitation#token=${token}`,
        expiresInDays: TOKEN_LIFETIME_MS.invitation / 86_400_000,
        // The language the business set for the person, else the organization's locale.
        locale: await contactEmailLocale(trx, scope.organizationId, person.id),
      },
    });
    await recordAudit(trx, {
      organizationId: scope.organizationId,
      event: 'portal.invitation_sent',
      actorType: scope.via === 'session' ? 'user' : 'system',
      actorId: scope.userId,
      contactPersonId: person.id,
      ip: from.ip,
      userAgent: from.userAgent,
      at: now.toISOString(),
    });
  });
  return (await contactPersonFor(ctx, scope, customerId, contactPersonId)).person;
}

/** Takes portal access away: the status, every unused link and every session end at once. */
export async function disablePortalContact(
  ctx: AppContext,
  scope: OrgScope,
  customerId: string,
  contactPersonId: string,
  from: RequestInfo,
) {
  const { person } = await contactPersonFor(ctx, scope, customerId, contactPersonId);
  if (person.portalStatus === 'none' || person.portalStatus === 'disabled') {
    throw new AppError('invalid_transition', 'This contact person has no portal access to disable.');
  }
  const now = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .updateTable('contactPersons')
      .set({ portalStatus: 'disabled', portalDisabledAt: now, updatedAt: now })
      .where('id', '=', person.id)
      .where('organizationId', '=', scope.organizationId)
      .execute();
    await voidAccessTokens(trx, person.id);
    await trx.deleteFrom('sessions').where('contactPersonId', '=', person.id).execute();
    await recordAudit(trx, {
      organizationId: scope.organizationId,
      event: 'portal.access_disabled',
      actorType: scope.via === 'session' ? 'user' : 'system',
      actorId: scope.userId,
      contactPersonId: person.id,
      ip: from.ip,
      userAgent: from.userAgent,
      at: now,
    });
  });
  return (await contactPersonFor(ctx, scope, customerId, contactPersonId)).person;
}
