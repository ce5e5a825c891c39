import { Type } from 'typebox';
import { Currency, DateString, Id, ListQuery, Nullable, PositiveMoney, Text } from '../../http/schemas.js';

export const PaymentModeSchema = Type.Union([
  Type.Literal('cash'),
  Type.Literal('bank_transfer'),
  Type.Literal('check'),
  Type.Literal('card'),
  Type.Literal('other'),
]);

export const PaymentAllocationInput = Type.Object(
  { invoiceId: Id('inv'), amount: PositiveMoney },
  { additionalProperties: false },
);

/**
 * A payment the business received. Either spread over invoices (`allocations`, what is left is customer
 * credit) or the payment of a retainer invoice (`retainerInvoiceId`, the whole amount is retainer credit).
 */
export const PaymentInput = Type.Object(
  {
    customerId: Id('cus'),
    date: DateString,
    amount: PositiveMoney,
    /** Optional: when given it must be the customer's currency. */
    currency: Type.Optional(Currency),
    mode: PaymentModeSchema,
    reference: Type.Optional(Nullable(Text(100))),
    notes: Type.Optional(Nullable(Text(5000))),
    allocations: Type.Optional(Type.Array(PaymentAllocationInput, { maxItems: 100 })),
    retainerInvoiceId: Type.Optional(Id('ret')),
  },
  { additionalProperties: false },
);

export const PaymentPatch = Type.Object(
  {
    date: Type.Optional(DateString),
    mode: Type.Optional(PaymentModeSchema),
    reference: Type.Optional(Nullable(Text(100))),
    notes: Type.Optional(Nullable(Text(5000))),
  },
  { additionalProperties: false, minProperties: 1 },
);

const paymentFields = {
  id: Type.String(),
  number: Type.String(),
  customerId: Type.String(),
  customerName: Type.String(),
  date: Type.String(),
  amount: Type.Integer(),
  /** amount − what is applied to invoices: the customer's credit (retainer credit for a retainer payment). */
  unapplied: Type.Integer(),
  applied: Type.Integer(),
  currency: Type.String(),
  mode: PaymentModeSchema,
  reference: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  source: Type.Union([Type.Literal('offline'), Type.Literal('portal')]),
  /** For a payment made in the client portal: the contact person who paid, and their name. */
  paidByContactPersonId: Nullable(Type.String()),
  paidByName: Nullable(Type.String()),
  retainerInvoiceId: Nullable(Type.String()),
  retainerInvoiceNumber: Nullable(Type.String()),
  testMode: Type.Boolean({
    description:
      'A test payment: made through a gateway in test mode (the sandbox, Stripe test keys), no money moved. It pays its invoices like any payment; keep it out of real takings (`testMode=false` on the list).',
  }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
};

export const Payment = Type.Object(paymentFields);

export const PaymentAllocation = Type.Object({
  id: Type.String(),
  invoiceId: Type.String(),
  invoiceNumber: Type.String(),
  amount: Type.Integer(),
  kind: Type.Union([Type.Literal('payment'), Type.Literal('credit')]),
  appliedOn: Type.String(),
  /** A released allocation no longer counts: its invoice was voided and the money went back to credit. */
  released: Type.Boolean(),
  releasedAt: Nullable(Type.String()),
});

export const PaymentDetail = Type.Object({ ...paymentFields, allocations: Type.Array(PaymentAllocation) });

export const PaymentListQuery = Type.Object(
  {
    customerId: Type.Optional(Type.String({ maxLength: 40 })),
    from: Type.Optional(DateString),
    to: Type.Optional(DateString),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    mode: Type.Optional(PaymentModeSchema),
    testMode: Type.Optional(
      Type.Boolean({ description: '`false`: real payments only; `true`: test payments only (no money moved).' }),
    ),
    ...ListQuery,
  },
  { additionalProperties: false },
);

export const ApplyCreditInput = Type.Object(
  {
    allocations: Type.Array(
      Type.Object(
        {
          /** Which payment's credit to use; without it the customer's oldest credits are used first. */
          paymentId: Type.Optional(Id('pay')),
          invoiceId: Id('inv'),
          amount: PositiveMoney,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);

export const CreditPayment = Type.Object({
  id: Type.String(),
  number: Type.String(),
  date: Type.String(),
  amount: Type.Integer(),
  unapplied: Type.Integer(),
  currency: Type.String(),
  mode: PaymentModeSchema,
  reference: Nullable(Type.String()),
  retainerInvoiceId: Nullable(Type.String()),
  retainerInvoiceNumber: Nullable(Type.String()),
});

export const CustomerCredits = Type.Object({
  customerId: Type.String(),
  currency: Type.String(),
  /** Everything the customer can still apply: unapplied payments, retainer credit included. */
  availableCredit: Type.Integer(),
  /** The part of availableCredit that comes from retainer payments. */
  retainerCredit: Type.Integer(),
  /** Payments with credit left, oldest first (the order credit is drawn in). */
  payments: Type.Array(CreditPayment),
});

export const AppliedCredit = Type.Object({
  allocationId: Type.String(),
  paymentId: Type.String(),
  paymentNumber: Type.String(),
  invoiceId: Type.String(),
  invoiceNumber: Type.String(),
  amount: Type.Integer(),
});

export const ApplyCreditResult = Type.Object({
  applied: Type.Array(AppliedCredit),
  credits: CustomerCredits,
});
