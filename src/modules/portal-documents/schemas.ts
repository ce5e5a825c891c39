import { Type } from 'typebox';
import { ESTIMATE_STATUSES } from '../../domain/estimate-states.js';
import { INVOICE_STATUSES } from '../../domain/invoice-states.js';
import { shownToClients } from '../../domain/states.js';
import { ListQuery, Nullable, OneOf, Text } from '../../http/schemas.js';
import { Discount, PortalPendingPayment, TaxAmount } from '../documents/index.js';

/**
 * What a client sees of estimates and invoices: written here rather than reusing the business schemas, so
 * internal fields (who decided from which IP, users, tax ids, line ids, comments) never reach the portal.
 */

export const PortalEstimateFilter = Type.Union([
  Type.Literal('all'),
  /** Sent and waiting for the client's decision. */
  Type.Literal('awaiting'),
  Type.Literal('accepted'),
  Type.Literal('declined'),
  Type.Literal('invoiced'),
  Type.Literal('expired'),
]);

export const PortalInvoiceFilter = Type.Union([
  Type.Literal('all'),
  /** Sent, overdue or partially paid. */
  Type.Literal('unpaid'),
  Type.Literal('overdue'),
  Type.Literal('partially_paid'),
  Type.Literal('paid'),
  Type.Literal('void'),
]);

export const PortalEstimateListQuery = Type.Object(
  { status: Type.Optional(PortalEstimateFilter), ...ListQuery },
  { additionalProperties: false },
);

export const PortalInvoiceListQuery = Type.Object(
  { status: Type.Optional(PortalInvoiceFilter), ...ListQuery },
  { additionalProperties: false },
);

export const AcceptEstimateInput = Type.Object(
  {
    signatureName: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        pattern: '\\S',
        description: 'The name the client types as their signature; blank (only spaces) is refused.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const DeclineEstimateInput = Type.Object({ reason: Type.Optional(Text(2000)) }, { additionalProperties: false });

/** What the client asks to change, as long as a comment may be; stored trimmed, never blank. */
export const RequestEstimateChangesInput = Type.Object(
  { message: Type.String({ minLength: 1, maxLength: 5000, pattern: '\\S' }) },
  { additionalProperties: false },
);

const PortalEstimateStatus = OneOf(shownToClients(ESTIMATE_STATUSES));

const PortalInvoiceStatus = OneOf(shownToClients(INVOICE_STATUSES));

export const PortalLine = Type.Object({
  name: Type.String(),
  description: Nullable(Type.String()),
  quantity: Type.String(),
  unit: Nullable(Type.String()),
  rate: Type.Integer(),
  discount: Nullable(Discount),
  taxName: Nullable(Type.String()),
  taxRate: Nullable(Type.String()),
  amount: Type.Integer(),
  discountAmount: Type.Integer(),
  net: Type.Integer(),
  tax: Type.Integer(),
});

/** A name and the lines under it, as a document's PDF shows them (address, e-mail, phone…). */
const PortalParty = Type.Object({ name: Type.String(), lines: Type.Array(Type.String()) });

/** Who a document is from and to, as on its PDF; `shipTo` only when the client has a shipping address. */
export const partyFields = {
  from: PortalParty,
  billTo: PortalParty,
  shipTo: Nullable(PortalParty),
};

const pricingFields = {
  lines: Type.Array(PortalLine),
  discount: Nullable(Discount),
  discountBeforeTax: Type.Boolean(),
  subtotal: Type.Integer(),
  discountTotal: Type.Integer(),
  taxes: Type.Array(TaxAmount),
  taxTotal: Type.Integer(),
  shipping: Type.Integer(),
  adjustment: Type.Integer(),
  adjustmentLabel: Nullable(Type.String()),
  total: Type.Integer(),
};

const estimateSummaryFields = {
  id: Type.String(),
  number: Type.String(),
  reference: Nullable(Type.String()),
  status: PortalEstimateStatus,
  issueDate: Type.String(),
  expiryDate: Nullable(Type.String()),
  currency: Type.String(),
  total: Type.Integer(),
  decidedAt: Nullable(Type.String()),
};

export const PortalEstimateSummary = Type.Object(estimateSummaryFields);

export const PortalEstimate = Type.Object({
  ...estimateSummaryFields,
  ...partyFields,
  ...pricingFields,
  subject: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  terms: Nullable(Type.String()),
  /** The name the client typed when accepting. */
  signatureName: Nullable(Type.String()),
  declineReason: Nullable(Type.String()),
  /** When the business last revised it after the client declined it and sent it again; null if never. */
  revisedAt: Nullable(Type.String()),
  /** The client's request for changes while the estimate waits for the business's revision (`changes_requested`). */
  changeRequest: Nullable(Type.Object({ message: Type.String(), requestedAt: Type.String() })),
});

const invoiceSummaryFields = {
  id: Type.String(),
  number: Type.String(),
  reference: Nullable(Type.String()),
  status: PortalInvoiceStatus,
  issueDate: Type.String(),
  dueDate: Type.String(),
  currency: Type.String(),
  total: Type.Integer(),
  balance: Type.Integer(),
};

export const PortalInvoiceSummary = Type.Object(invoiceSummaryFields);

export const PortalInvoice = Type.Object({
  ...invoiceSummaryFields,
  ...partyFields,
  ...pricingFields,
  subject: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  terms: Nullable(Type.String()),
  paymentsApplied: Type.Integer(),
  creditsApplied: Type.Integer(),
  writtenOff: Type.Integer(),
  /** Whether the client may pay less than the balance (Pay another amount); else it is paid in full. */
  allowPartialPayments: Type.Boolean(),
  /** The payments applied to this invoice (released ones, after a void, are not shown). */
  payments: Type.Array(Type.Object({ paymentNumber: Type.String(), date: Type.String(), amount: Type.Integer() })),
  /** Online payments still open on it, with when they lapse; the client may cancel their own. */
  pendingPayments: Type.Array(PortalPendingPayment),
});
