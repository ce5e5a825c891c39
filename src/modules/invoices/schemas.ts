import { Type } from 'typebox';
import { INVOICE_ACTIONS, INVOICE_STATUSES } from '../../domain/invoice-states.js';
import { DateString, Id, ListQuery, Nullable, OneOf, PositiveMoney, Text } from '../../http/schemas.js';
import { CustomerSummary, PendingPayment, pricingInputFields, pricingOutputFields } from '../documents/index.js';

const invoiceFields = {
  reference: Type.Optional(Nullable(Text(100))),
  /** Default: today in the organization's time zone. */
  issueDate: Type.Optional(DateString),
  /** Default: issue date + the customer's payment terms (or the organization's). */
  dueDate: Type.Optional(DateString),
  subject: Type.Optional(Nullable(Text(250))),
  notes: Type.Optional(Nullable(Text(5000))),
  terms: Type.Optional(Nullable(Text(5000))),
  /** Whether the client may pay less than the balance in the portal (default true). */
  allowPartialPayments: Type.Optional(Type.Boolean()),
};

export const InvoiceInput = Type.Object(
  { customerId: Id('cus'), ...invoiceFields, ...pricingInputFields },
  { additionalProperties: false },
);

/** Any subset; `lines`, when given, replaces all lines. The customer of an invoice does not change. */
export const InvoicePatch = Type.Partial(Type.Object({ ...invoiceFields, ...pricingInputFields }), {
  additionalProperties: false,
  minProperties: 1,
});

export const WriteOffInput = Type.Object(
  {
    /** Default: the whole balance due. */
    amount: Type.Optional(PositiveMoney),
  },
  { additionalProperties: false },
);

export const InvoiceStatus = OneOf(INVOICE_STATUSES);

export const Allocation = Type.Object({
  id: Type.String(),
  paymentId: Type.String(),
  paymentNumber: Type.String(),
  paymentDate: Type.String(),
  /** The day the money was applied (the payment date for a payment, later for applied credit). */
  date: Type.String(),
  amount: Type.Integer(),
  kind: Type.Union([Type.Literal('payment'), Type.Literal('credit')]),
  /** Set when voiding the invoice gave the money back to the customer's credit. */
  releasedAt: Nullable(Type.String()),
});

const summaryFields = {
  id: Type.String(),
  number: Type.String(),
  reference: Nullable(Type.String()),
  status: InvoiceStatus,
  customer: CustomerSummary,
  issueDate: Type.String(),
  dueDate: Type.String(),
  currency: Type.String(),
  total: Type.Integer(),
  paymentsApplied: Type.Integer(),
  creditsApplied: Type.Integer(),
  writtenOff: Type.Integer(),
  /** total − payments − credits − write-off; 0 for a void invoice (nothing is owed on it). */
  balance: Type.Integer(),
  estimateId: Nullable(Type.String()),
  recurringProfileId: Nullable(Type.String()),
  sentAt: Nullable(Type.String()),
  /** When a client first opened the invoice in the portal (the "eye"), and who. */
  viewedAt: Nullable(Type.String()),
  viewedByContactPersonId: Nullable(Type.String()),
  /** That contact person's name (first and last), for "Viewed by … on …". */
  viewedByName: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
};

export const InvoiceSummary = Type.Object(summaryFields);

export const Invoice = Type.Object({
  ...summaryFields,
  ...pricingOutputFields,
  subject: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  terms: Nullable(Type.String()),
  writtenOffOn: Nullable(Type.String()),
  allowPartialPayments: Type.Boolean(),
  allocations: Type.Array(Allocation),
  voidedAt: Nullable(Type.String()),
  /** The client's online payments still open on it (each holds part of the balance until it settles or lapses). */
  pendingPayments: Type.Array(PendingPayment),
  /** What the business may do to it now (the verbs of the same names); the API refuses the others. */
  availableActions: Type.Array(OneOf(INVOICE_ACTIONS)),
});

export const InvoiceListQuery = Type.Object(
  {
    /** A status, or `unpaid` (sent, overdue and partially paid). */
    status: Type.Optional(Type.Union([InvoiceStatus, Type.Literal('unpaid')])),
    customerId: Type.Optional(Type.String({ maxLength: 40 })),
    /** Issue dates from (inclusive). */
    from: Type.Optional(DateString),
    /** Issue dates to (inclusive). */
    to: Type.Optional(DateString),
    /** Matches the number, the reference or the customer's name. */
    q: Type.Optional(Type.String({ maxLength: 100 })),
    /** `true`: opened by a client in the portal (the eye); `false`: not yet. */
    viewed: Type.Optional(Type.Boolean()),
    ...ListQuery,
  },
  { additionalProperties: false },
);
