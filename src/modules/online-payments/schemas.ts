import { Type } from 'typebox';
import { Currency, Id, ListQuery, Nullable, PositiveMoney, Timestamp } from '../../http/schemas.js';

/** The Idempotency-Key header: required on POST /payments (checked in the handler for a plain 400). */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

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

export const PayNowInput = Type.Object(
  {
    allocations: Type.Array(
      Type.Union([
        Type.Object(
          { invoiceId: Type.String({ maxLength: 40 }), amount: PositiveMoney },
          { additionalProperties: false },
        ),
        Type.Object(
          { retainerInvoiceId: Type.String({ maxLength: 40 }), amount: PositiveMoney },
          { additionalProperties: false },
        ),
      ]),
      { minItems: 1, maxItems: 50 },
    ),
    /** Sandbox only: the card, so the payment completes in the same call (API.md). Never stored or logged. */
    testCard: Type.Optional(TestCard),
    /**
     * Save the card at the gateway while paying: `reference` for later payments, `recurring` for the
     * automatic payments of the invoices' recurring profile. Needs the merchant account's reference
     * transactions (CP3001) and, for `recurring`, its recurring support (CP4002). For now with `testCard` only.
     */
    saveCard: Type.Optional(Type.Union([Type.Literal('reference'), Type.Literal('recurring')])),
  },
  { additionalProperties: false },
);

export const PaymentAttempt = Type.Object({
  id: Id('pat'),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('requires_action'),
    Type.Literal('succeeded'),
    Type.Literal('failed'),
  ]),
  amount: Type.Integer(),
  currency: Currency,
  /** Where the client enters the card (or confirms it): the gateway's hosted page. */
  redirectUrl: Type.Optional(Type.String()),
  /** When it failed: the code (CP… or a card code) and a plain sentence for the client. */
  failure: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  /** The payment recorded when it succeeded (GET /payments/{id}, /payments/{id}/receipt). */
  paymentId: Type.Optional(Type.String()),
  allocations: Type.Array(
    Type.Object({
      invoiceId: Nullable(Type.String()),
      retainerInvoiceId: Nullable(Type.String()),
      number: Type.String(),
      amount: Type.Integer(),
    }),
  ),
  createdAt: Timestamp,
});

export const PaymentFailureListQuery = Type.Object({ ...ListQuery }, { additionalProperties: false });

export const PaymentFailure = Type.Object({
  attemptId: Type.String(),
  createdAt: Timestamp,
  code: Type.String(),
  /** What the client was shown (with the code). */
  clientMessage: Type.String(),
  whatWentWrong: Type.String(),
  whatToDo: Type.String(),
  /** The gateway's own words, when it refused. */
  gatewayMessage: Nullable(Type.String()),
  amount: Type.Integer(),
  currency: Currency,
  customer: Type.Object({ id: Type.String(), name: Type.String() }),
  paidBy: Type.Object({ id: Type.String(), name: Type.String() }),
  documents: Type.Array(
    Type.Object({
      invoiceId: Nullable(Type.String()),
      retainerInvoiceId: Nullable(Type.String()),
      number: Type.String(),
      amount: Type.Integer(),
    }),
  ),
});
