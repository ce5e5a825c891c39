import { Type } from 'typebox';
import { ESTIMATE_ACTIONS, ESTIMATE_STATUSES } from '../../domain/estimate-states.js';
import { DateString, Id, ListQuery, Nullable, OneOf, Text } from '../../http/schemas.js';
import { CustomerSummary, pricingInputFields, pricingOutputFields } from '../documents/index.js';

const estimateFields = {
  reference: Type.Optional(Nullable(Text(100))),
  /** Default: today in the organization's time zone. */
  issueDate: Type.Optional(DateString),
  /** Default: issue date + the organization's estimate validity; null: never expires. */
  expiryDate: Type.Optional(Nullable(DateString)),
  subject: Type.Optional(Nullable(Text(250))),
  notes: Type.Optional(Nullable(Text(5000))),
  terms: Type.Optional(Nullable(Text(5000))),
};

export const EstimateInput = Type.Object(
  {
    customerId: Id('cus'),
    /** An open quote request of the same customer that this estimate answers: it becomes `estimate_created`. */
    quoteRequestId: Type.Optional(Id('qrq')),
    ...estimateFields,
    ...pricingInputFields,
  },
  { additionalProperties: false },
);

/** Any subset; `lines`, when given, replaces all lines. The customer of an estimate does not change. */
export const EstimatePatch = Type.Partial(Type.Object({ ...estimateFields, ...pricingInputFields }), {
  additionalProperties: false,
  minProperties: 1,
});

export const EstimateStatus = OneOf(ESTIMATE_STATUSES);

const summaryFields = {
  id: Type.String(),
  number: Type.String(),
  reference: Nullable(Type.String()),
  status: EstimateStatus,
  customer: CustomerSummary,
  issueDate: Type.String(),
  expiryDate: Nullable(Type.String()),
  currency: Type.String(),
  total: Type.Integer(),
  /** The invoice it was converted to. */
  invoiceId: Nullable(Type.String()),
  sentAt: Nullable(Type.String()),
  /** First opened by a contact person in the portal (the "eye"), and by whom. */
  viewedAt: Nullable(Type.String()),
  viewedByContactPersonId: Nullable(Type.String()),
  /** That contact person's name (first and last), for "Viewed by … on …". */
  viewedByName: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
};

export const EstimateSummary = Type.Object(summaryFields);

export const Estimate = Type.Object({
  ...summaryFields,
  ...pricingOutputFields,
  subject: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  terms: Nullable(Type.String()),
  decidedByContactPersonId: Nullable(Type.String()),
  decidedIp: Nullable(Type.String()),
  declineReason: Nullable(Type.String()),
  /** The name the client typed when accepting. */
  signatureName: Nullable(Type.String()),
  /** The client's request for changes, while the estimate waits for the business to revise and re-send it. */
  changeRequest: Nullable(
    Type.Object({
      message: Type.String(),
      requestedAt: Type.String(),
      contactPersonId: Nullable(Type.String()),
      contactPersonName: Nullable(Type.String()),
    }),
  ),
  /** The client's quote request this estimate answers, if it was made from one. */
  quoteRequestId: Nullable(Type.String()),
  /** What the business may do to it now (the verbs of the same names); the API refuses the others. */
  availableActions: Type.Array(OneOf(ESTIMATE_ACTIONS)),
});

export const EstimateListQuery = Type.Object(
  {
    status: Type.Optional(EstimateStatus),
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
