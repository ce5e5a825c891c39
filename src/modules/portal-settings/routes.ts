import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { PortalSettingsPatch, PortalSettingsWithUrl } from './schemas.js';
import { changePortalSettings, getPortalSettings } from './service.js';

const tags = ['client portal'];

/** The client portal's settings (PRODUCT.md §1), owned by the organization's owners and admins. */
export const portalSettingsRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/portal-settings',
      { schema: { tags, summary: 'The client portal settings', response: { 200: PortalSettingsWithUrl } } },
      async (request) => getPortalSettings(ctx, orgScopeOf(request)),
    );

    app.patch(
      '/portal-settings',
      {
        schema: {
          tags,
          summary: 'Change the client portal settings',
          body: PortalSettingsPatch,
          response: { 200: PortalSettingsWithUrl },
        },
      },
      async (request) => changePortalSettings(ctx, orgScopeOf(request), request.body),
    );
  };
