import { Type } from 'typebox';
import { RETAINER_STATUSES } from '../../domain/invoice-states.js';
import { shownToClients } from '../../domain/states.js';
import { ListQuery, Nullable, OneOf } from '../../http/schemas.js';
import { PortalPendingPayment } from '../documents/index.js';
import { partyFields } from '../portal-documents/index.js';

/**
 * What a client sees of retainer invoices: written here rather than reusing the business schemas, so internal
 * fields (customer ids, who viewed it, timestamps of the back office) never reach the portal.
 */

export const PortalRetainerFilter = Type.Union([
  Type.Literal('all'),
  /** Sent or partially paid: something is still to pay. */
  Type.Literal('unpaid'),
  Type.Literal('paid'),
  Type.Literal('void'),
]);

export const PortalRetainerListQuery = Type.Object(
  { status: Type.Optional(PortalRetainerFilter), ...ListQuery },
  { additionalProperties: false },
);

export const PortalRetainerStatus = OneOf(shownToClients(RETAINER_STATUSES));

const summaryFields = {
  id: Type.String(),
  number: Type.String(),
  reference: Nullable(Type.String()),
  status: PortalRetainerStatus,
  issueDate: Type.String(),
  currency: Type.String(),
  total: Type.Integer(),
  amountPaid: Type.Integer(),
  balance: Type.Integer(),
};

export const PortalRetainerSummary = Type.Object(summaryFields);

export const PortalRetainerInvoice = Type.Object({
  ...summaryFields,
  ...partyFields,
  lines: Type.Array(Type.Object({ description: Type.String(), amount: Type.Integer() })),
  notes: Nullable(Type.String()),
  terms: Nullable(Type.String()),
  /** The payments received on it (their unapplied part is the client's retainer credit). */
  payments: Type.Array(
    Type.Object({
      id: Type.String(),
      number: Type.String(),
      date: Type.String(),
      amount: Type.Integer(),
      mode: Type.String(),
      reference: Nullable(Type.String()),
    }),
  ),
  /** The online payment still open on it, with when it lapses; the client may cancel their own. */
  pendingPayments: Type.Array(PortalPendingPayment),
});
