import type { Static } from 'typebox';
import { requireAdmin } from '../../auth/business-guard.js';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../domain/errors.js';
import { SLUG_PATTERN } from '../organization/index.js';
import type { PortalSettingsPatch } from './schemas.js';
import { loadPortalSettings, portalUrlOf } from './settings.js';

const flag = (value: boolean | undefined) => (value === undefined ? undefined : value ? (1 as const) : (0 as const));

/** The client portal's settings (PRODUCT.md §1) and the address clients open it at. Any user may read them. */
export async function getPortalSettings(ctx: AppContext, scope: OrgScope) {
  const settings = await loadPortalSettings(ctx.db.kysely, scope.organizationId);
  return { ...settings, portalUrl: portalUrlOf(ctx, settings.portalName) };
}

/**
 * Owners and admins change the portal's settings. The portal name is its URL, unique across Portico: renaming
 * moves the portal, and a name another organization uses is refused (409).
 */
export async function changePortalSettings(
  ctx: AppContext,
  scope: OrgScope,
  patch: Static<typeof PortalSettingsPatch>,
) {
  requireAdmin(scope);
  if (patch.portalName !== undefined) {
    if (!SLUG_PATTERN.test(patch.portalName)) {
      throw new AppError('validation_failed', 'The portal name takes lower-case letters, digits and dashes.', [
        { path: '/portalName', message: 'use lower-case letters, digits and dashes' },
      ]);
    }
    const taken = await ctx.db.kysely
      .selectFrom('organizations')
      .select('id')
      .where('slug', '=', patch.portalName)
      .where('id', '!=', scope.organizationId)
      .executeTakeFirst();
    if (taken) throw new AppError('conflict', `The portal name "${patch.portalName}" is taken.`);
  }
  const changes = {
    slug: patch.portalName,
    portalEnabled: flag(patch.enabled),
    portalBanner: patch.banner,
    portalNotifyMe: flag(patch.notifyMe),
    portalEmailOnComment: flag(patch.emailCustomerOnComment),
    portalAllowEditDetails: flag(patch.allowEditingDetails),
    portalAllowForwarding: flag(patch.allowForwarding),
    portalReviews: flag(patch.reviews),
    portalShowProjects: flag(patch.showProjects),
    portalQuoteRequests: flag(patch.quoteRequests),
    portalPreventDuplicatePayments: flag(patch.preventDuplicatePayments),
    passwordMinLength: patch.passwordMinLength,
    portalRequireSecondFactor: flag(patch.requireSecondFactor),
  };
  const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  await ctx.db.kysely
    .updateTable('organizations')
    .set({ ...defined, updatedAt: ctx.now().toISOString() })
    .where('id', '=', scope.organizationId)
    .execute();
  return getPortalSettings(ctx, scope);
}
