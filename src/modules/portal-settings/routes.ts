import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf, requireAdmin } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../domain/errors.js';
import { SLUG_PATTERN } from '../organization/service.js';
import { loadPortalSettings, PortalSettings, portalUrlOf } from './settings.js';

const PortalSettingsPatch = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    portalName: Type.Optional(
      Type.String({ minLength: 1, maxLength: 60, description: 'The slug in /portal/<name>; renaming moves the URL.' }),
    ),
    banner: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    notifyMe: Type.Optional(Type.Boolean()),
    emailCustomerOnComment: Type.Optional(Type.Boolean()),
    allowEditingDetails: Type.Optional(Type.Boolean()),
    allowForwarding: Type.Optional(Type.Boolean()),
    reviews: Type.Optional(Type.Boolean()),
    showProjects: Type.Optional(Type.Boolean()),
    preventDuplicatePayments: Type.Optional(Type.Boolean()),
    passwordMinLength: Type.Optional(Type.Integer({ minimum: 12, maximum: 128 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

const flag = (value: boolean | undefined) => (value === undefined ? undefined : value ? (1 as const) : (0 as const));

/** The client portal's settings (PRODUCT.md §1), owned by the organization's owners and admins. */
export const portalSettingsRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const response = Type.Intersect([PortalSettings, Type.Object({ portalUrl: Type.String() })]);

    app.get(
      '/portal-settings',
      { schema: { tags: ['client portal'], summary: 'The client portal settings', response: { 200: response } } },
      async (request) => {
        const settings = await loadPortalSettings(ctx.db.kysely, orgScopeOf(request).organizationId);
        return { ...settings, portalUrl: portalUrlOf(ctx, settings.portalName) };
      },
    );

    app.patch(
      '/portal-settings',
      {
        schema: {
          tags: ['client portal'],
          summary: 'Change the client portal settings',
          body: PortalSettingsPatch,
          response: { 200: response },
        },
      },
      async (request) => {
        const scope = orgScopeOf(request);
        requireAdmin(scope);
        const body = request.body;
        if (body.portalName !== undefined) {
          if (!SLUG_PATTERN.test(body.portalName)) {
            throw new AppError('validation_failed', 'The portal name takes lower-case letters, digits and dashes.', [
              { path: '/portalName', message: 'use lower-case letters, digits and dashes' },
            ]);
          }
          const taken = await ctx.db.kysely
            .selectFrom('organizations')
            .select('id')
            .where('slug', '=', body.portalName)
            .where('id', '!=', scope.organizationId)
            .executeTakeFirst();
          if (taken) throw new AppError('conflict', `The portal name "${body.portalName}" is taken.`);
        }
        const changes = {
          slug: body.portalName,
          portalEnabled: flag(body.enabled),
          portalBanner: body.banner,
          portalNotifyMe: flag(body.notifyMe),
          portalEmailOnComment: flag(body.emailCustomerOnComment),
          portalAllowEditDetails: flag(body.allowEditingDetails),
          portalAllowForwarding: flag(body.allowForwarding),
          portalReviews: flag(body.reviews),
          portalShowProjects: flag(body.showProjects),
          portalPreventDuplicatePayments: flag(body.preventDuplicatePayments),
          passwordMinLength: body.passwordMinLength,
        };
        const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
        await ctx.db.kysely
          .updateTable('organizations')
          .set({ ...defined, updatedAt: ctx.now().toISOString() })
          .where('id', '=', scope.organizationId)
          .execute();
        const settings = await loadPortalSettings(ctx.db.kysely, scope.organizationId);
        return { ...settings, portalUrl: portalUrlOf(ctx, settings.portalName) };
      },
    );
  };
