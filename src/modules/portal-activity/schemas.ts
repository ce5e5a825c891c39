import { Type } from 'typebox';
import { ListQuery, Nullable } from '../../http/schemas.js';

/** What clients did in the portal, as the back office's Home lists it (PRODUCT.md §4). */
export const PORTAL_ACTIVITY_EVENTS = [
  'viewed',
  'accepted',
  'declined',
  'changes_requested',
  'commented',
  'forwarded',
  'paid',
  'details_changed',
  'reviewed',
] as const;

export type PortalActivityEvent = (typeof PORTAL_ACTIVITY_EVENTS)[number];

export const PortalActivityItem = Type.Object({
  /** The history or audit entry's id (`hst_…`, `aud_…`). */
  id: Type.String(),
  event: Type.Union([
    Type.Literal('viewed'),
    Type.Literal('accepted'),
    Type.Literal('declined'),
    Type.Literal('changes_requested'),
    Type.Literal('commented'),
    Type.Literal('forwarded'),
    Type.Literal('paid'),
    Type.Literal('details_changed'),
    Type.Literal('reviewed'),
  ]),
  at: Type.String({ description: 'ISO 8601 UTC.' }),
  /** Who: the contact person (null once deleted) and the customer they belong to. */
  contactPerson: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  customer: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  /** What: the document (or project) it was about; null for details changed and reviews. */
  document: Nullable(
    Type.Object({
      kind: Type.Union([
        Type.Literal('estimate'),
        Type.Literal('invoice'),
        Type.Literal('retainer_invoice'),
        Type.Literal('project'),
      ]),
      id: Type.String(),
      /** The document's number, or the project's name; null once the document is gone. */
      number: Nullable(Type.String()),
    }),
  ),
  /** Reviews: the stars given (1–5). */
  rating: Nullable(Type.Integer()),
});

export const PortalActivityPage = Type.Object({
  data: Type.Array(PortalActivityItem),
  nextCursor: Nullable(Type.String()),
});

export const PortalActivityQuery = Type.Object(ListQuery, { additionalProperties: false });
