import { Type } from 'typebox';
import { DateString, ListQuery, Nullable } from '../../http/schemas.js';

/**
 * What a client sees of the payments they made: written here rather than reusing the business schemas, so
 * internal fields (notes, the user who recorded it, customer ids) never reach the portal.
 */

export const PortalPaymentListQuery = Type.Object(
  { from: Type.Optional(DateString), to: Type.Optional(DateString), ...ListQuery },
  { additionalProperties: false },
);

const summaryFields = {
  id: Type.String(),
  number: Type.String(),
  date: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  mode: Type.String(),
  reference: Nullable(Type.String()),
  /** What is not applied to invoices: the client's credit (retainer credit for a retainer payment). */
  unapplied: Type.Integer(),
  /** Paid against a retainer invoice: an advance, kept as retainer credit until applied. */
  retainerPayment: Type.Boolean(),
  /** Who paid, when the payment was made in the portal; null for payments the business recorded. */
  paidBy: Nullable(Type.Object({ name: Type.String() })),
  /** A test payment (the business's gateway in test mode): no money moved. Show "Test payment — no money moved". */
  testMode: Type.Boolean(),
};

export const PortalPaymentSummary = Type.Object(summaryFields);

export const PortalPayment = Type.Object({
  ...summaryFields,
  applied: Type.Integer(),
  /** The invoices it pays (released applications, after an invoice was voided, are not shown). */
  invoices: Type.Array(
    Type.Object({
      invoiceId: Type.String(),
      number: Type.String(),
      /** The invoice's issue date. */
      date: Type.String(),
      amount: Type.Integer(),
      appliedOn: Type.String(),
    }),
  ),
  retainerInvoice: Nullable(Type.Object({ id: Type.String(), number: Type.String() })),
});
