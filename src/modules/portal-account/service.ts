import type { Static } from 'typebox';
import { countClientAction } from '../../auth/action-limits.js';
import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { type Placeholders, prepared } from '../../db/database.js';
import { AppError } from '../../domain/errors.js';
import { isLanguage, type Language } from '../../domain/languages.js';
import { recordAudit } from '../audit/index.js';
import { notifyBusinessOfPortalActivity } from '../portal-notifications/index.js';
import { loadPortalSettings } from '../portal-settings/index.js';
import type { AccountPatch } from './schemas.js';

interface RequestInfo {
  ip: string;
  userAgent: string | null;
}

/** The account in one read, compiled once: the person, their customer and whether the business allows edits. */
const accountOf = prepared((db, args: Placeholders<PortalScope>) =>
  db
    .selectFrom('contactPersons as p')
    .innerJoin('customers as c', 'c.id', 'p.customerId')
    .innerJoin('organizations as o', 'o.id', 'p.organizationId')
    .select([
      'p.id',
      'p.salutation',
      'p.firstName',
      'p.lastName',
      'p.email',
      'p.phone',
      'p.mobile',
      'p.designation',
      'p.language',
      'c.id as customerId',
      'c.displayName as customerDisplayName',
      'c.companyName as customerCompanyName',
      'c.phone as customerPhone',
      'c.website as customerWebsite',
      'c.billingAddress as customerBillingAddress',
      'c.shippingAddress as customerShippingAddress',
      'o.portalAllowEditDetails',
    ])
    .where('p.id', '=', args.contactPersonId)
    .where('p.organizationId', '=', args.organizationId)
    .where('c.id', '=', args.customerId)
    .where('c.organizationId', '=', args.organizationId),
);

/** The signed-in person's details and their company's, and whether they may change them. */
export async function getAccount(ctx: AppContext, scope: PortalScope) {
  const [row] = await accountOf(ctx.db, scope);
  if (!row) throw new Error('the portal scope names no contact person or customer');
  return {
    contactPerson: {
      id: row.id,
      salutation: row.salutation,
      firstName: row.firstName,
      lastName: row.lastName,
      email: row.email ?? '',
      phone: row.phone,
      mobile: row.mobile,
      designation: row.designation,
    },
    customer: {
      id: row.customerId,
      displayName: row.customerDisplayName,
      companyName: row.customerCompanyName,
      phone: row.customerPhone,
      website: row.customerWebsite,
      billingAddress: JSON.parse(row.customerBillingAddress),
      shippingAddress: JSON.parse(row.customerShippingAddress),
    },
    canEdit: row.portalAllowEditDetails === 1,
    language: isLanguage(row.language) ? row.language : null,
  };
}

/** `billingAddress` → "billing address", for the e-mail that tells the business what changed. */
const fieldInWords = (field: string) => field.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);

type Account = Awaited<ReturnType<typeof getAccount>>;

/** Two values the same for a person: null, undefined and '' are all "empty"; addresses compare line by line. */
function sameValue(before: unknown, after: unknown): boolean {
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
  if (isObject(before) || isObject(after)) {
    const a = isObject(before) ? before : {};
    const b = isObject(after) ? after : {};
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].every((key) => sameValue(a[key], b[key]));
  }
  return (before ?? '') === (after ?? '');
}

/**
 * The fields a patch really changes. The portal's form sends every field; the business's e-mail and the audit
 * entry name only those whose value differs ("Changed: phone"), and a patch that changes nothing records nothing.
 */
function changedFields(account: Account, patch: Static<typeof AccountPatch>) {
  const differ = (current: Record<string, unknown>, next: Record<string, unknown> | undefined) =>
    Object.keys(next ?? {}).filter((field) => !sameValue(current[field], next?.[field]));
  return {
    contactPerson: differ(account.contactPerson, patch.contactPerson),
    customer: differ(account.customer, patch.customer),
  };
}

/**
 * The client changes their details and their company's, when the business allows it. In one transaction: the
 * changes, the audit entry and the e-mail that tells the business what changed, counted first against the
 * account-change budgets (`auth/action-limits.ts`).
 */
export async function changeAccount(
  ctx: AppContext,
  scope: PortalScope,
  patch: Static<typeof AccountPatch>,
  from: RequestInfo,
) {
  const settings = await loadPortalSettings(ctx.db.kysely, scope.organizationId);
  if (!settings.allowEditingDetails) {
    throw new AppError('forbidden', 'Your details can only be changed by the business: ask them.');
  }
  const { contactPerson, customer } = patch;
  const changed = changedFields(await getAccount(ctx, scope), patch);
  const changedInWords = [...changed.contactPerson, ...changed.customer].map(fieldInWords);
  if (changedInWords.length === 0) return getAccount(ctx, scope);
  const now = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await countClientAction(ctx, trx, scope, 'accountChange');
    if (contactPerson) {
      await trx
        .updateTable('contactPersons')
        .set({ ...contactPerson, updatedAt: now })
        .where('id', '=', scope.contactPersonId)
        .where('organizationId', '=', scope.organizationId)
        .execute();
    }
    if (customer) {
      const { billingAddress, shippingAddress, ...fields } = customer;
      await trx
        .updateTable('customers')
        .set({
          ...fields,
          ...(billingAddress ? { billingAddress: JSON.stringify(billingAddress) } : {}),
          ...(shippingAddress ? { shippingAddress: JSON.stringify(shippingAddress) } : {}),
          updatedAt: now,
        })
        .where('id', '=', scope.customerId)
        .where('organizationId', '=', scope.organizationId)
        .execute();
    }
    await recordAudit(trx, {
      organizationId: scope.organizationId,
      event: 'portal.details_changed',
      actorType: 'contact_person',
      actorId: scope.contactPersonId,
      contactPersonId: scope.contactPersonId,
      ip: from.ip,
      userAgent: from.userAgent,
      details: changed,
      at: now,
    });
    await notifyBusinessOfPortalActivity(trx, ctx, scope, {
      event: 'details_changed',
      target: null,
      detail: `Changed: ${changedInWords.join(', ')}`,
    });
  });
  return getAccount(ctx, scope);
}

/** The client chooses the language Portico speaks to them (null: their organization's locale). */
export async function chooseLanguage(ctx: AppContext, scope: PortalScope, language: Language | null) {
  await ctx.db.kysely
    .updateTable('contactPersons')
    .set({ language, updatedAt: ctx.now().toISOString() })
    .where('id', '=', scope.contactPersonId)
    .where('organizationId', '=', scope.organizationId)
    .execute();
  return { language };
}
