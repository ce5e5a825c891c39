import { Type } from 'typebox';
import { RETAINER_ACTIONS, RETAINER_STATUSES } from '../../domain/invoice-states.js';
import { DateString, Id, ListQuery, Nullable, OneOf, PositiveMoney, Text } from '../../http/schemas.js';
import { PendingPayment } from '../documents/index.js';

export const RetainerLineInput = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: 2000 }),
    amount: PositiveMoney,
  },
  { additionalProperties: false },
);

const retainerFields = {
  customerId: Id('cus'),
  issueDate: Type.Optional(DateString),
  reference: Type.Optional(Nullable(Text(100))),
  notes: Type.Optional(Nullable(Text(5000))),
  terms: Type.Optional(Nullable(Text(5000))),
  lines: Type.Array(RetainerLineInput, { minItems: 1, maxItems: 100 }),
};

export const RetainerInvoiceInput = Type.Object(retainerFields, { additionalProperties: false });

export const RetainerInvoicePatch = Type.Partial(Type.Object(retainerFields), {
  additionalProperties: false,
  minProperties: 1,
});

export const RetainerStatusSchema = OneOf(RETAINER_STATUSES);

const retainerOutputFields = {
  id: Type.String(),
  number: Type.String(),
  customerId: Type.String(),
  customerName: Type.String(),
  status: RetainerStatusSchema,
  issueDate: Type.String(),
  currency: Type.String(),
  reference: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  terms: Nullable(Type.String()),
  lines: Type.Array(Type.Object({ description: Type.String(), amount: Type.Integer() })),
  total: Type.Integer(),
  amountPaid: Type.Integer(),
  balance: Type.Integer(),
  sentAt: Nullable(Type.String()),
  voidedAt: Nullable(Type.String()),
  viewedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
};

export const RetainerInvoice = Type.Object(retainerOutputFields);

/** A payment received on the retainer; what is still `unapplied` is retainer credit. */
export const RetainerPayment = Type.Object({
  id: Type.String(),
  number: Type.String(),
  date: Type.String(),
  amount: Type.Integer(),
  unapplied: Type.Integer(),
  mode: Type.String(),
  reference: Nullable(Type.String()),
});

export const RetainerInvoiceDetail = Type.Object({
  ...retainerOutputFields,
  payments: Type.Array(RetainerPayment),
  /** The client's online payment still open on it, if any, with when it lapses. */
  pendingPayments: Type.Array(PendingPayment),
  /** What the business may do to it now (the verbs of the same names); the API refuses the others. */
  availableActions: Type.Array(OneOf(RETAINER_ACTIONS)),
});

export const RetainerInvoiceListQuery = Type.Object(
  {
    status: Type.Optional(RetainerStatusSchema),
    customerId: Type.Optional(Type.String({ maxLength: 40 })),
    from: Type.Optional(DateString),
    to: Type.Optional(DateString),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    ...ListQuery,
  },
  { additionalProperties: false },
);
