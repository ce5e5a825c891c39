import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { ContactPerson, ContactPersonParams } from '../customers/index.js';
import { disablePortalContact, invitePortalContact } from './service.js';

const tags = ['client portal'];

/** The business grants and removes portal access per contact person. */
export const portalAccessRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/customers/:id/contact-persons/:contactPersonId/portal-invitation',
      {
        schema: {
          tags,
          summary: 'Give portal access and e-mail an invitation (again: a fresh link that voids the old one)',
          params: ContactPersonParams,
          response: { 200: ContactPerson },
        },
      },
      async (request) =>
        invitePortalContact(ctx, orgScopeOf(request), request.params.id, request.params.contactPersonId, {
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        }),
    );

    app.post(
      '/customers/:id/contact-persons/:contactPersonId/portal-disable',
      {
        schema: {
          tags,
          summary: 'Take portal access away; the person is signed out at once',
          params: ContactPersonParams,
          response: { 200: ContactPerson },
        },
      },
      async (request) =>
        disablePortalContact(ctx, orgScopeOf(request), request.params.id, request.params.contactPersonId, {
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        }),
    );
  };
