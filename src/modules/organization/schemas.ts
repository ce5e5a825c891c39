import { Type } from 'typebox';
import { Address, Currency, Email, Name, Nullable, TaxParty, Text, Website } from '../../http/schemas.js';
import { LOGO_MAX_BYTES } from './logo.js';

/** Which e-invoice invoice e-mails carry beside the PDF (`docs/e-invoices.md`). */
const EInvoiceAttachment = Type.Union(
  [Type.Literal('none'), Type.Literal('ubl'), Type.Literal('cii'), Type.Literal('facturx')],
  { description: 'none, UBL XML, CII XML or the Factur-X PDF (which then replaces the plain PDF).' },
);

export const Organization = Type.Object({
  id: Type.String(),
  name: Type.String(),
  slug: Type.String(),
  baseCurrency: Type.String(),
  timeZone: Type.String(),
  locale: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  website: Nullable(Type.String()),
  address: Address,
  taxRounding: Type.Union([Type.Literal('line'), Type.Literal('document')]),
  chargesTax: Type.Boolean(),
  paymentTermsDays: Type.Integer(),
  estimateValidityDays: Type.Integer(),
  hasLogo: Type.Boolean({ description: 'Whether a logo is set (PUT /organization/logo).' }),
  countryCode: Nullable(Type.String()),
  taxId: Nullable(Type.String()),
  companyId: Nullable(Type.String()),
  peppolId: Nullable(Type.String()),
  eInvoiceAttachment: EInvoiceAttachment,
  requireSecondFactor: Type.Boolean({
    description: 'Users must sign in with a second factor (passkey or authenticator app); docs/second-factors.md.',
  }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const OrganizationPatch = Type.Object(
  {
    name: Type.Optional(Name),
    baseCurrency: Type.Optional(Currency),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    locale: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}(-[A-Z]{2})?$' })),
    email: Type.Optional(Nullable(Email)),
    phone: Type.Optional(Nullable(Text(40))),
    website: Type.Optional(Nullable(Website)),
    address: Type.Optional(Address),
    taxRounding: Type.Optional(Type.Union([Type.Literal('line'), Type.Literal('document')])),
    chargesTax: Type.Optional(Type.Boolean()),
    paymentTermsDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
    estimateValidityDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
    countryCode: Type.Optional(Nullable(TaxParty.countryCode)),
    taxId: Type.Optional(Nullable(TaxParty.taxId)),
    companyId: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: 40, description: 'Legal registration id (SIREN, HRB…).' })),
    ),
    peppolId: Type.Optional(Nullable(TaxParty.peppolId)),
    eInvoiceAttachment: Type.Optional(EInvoiceAttachment),
    requireSecondFactor: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const LogoInput = Type.Object(
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

export const SlugParams = Type.Object({ slug: Type.String({ maxLength: 60 }) });

export const Brand = Type.Object({
  organizationName: Type.String(),
  portalName: Type.String(),
  banner: Nullable(Type.String()),
  hasLogo: Type.Boolean(),
  /** Where to load the logo from; changes when the logo does, so browsers may cache it. */
  logoUrl: Nullable(Type.String()),
  passwordMinLength: Type.Integer(),
  testMode: Type.Boolean({ description: 'Online payments go through a test gateway: no money moves.' }),
});
