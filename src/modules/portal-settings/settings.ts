import type { Kysely, Transaction } from 'kysely';
import type { Static } from 'typebox';
import type { AppContext } from '../../context.js';
import type { Database } from '../../db/schema.js';
import type { PortalSettings } from './schemas.js';

export type PortalSettingsValue = Static<typeof PortalSettings>;

/** The portal lives at `${PUBLIC_URL}/portal/<portal name>/`; links are never built from a request's Host. */
export function portalUrlOf(ctx: AppContext, portalName: string): string {
  return new URL(`/portal/${portalName}/`, ctx.config.publicUrl).toString();
}

export async function loadPortalSettings(
  db: Kysely<Database> | Transaction<Database>,
  organizationId: string,
): Promise<PortalSettingsValue> {
  const row = await db
    .selectFrom('organizations')
    .select([
      'slug',
      'portalEnabled',
      'portalBanner',
      'portalNotifyMe',
      'portalEmailOnComment',
      'portalAllowEditDetails',
      'portalAllowForwarding',
      'portalReviews',
      'portalShowProjects',
      'portalQuoteRequests',
      'portalPreventDuplicatePayments',
      'passwordMinLength',
      'portalRequireSecondFactor',
    ])
    .where('id', '=', organizationId)
    .executeTakeFirstOrThrow();
  return {
    enabled: row.portalEnabled === 1,
    portalName: row.slug,
    banner: row.portalBanner,
    notifyMe: row.portalNotifyMe === 1,
    emailCustomerOnComment: row.portalEmailOnComment === 1,
    allowEditingDetails: row.portalAllowEditDetails === 1,
    allowForwarding: row.portalAllowForwarding === 1,
    reviews: row.portalReviews === 1,
    showProjects: row.portalShowProjects === 1,
    quoteRequests: row.portalQuoteRequests === 1,
    preventDuplicatePayments: row.portalPreventDuplicatePayments === 1,
    passwordMinLength: row.passwordMinLength,
    requireSecondFactor: row.portalRequireSecondFactor === 1,
  };
}
