import { Type } from 'typebox';
import { RECURRING_STATUSES } from '../../domain/recurring-states.js';
import { DateString, ListQuery, Name, Nullable, OneOf, Text } from '../../http/schemas.js';
import { pricingInputFields } from '../documents/index.js';

export const Frequency = Type.Union([
  Type.Literal('weekly'),
  Type.Literal('monthly'),
  Type.Literal('quarterly'),
  Type.Literal('yearly'),
]);
export const RecurringStatus = OneOf(RECURRING_STATUSES);

/** What every generated invoice contains, in the shape an invoice takes; dates and number come from the schedule. */
export const InvoiceTemplate = Type.Object(
  {
    ...pricingInputFields,
    notes: Type.Optional(Nullable(Text(5000))),
    terms: Type.Optional(Nullable(Text(5000))),
  },
  { additionalProperties: false },
);

const profileFields = {
  name: Name,
  frequency: Frequency,
  intervalCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  startDate: DateString,
  endDate: Type.Optional(Nullable(DateString)),
  paymentTermsDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
  sendAutomatically: Type.Optional(Type.Boolean()),
  template: InvoiceTemplate,
};

export const RecurringProfileInput = Type.Object(
  { customerId: Type.String({ maxLength: 40 }), ...profileFields },
  { additionalProperties: false },
);

export const RecurringProfilePatch = Type.Partial(Type.Object(profileFields), {
  additionalProperties: false,
  minProperties: 1,
});

/** A card on file, as anyone may see it: never its number or the gateway's token. */
export const CardOnFile = Type.Object({
  brand: Type.String(),
  last4: Type.String(),
  expMonth: Type.Integer(),
  expYear: Type.Integer(),
});

export const AutopayState = Type.Union([
  Type.Literal('off'),
  /** The client is entering a card on the gateway's page; not on yet. */
  Type.Literal('pending'),
  Type.Literal('on'),
]);

/** Automatic card payments the client authorized in the portal (modules/portal-autopay). */
export const AutopaySummary = Type.Object({
  status: AutopayState,
  card: Nullable(CardOnFile),
  authorizedAt: Nullable(Type.String()),
  authorizedBy: Nullable(Type.Object({ contactPersonId: Type.String(), name: Type.String() })),
});

const profileResponseFields = {
  id: Type.String(),
  customerId: Type.String(),
  customerName: Type.String(),
  name: Type.String(),
  status: RecurringStatus,
  frequency: Frequency,
  intervalCount: Type.Integer(),
  startDate: Type.String(),
  endDate: Nullable(Type.String()),
  nextDate: Nullable(Type.String({ description: 'The date of the next invoice; null once expired.' })),
  anchorDay: Type.Integer({ description: 'The day of the month the schedule keeps to (the start date’s).' }),
  currency: Type.String(),
  paymentTermsDays: Type.Integer(),
  sendAutomatically: Type.Boolean(),
  template: InvoiceTemplate,
  lastInvoiceId: Nullable(Type.String()),
  autopay: AutopaySummary,
  createdAt: Type.String(),
  updatedAt: Type.String(),
};

export const RecurringProfile = Type.Object(profileResponseFields);

export const GeneratedInvoice = Type.Object({
  id: Type.String(),
  number: Type.String(),
  status: Type.String(),
  issueDate: Type.String(),
  dueDate: Type.String(),
  total: Type.Integer(),
  balance: Type.Integer(),
});

export const RecurringProfileDetail = Type.Object({
  ...profileResponseFields,
  invoiceCount: Type.Integer(),
  invoices: Type.Array(GeneratedInvoice, { description: 'The latest 100 invoices generated, newest first.' }),
});

export const RecurringProfileListQuery = Type.Object(
  {
    customerId: Type.Optional(Type.String({ maxLength: 40 })),
    status: Type.Optional(RecurringStatus),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    ...ListQuery,
  },
  { additionalProperties: false },
);
