import { Type } from 'typebox';
import { ListQuery, Nullable, OneOf } from '../../http/schemas.js';

/** A request for a quote: what the client needs, and optional details in words (no attachments). */
export const PortalQuoteRequestInput = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' }),
    details: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  },
  { additionalProperties: false },
);

/** A quote request as the client who made it sees it; who handled it at the business is not shown. */
export const PortalQuoteRequest = Type.Object({
  id: Type.String(),
  description: Type.String(),
  details: Nullable(Type.String()),
  status: OneOf(['open', 'estimate_created', 'dismissed'] as const),
  /** The estimate made from it, once the business sent it (a draft is not shown). */
  estimateId: Nullable(Type.String()),
  createdAt: Type.String(),
});

export const PortalQuoteRequestListQuery = Type.Object(ListQuery, { additionalProperties: false });
