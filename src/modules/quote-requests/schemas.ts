import { Type } from 'typebox';
import { ListQuery, Nullable, OneOf } from '../../http/schemas.js';

export const QUOTE_REQUEST_STATUSES = ['open', 'estimate_created', 'dismissed'] as const;
export const QuoteRequestStatus = OneOf(QUOTE_REQUEST_STATUSES);

/** A client's request for a quote, as the business reads it. */
export const QuoteRequest = Type.Object({
  id: Type.String(),
  status: QuoteRequestStatus,
  customer: Type.Object({ id: Type.String(), displayName: Type.String() }),
  /** Who asked, by name (first and last). */
  contactPerson: Type.Object({ id: Type.String(), name: Type.String() }),
  description: Type.String(),
  details: Nullable(Type.String()),
  /** The estimate made from it (status `estimate_created`), and its number. */
  estimateId: Nullable(Type.String()),
  estimateNumber: Nullable(Type.String()),
  createdAt: Type.String(),
  /** When an estimate was made from it or it was dismissed. */
  closedAt: Nullable(Type.String()),
});

export const QuoteRequestListQuery = Type.Object(
  {
    status: Type.Optional(QuoteRequestStatus),
    customerId: Type.Optional(Type.String({ maxLength: 40 })),
    ...ListQuery,
  },
  { additionalProperties: false },
);
