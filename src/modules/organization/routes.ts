import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf, requireAdmin } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { invalid } from '../../domain/errors.js';
import { currencyExponent } from '../../domain/money.js';
import { Address, Currency, Email, Name, Text } from '../../http/schemas.js';
import { LOGO_MAX_BYTES, removeLogo, setLogo } from './logo.js';

const Organization = Type.Object({
  id: Type.String(),
  name: Type.String(),
  slug: Type.String(),
  baseCurrency: Type.String(),
  timeZone: Type.String(),
  locale: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  website: Type.Union([Type.String(), Type.Null()]),
  address: Address,
  taxRounding: Type.Union([Type.Literal('line'), Type.Literal('document')]),
  chargesTax: Type.Boolean(),
  paymentTermsDays: Type.Integer(),
  estimateValidityDays: Type.Integer(),
  hasLogo: Type.Boolean({ description: 'Whether a logo is set (PUT /organization/logo).' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const OrganizationPatch = Type.Object(
  {
    name: Type.Optional(Name),
    baseCurrency: Type.Optional(Currency),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    locale: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}(-[A-Z]{2})?$' })),
    email: Type.Optional(Type.Union([Email, Type.Null()])),
    phone: Type.Optional(Type.Union([Text(40), Type.Null()])),
    website: Type.Optional(Type.Union([Text(200), Type.Null()])),
    address: Type.Optional(Address),
    taxRounding: Type.Optional(Type.Union([Type.Literal('line'), Type.Literal('document')])),
    chargesTax: Type.Optional(Type.Boolean()),
    paymentTermsDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
    estimateValidityDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

async function loadOrganization(ctx: AppContext, organizationId: string) {
  const row = await ctx.db.kysely
    .selectFrom('organizations')
    .selectAll()
    .where('id', '=', organizationId)
    .executeTakeFirstOrThrow();
  // The logo's bytes are served on their own route; the profile only says whether there is one.
  const { logoBase64, logoContentType: _type, ...profile } = row;
  return {
    ...profile,
    address: JSON.parse(row.address),
    chargesTax: row.chargesTax === 1,
    hasLogo: logoBase64 !== null,
  };
}

const LogoInput = Type.Object(
  {
    contentType: Type.Union([Type.Literal('image/png'), Type.Literal('image/jpeg')]),
    dataBase64: Type.String({
      minLength: 1,
      // The base64 length of LOGO_MAX_BYTES; the decoded size is checked again.
      maxLength: Math.ceil(LOGO_MAX_BYTES / 3) * 4,
      description: `The image file, base64-encoded (no data: prefix); at most ${LOGO_MAX_BYTES / 1024} KB decoded.`,
    }),
  },
  { additionalProperties: false },
);

/** The caller's own organization: its profile and the defaults its documents use. */
export const organizationRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/organization',
      { schema: { tags: ['organization'], summary: 'The organization profile', response: { 200: Organization } } },
      async (request) => loadOrganization(ctx, orgScopeOf(request).organizationId),
    );

    app.patch(
      '/organization',
      {
        schema: {
          tags: ['organization'],
          summary: 'Update the organization profile',
          body: OrganizationPatch,
          response: { 200: Organization },
        },
      },
      async (request) => {
        const scope = orgScopeOf(request);
        requireAdmin(scope);
        const { address, chargesTax, ...rest } = request.body;
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
            updatedAt: ctx.now().toISOString(),
          })
          .where('id', '=', scope.organizationId)
          .execute();
        return loadOrganization(ctx, scope.organizationId);
      },
    );

    app.put(
      '/organization/logo',
      {
        schema: {
          tags: ['organization'],
          summary: 'Set the logo shown on the portal and on PDFs (PNG or JPEG, at most 512 KB)',
          body: LogoInput,
          response: { 200: Organization },
        },
      },
      async (request) => {
        const scope = orgScopeOf(request);
        requireAdmin(scope);
        await setLogo(ctx, scope.organizationId, request.body.contentType, request.body.dataBase64);
        return loadOrganization(ctx, scope.organizationId);
      },
    );

    app.delete(
      '/organization/logo',
      { schema: { tags: ['organization'], summary: 'Remove the logo', response: { 204: Type.Null() } } },
      async (request, reply) => {
        const scope = orgScopeOf(request);
        requireAdmin(scope);
        await removeLogo(ctx, scope.organizationId);
        return reply.status(204).send(null);
      },
    );
  };
