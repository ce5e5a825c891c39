import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../domain/errors.js';
import { checkCsrf } from './csrf.js';
import type { PortalScope } from './scopes.js';
import { currentSession } from './sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    portalScope?: PortalScope;
    portalSessionId?: string;
  }
}

export interface PortalOrganization {
  id: string;
  name: string;
  slug: string;
  passwordMinLength: number;
}

/**
 * The organization whose portal the URL names. A disabled portal, like an unknown name, answers 404:
 * nobody learns which businesses use Portico.
 */
export async function portalOrganization(ctx: AppContext, slug: string): Promise<PortalOrganization> {
  const org = await ctx.db.kysely
    .selectFrom('organizations')
    .select(['id', 'name', 'slug', 'passwordMinLength'])
    .where('slug', '=', slug)
    .where('portalEnabled', '=', 1)
    .executeTakeFirst();
  if (!org) throw notFound('portal');
  return org;
}

/**
 * Resolves the portal caller. The session must belong to the organization of the URL's portal (a session of
 * another organization's portal is useless here), and its contact person must still have access: disabled,
 * deleted or moved people are signed out on their next request.
 */
export function portalGuard(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const { slug } = request.params as { slug: string };
    const org = await portalOrganization(ctx, slug);
    const session = await currentSession(ctx, request, 'portal');
    if (!session?.contactPersonId || session.organizationId !== org.id) {
      throw new AppError('unauthenticated', 'Sign in first.');
    }
    const person = await ctx.db.kysely
      .selectFrom('contactPersons')
      .innerJoin('customers', 'customers.id', 'contactPersons.customerId')
      .select(['contactPersons.id', 'contactPersons.customerId'])
      .where('contactPersons.id', '=', session.contactPersonId)
      .where('contactPersons.organizationId', '=', org.id)
      .where('contactPersons.portalStatus', '=', 'active')
      .where('contactPersons.deletedAt', 'is', null)
      .where('customers.deletedAt', 'is', null)
      .executeTakeFirst();
    if (!person) {
      await ctx.db.kysely.deleteFrom('sessions').where('id', '=', session.id).execute();
      throw new AppError('unauthenticated', 'Sign in first.');
    }
    checkCsrf(ctx, request, session.csrfToken);
    request.portalSessionId = session.id;
    request.portalScope = { organizationId: org.id, customerId: person.customerId, contactPersonId: person.id };
  };
}

export function portalScopeOf(request: FastifyRequest): PortalScope {
  if (!request.portalScope) throw new AppError('unauthenticated', 'Sign in first.');
  return request.portalScope;
}
