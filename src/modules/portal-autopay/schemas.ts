import { Type } from 'typebox';
import { ListQuery, Nullable, Timestamp } from '../../http/schemas.js';
import { AutopayState, CardOnFile, Frequency } from '../recurring-profiles/index.js';

/**
 * Autopay of recurring profiles in the portal (API.md: `GET /recurring-profiles`, `POST`/`DELETE
 * /recurring-profiles/{id}/autopay`). Client-safe fields only: no customer ids, no template internals, no gateway
 * tokens — a card is its brand, last four digits and expiry.
 */

const TestCard = Type.Object(
  {
    number: Type.String({ minLength: 1, maxLength: 23 }),
    expMonth: Type.Integer({ minimum: 1, maximum: 12 }),
    expYear: Type.Integer({ minimum: 0, maximum: 9999 }),
    cvc: Type.String({ minLength: 1, maxLength: 4 }),
    postalCode: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false },
);

export const AuthorizeAutopayInput = Type.Object(
  {
    /** Sandbox only: the card is saved in the same call (API.md). Never stored or logged. */
    testCard: Type.Optional(TestCard),
  },
  { additionalProperties: false },
);

export const PortalAutopay = Type.Object({
  status: AutopayState,
  /** When on: the card that pays each invoice of the profile. */
  card: Nullable(CardOnFile),
  authorizedAt: Nullable(Timestamp),
});

export const PortalRecurringProfile = Type.Object({
  id: Type.String(),
  name: Type.String(),
  frequency: Frequency,
  intervalCount: Type.Integer(),
  nextDate: Nullable(Type.String({ description: 'The date of the next invoice.' })),
  currency: Type.String(),
  /** The total of each invoice, in minor units (the template priced by the document math); null if it cannot be. */
  amount: Nullable(Type.Integer()),
  autopay: PortalAutopay,
});

export const PortalRecurringProfileListQuery = Type.Object({ ...ListQuery }, { additionalProperties: false });

/** The answer to an authorization: on at once (test card), or the gateway's page to visit, or refused. */
export const AutopaySetup = Type.Object({
  recurringProfileId: Type.String(),
  status: Type.Union([
    Type.Literal('on'),
    Type.Literal('requires_action'),
    Type.Literal('pending'),
    Type.Literal('failed'),
  ]),
  /** When `requires_action`: the gateway's hosted page where the card is entered. */
  redirectUrl: Type.Optional(Type.String()),
  card: Type.Optional(CardOnFile),
  /** When `failed`: the code (CP… or a card code) and a plain sentence for the client. */
  failure: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
});
