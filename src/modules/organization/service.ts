import { sql } from 'kysely';
import type { Static } from 'typebox';
import { requireAdmin } from '../../auth/business-guard.js';
import { hashPassword } from '../../auth/passwords.js';
import type { PortalOrganization } from '../../auth/portal-guard.js';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { DocumentSequencesTable } from '../../db/schema.js';
import { countryCodeOf } from '../../domain/countries.js';
import { isTimeZone } from '../../domain/dates.js';
import { AppError, invalid } from '../../domain/errors.js';
import { currencyExponent } from '../../domain/money.js';
import { onlinePaymentsOf } from '../../payments/gateway-config.js';
import { removeLogo, setLogo } from './logo.js';
import type { LogoInput, OrganizationPatch } from './schemas.js';

export interface NewOrganization {
  name: string;
  slug: string;
  baseCurrency: string;
  timeZone: string;
  locale?: string;
  email?: string;
  owner: { email: string; name: string; password: string };
}

const SEQUENCES: Array<Pick<DocumentSequencesTable, 'kind' | 'prefix'>> = [
  { kind: 'estimate', prefix: 'EST-' },
  { kind: 'invoice', prefix: 'INV-' },
  { kind: 'retainer_invoice', prefix: 'RET-' },
  { kind: 'payment', prefix: 'PAY-' },
];

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$/;

/**
 * Creates an organization with its owner and its document number sequences, in one transaction.
 * `onlyIfFirst` (first-run setup): refuse (409) unless the database has no organization at all, decided inside the
 * transaction under a table lock on PostgreSQL (SQLite has one writer), so of two concurrent setups one wins.
 */
export async function createOrganization(
  ctx: AppContext,
  input: NewOrganization,
  options: { onlyIfFirst?: boolean } = {},
) {
  if (!SLUG_PATTERN.test(input.slug)) throw invalid('/slug', 'use lower-case letters, digits and dashes');
  currencyExponent(input.baseCurrency);
  const organizationId = newId('org');
  const userId = newId('usr');
  const now = ctx.now().toISOString();
  const passwordHash = await hashPassword(input.owner.password);
  const taken = await ctx.db.kysely
    .selectFrom('organizations')
    .select('id')
    .where('slug', '=', input.slug)
    .executeTakeFirst();
  if (taken) throw new AppError('conflict', `The portal name "${input.slug}" is taken.`);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (options.onlyIfFirst) {
      if (ctx.db.dialect === 'postgres') {
        await sql`lock table organizations in share row exclusive mode`.execute(trx);
      }
      const any = await trx.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
      if (any) throw new AppError('conflict', 'Portico is set up already: sign in instead.');
    }
    await trx
      .insertInto('organizations')
      .values({
        id: organizationId,
        name: input.name,
        slug: input.slug,
        baseCurrency: input.baseCurrency,
        timeZone: input.timeZone,
        locale: input.locale ?? 'en-US',
        email: input.email ?? input.owner.email,
        phone: null,
        website: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    await trx
      .insertInto('users')
      .values({
        id: userId,
        organizationId,
        email: input.owner.email.toLowerCase(),
        name: input.owner.name,
        role: 'owner',
        passwordHash,
        disabledAt: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    await trx
      .insertInto('documentSequences')
      .values(SEQUENCES.map((s) => ({ organizationId, kind: s.kind, prefix: s.prefix, nextNumber: 1 })))
      .execute();
  });
  return { organizationId, userId };
}

/** The scope's own organization: its profile and the defaults its documents use. */
export async function getOrganization(ctx: AppContext, scope: OrgScope) {
  const row = await ctx.db.kysely
    .selectFrom('organizations')
    .selectAll()
    .where('id', '=', scope.organizationId)
    .executeTakeFirstOrThrow();
  // The logo's bytes are served on their own route; the profile only says whether there is one.
  const { logoBase64, logoContentType: _type, ...profile } = row;
  return {
    ...profile,
    address: JSON.parse(row.address),
    chargesTax: row.chargesTax === 1,
    hasLogo: logoBase64 !== null,
    requireSecondFactor: row.requireSecondFactor === 1,
  };
}

/** Owners and admins change the profile; a time zone or currency Portico cannot compute with is refused. */
export async function updateOrganization(ctx: AppContext, scope: OrgScope, patch: Static<typeof OrganizationPatch>) {
  requireAdmin(scope);
  const { address, chargesTax, countryCode, requireSecondFactor, ...rest } = patch;
  if (rest.timeZone !== undefined && !isTimeZone(rest.timeZone)) {
    throw invalid('/timeZone', 'is not a known IANA time zone');
  }
  if (rest.baseCurrency !== undefined) currencyExponent(rest.baseCurrency);
  await ctx.db.kysely
    .updateTable('organizations')
    .set({
      ...rest,
      ...(address !== undefined ? { address: JSON.stringify(address) } : {}),
      ...(chargesTax !== undefined ? { chargesTax: chargesTax ? 1 : 0 } : {}),
      ...(countryCode !== undefined ? { countryCode: countryCodeOf(countryCode) } : {}),
      ...(requireSecondFactor !== undefined ? { requireSecondFactor: requireSecondFactor ? 1 : 0 } : {}),
      updatedAt: ctx.now().toISOString(),
    })
    .where('id', '=', scope.organizationId)
    .execute();
  return getOrganization(ctx, scope);
}

/** The logo shown on the portal and on PDFs (owners and admins). */
export async function setOrganizationLogo(ctx: AppContext, scope: OrgScope, logo: Static<typeof LogoInput>) {
  requireAdmin(scope);
  await setLogo(ctx, scope.organizationId, logo.contentType, logo.dataBase64);
  return getOrganization(ctx, scope);
}

export async function removeOrganizationLogo(ctx: AppContext, scope: OrgScope) {
  requireAdmin(scope);
  await removeLogo(ctx, scope.organizationId);
}

/**
 * The business's brand in front of its clients, for the portal's screens before and after sign-in. The logo's URL
 * carries the time of the last change, so browsers may cache it and still see a new one.
 */
export async function portalBrand(ctx: AppContext, org: PortalOrganization) {
  const row = await ctx.db.kysely
    .selectFrom('organizations')
    .select(['portalBanner', 'logoContentType', 'updatedAt'])
    .where('id', '=', org.id)
    .executeTakeFirstOrThrow();
  const hasLogo = row.logoContentType !== null;
  return {
    organizationName: org.name,
    portalName: org.slug,
    banner: row.portalBanner,
    hasLogo,
    logoUrl: hasLogo
      ? `/api/portal/${encodeURIComponent(org.slug)}/brand/logo?v=${encodeURIComponent(row.updatedAt)}`
      : null,
    passwordMinLength: org.passwordMinLength,
    // Test mode is said before sign-in too (issue 16): no client should believe a sandbox takes real money.
    testMode: (await onlinePaymentsOf(ctx, org.id)) === 'test',
  };
}
