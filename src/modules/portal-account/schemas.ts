import { Type } from 'typebox';
import { Address, Language, Name, Nullable, Text, Website } from '../../http/schemas.js';

/**
 * What a client may change about themselves and their company: an allow-list. The e-mail (their username),
 * the primary flag, the customer's display name, currency, terms and anything else the business owns are not
 * here, so a request naming them is refused (unknown fields answer 400) and nothing is written.
 */
export const AccountPatch = Type.Object(
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
          website: Type.Optional(Nullable(Website)),
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
  /** The language I read Portico in (`PUT /account/language`); null follows the organization's locale. */
  language: Nullable(Language),
});

/**
 * The language the client reads Portico in: the portal, the e-mails sent to them and their PDFs. A preference,
 * not a detail the business owns, so it may be changed even where the business does not allow editing details.
 */
export const LanguageChoice = Type.Object(
  { language: Nullable(Language) },
  { additionalProperties: false, description: 'null: follow the organization’s locale.' },
);
