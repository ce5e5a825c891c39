import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { portalScopeOf } from '../../auth/portal-guard.js';
import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { type Placeholders, prepared } from '../../db/database.js';
import { AppError } from '../../domain/errors.js';
import { Address, Name, Text } from '../../http/schemas.js';
import { recordAudit } from '../audit/service.js';
import { notifyBusinessOfPortalActivity } from '../portal-notifications/service.js';
import { loadPortalSettings } from '../portal-settings/settings.js';

const tags = ['portal: account'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * What a client may change about themselves and their company: an allow-list. The e-mail (their username),
 * the primary flag, the customer's display name, currency, terms and anything else the business owns are not
 * here, so a request naming them is refused (unknown fields answer 400) and nothing is written.
 */
const AccountPatch = Type.Object(
  {
    contactPerson: Type.Optional(
      Type.Object(
        {
          salutation: Type.Optional(Nullable(Text(20))),
          firstName: Type.Optional(Name),
          lastName: Type.Optional(Nullable(Text(200))),
          phone: Type.Optional(Nullable(Text(40))),
          mobile: Type.Optional(Nullable(Text(40))),
          designation: Type.Optional(Nullable(Text(100))),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
    ),
    customer: Type.Optional(
      Type.Object(
        {
          companyName: Type.Optional(Nullable(Text(200))),
          phone: Type.Optional(Nullable(Text(40))),
          website: Type.Optional(Nullable(Text(200))),
          billingAddress: Type.Optional(Address),
          shippingAddress: Type.Optional(Address),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const Account = Type.Object({
  contactPerson: Type.Object({
    id: Type.String(),
    salutation: Nullable(Type.String()),
    firstName: Type.String(),
    lastName: Nullable(Type.String()),
    email: Type.String(),
    phone: Nullable(Type.String()),
    mobile: Nullable(Type.String()),
    designation: Nullable(Type.String()),
  }),
  customer: Type.Object({
    id: Type.String(),
    displayName: Type.String(),
    companyName: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    website: Nullable(Type.String()),
    billingAddress: Address,
    shippingAddress: Address,
  }),
  canEdit: Type.Boolean(),
});

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

export async function loadAccount(ctx: AppContext, scope: PortalScope) {
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
  };
}

/** My account: the signed-in person's details and their company's, editable when the business allows it. */
/** `billingAddress` → "billing address", for the e-mail that tells the business what changed. */
const fieldInWords = (field: string) => field.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);

export const portalAccountRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/account',
      { schema: { tags, summary: 'My details and my company', response: { 200: Account } } },
      async (request) => loadAccount(ctx, portalScopeOf(request)),
    );

    app.patch(
      '/account',
      {
        schema: {
          tags,
          summary: 'Change my details, company details or addresses (when the business allows it)',
          body: AccountPatch,
          response: { 200: Account },
        },
      },
      async (request) => {
        const scope = portalScopeOf(request);
        const settings = await loadPortalSettings(ctx.db.kysely, scope.organizationId);
        if (!settings.allowEditingDetails) {
          throw new AppError('forbidden', 'Your details can only be changed by the business: ask them.');
        }
        const { contactPerson, customer } = request.body;
        const now = ctx.now().toISOString();
        await ctx.db.kysely.transaction().execute(async (trx) => {
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
            ip: request.ip,
            userAgent: request.headers['user-agent'] ?? null,
            details: {
              contactPerson: Object.keys(contactPerson ?? {}),
              customer: Object.keys(customer ?? {}),
            },
            at: now,
          });
          const changed = [...Object.keys(contactPerson ?? {}), ...Object.keys(customer ?? {})];
          await notifyBusinessOfPortalActivity(trx, ctx, scope, {
            event: 'details_changed',
            target: null,
            detail: changed.length > 0 ? `Changed: ${changed.map(fieldInWords).join(', ')}` : null,
          });
        });
        return loadAccount(ctx, scope);
      },
    );
  };
