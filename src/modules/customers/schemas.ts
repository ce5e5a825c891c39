import { Type } from 'typebox';
import {
  Address,
  Currency,
  Email,
  Language,
  Money,
  Name,
  Nullable,
  TaxParty,
  Text,
  Website,
} from '../../http/schemas.js';

export const ContactPersonInput = Type.Object(
  {
    salutation: Type.Optional(Nullable(Text(20))),
    firstName: Name,
    lastName: Type.Optional(Nullable(Text(200))),
    email: Type.Optional(Nullable(Email)),
    phone: Type.Optional(Nullable(Text(40))),
    mobile: Type.Optional(Nullable(Text(40))),
    designation: Type.Optional(Nullable(Text(100))),
    /** The language of their portal, e-mails and PDFs; null follows the organization's locale. */
    language: Type.Optional(Nullable(Language)),
    isPrimary: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ContactPersonPatch = Type.Partial(ContactPersonInput, { additionalProperties: false, minProperties: 1 });

export const ContactPerson = Type.Object({
  id: Type.String(),
  customerId: Type.String(),
  salutation: Nullable(Type.String()),
  firstName: Type.String(),
  lastName: Nullable(Type.String()),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  mobile: Nullable(Type.String()),
  designation: Nullable(Type.String()),
  language: Nullable(Language),
  isPrimary: Type.Boolean(),
  portalStatus: Type.Union([
    Type.Literal('none'),
    Type.Literal('invited'),
    Type.Literal('active'),
    Type.Literal('disabled'),
  ]),
  portalInvitedAt: Nullable(Type.String()),
  portalActivatedAt: Nullable(Type.String()),
  lastLoginAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const customerFields = {
  displayName: Name,
  companyName: Type.Optional(Nullable(Text(200))),
  email: Type.Optional(Nullable(Email)),
  phone: Type.Optional(Nullable(Text(40))),
  website: Type.Optional(Nullable(Website)),
  currency: Type.Optional(Currency),
  paymentTermsDays: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 365 }))),
  billingAddress: Type.Optional(Address),
  shippingAddress: Type.Optional(Address),
  openingBalance: Type.Optional(Money),
  notes: Type.Optional(Nullable(Text(5000))),
  countryCode: Type.Optional(Nullable(TaxParty.countryCode)),
  taxId: Type.Optional(Nullable(TaxParty.taxId)),
  peppolId: Type.Optional(Nullable(TaxParty.peppolId)),
};

export const CustomerInput = Type.Object(
  { ...customerFields, contactPersons: Type.Optional(Type.Array(ContactPersonInput, { maxItems: 50 })) },
  { additionalProperties: false },
);

export const CustomerPatch = Type.Partial(Type.Object(customerFields), {
  additionalProperties: false,
  minProperties: 1,
});

export const Customer = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  companyName: Nullable(Type.String()),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  website: Nullable(Type.String()),
  currency: Type.String(),
  paymentTermsDays: Nullable(Type.Integer()),
  billingAddress: Address,
  shippingAddress: Address,
  openingBalance: Type.Integer(),
  notes: Nullable(Type.String()),
  countryCode: Nullable(Type.String()),
  taxId: Nullable(Type.String()),
  peppolId: Nullable(Type.String()),
  contactPersons: Type.Array(ContactPerson),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const CustomerListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const ContactPersonParams = Type.Object({
  id: Type.String({ maxLength: 40 }),
  contactPersonId: Type.String({ maxLength: 40 }),
});

/** The one balance story (PRODUCT.md §3, `src/domain/customer-balance.ts`), in minor units of `currency`. */
export const CustomerBalance = Type.Object({
  currency: Type.String(),
  /** The balances of the customer's unpaid invoices. */
  outstandingInvoices: Type.Integer(),
  /** Payments not applied to any invoice, retainer payments included. */
  creditAvailable: Type.Integer(),
  /** The part of `creditAvailable` that came from retainer payments. */
  retainerCredit: Type.Integer(),
  /** The customer's own opening balance (owed before Portico); usually 0. */
  broughtForward: Type.Integer(),
  /**
   * broughtForward + outstandingInvoices − creditAvailable: the last running balance of a statement that reaches
   * today. Negative: credit in the customer's favour.
   */
  netBalance: Type.Integer(),
});
