import { Type } from 'typebox';
import { ListQuery } from '../../http/schemas.js';

/** Plain text; stored trimmed, and it must have at least one non-blank character. */
export const PortalCommentInput = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 5000, pattern: '\\S' }) },
  { additionalProperties: false },
);

/**
 * A comment as the client sees it: who wrote it by name only (the contact person's name, or the organization's
 * name for the business: clients deal with the organization, not with its staff), never ids of users or people.
 */
export const PortalComment = Type.Object({
  id: Type.String(),
  authorType: Type.Union([Type.Literal('business'), Type.Literal('client')]),
  authorName: Type.String(),
  /** Written by the signed-in contact person. */
  mine: Type.Boolean(),
  text: Type.String(),
  createdAt: Type.String(),
});

export const PortalCommentListQuery = Type.Object(ListQuery, { additionalProperties: false });
