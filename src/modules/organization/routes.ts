import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { LogoInput, Organization, OrganizationPatch } from './schemas.js';
import { getOrganization, removeOrganizationLogo, setOrganizationLogo, updateOrganization } from './service.js';

const tags = ['organization'];

/** The caller's own organization: its profile and the defaults its documents use. */
export const organizationRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/organization',
      { schema: { tags, summary: 'The organization profile', response: { 200: Organization } } },
      async (request) => getOrganization(ctx, orgScopeOf(request)),
    );

    app.patch(
      '/organization',
      {
        schema: {
          tags,
          summary: 'Update the organization profile',
          body: OrganizationPatch,
          response: { 200: Organization },
        },
      },
      async (request) => updateOrganization(ctx, orgScopeOf(request), request.body),
    );

    app.put(
      '/organization/logo',
      {
        schema: {
          tags,
          summary: 'Set the logo shown on the portal and on PDFs (PNG or JPEG, at most 512 KB)',
          body: LogoInput,
          response: { 200: Organization },
        },
      },
      async (request) => setOrganizationLogo(ctx, orgScopeOf(request), request.body),
    );

    app.delete(
      '/organization/logo',
      { schema: { tags, summary: 'Remove the logo', response: { 204: Type.Null() } } },
      async (request, reply) => {
        await removeOrganizationLogo(ctx, orgScopeOf(request));
        return reply.status(204).send(null);
      },
    );
  };
