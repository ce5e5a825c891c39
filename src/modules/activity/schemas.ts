import { Type } from 'typebox';
import { ListQuery, Nullable } from '../../http/schemas.js';

export const CommentInput = Type.Object(
  {
    // Plain text; at least one non-blank character.
    text: Type.String({ minLength: 1, maxLength: 5000, pattern: '\\S' }),
    showInPortal: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

export const Comment = Type.Object({
  id: Type.String(),
  subjectType: Type.String(),
  subjectId: Type.String(),
  authorType: Type.Union([Type.Literal('user'), Type.Literal('contact_person')]),
  userId: Nullable(Type.String()),
  contactPersonId: Nullable(Type.String()),
  /** The user's or contact person's name; null for API-key comments. */
  authorName: Nullable(Type.String()),
  text: Type.String(),
  showInPortal: Type.Boolean(),
  createdAt: Type.String(),
});

export const HistoryEntry = Type.Object({
  id: Type.String(),
  event: Type.String(),
  description: Type.String(),
  actorType: Type.Union([Type.Literal('user'), Type.Literal('contact_person'), Type.Literal('system')]),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  shownInPortal: Type.Boolean(),
  createdAt: Type.String(),
});

export const ActivityListQuery = Type.Object(ListQuery, { additionalProperties: false });

export const CommentParams = Type.Object({
  id: Type.String({ maxLength: 40 }),
  commentId: Type.String({ maxLength: 40 }),
});
