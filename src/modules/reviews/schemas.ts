import { Type } from 'typebox';
import { ListQuery, Nullable, Timestamp } from '../../http/schemas.js';

/** A client's rating of the organization: 1 to 5 stars and, optionally, a few words. */
export const ReviewInput = Type.Object(
  {
    rating: Type.Integer({ minimum: 1, maximum: 5, description: 'Stars, 1 to 5.' }),
    comment: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);

/** The signed-in client's own review, as the portal shows it. */
export const PortalReview = Type.Object({
  rating: Type.Integer(),
  comment: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** GET /review: my review, or null before I wrote one. */
export const MyReview = Nullable(PortalReview);

export const ReviewListQuery = Type.Object({ ...ListQuery }, { additionalProperties: false });

/** A review as the business sees it: who wrote it (contact person and customer) and when. */
export const Review = Type.Object({
  id: Type.String(),
  rating: Type.Integer(),
  comment: Nullable(Type.String()),
  contactPersonId: Type.String(),
  contactPersonName: Type.String(),
  customerId: Type.String(),
  customerName: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const ReviewPage = Type.Object({
  data: Type.Array(Review),
  nextCursor: Nullable(Type.String()),
  summary: Type.Object({
    count: Type.Integer({ description: 'How many clients reviewed the organization.' }),
    averageRating: Nullable(Type.Number({ description: 'The mean rating, to two decimals; null without reviews.' })),
  }),
});
