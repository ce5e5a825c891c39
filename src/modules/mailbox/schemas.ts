import { Type } from 'typebox';
import { ListQuery, Nullable } from '../../http/schemas.js';

const Status = Type.Union([
  Type.Literal('pending'),
  Type.Literal('sending'),
  Type.Literal('sent'),
  Type.Literal('failed'),
]);

const MailboxMessage = Type.Object({
  id: Type.String(),
  to: Type.String(),
  subject: Type.String(),
  /** The template that wrote it: portalInvitation, passwordReset, documentSent… */
  template: Type.String(),
  status: Status,
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  createdAt: Type.String(),
  sentAt: Nullable(Type.String()),
  attachments: Type.Array(Type.Object({ filename: Type.String(), contentType: Type.String() })),
});

export const MailboxMessageDetail = Type.Intersect([
  MailboxMessage,
  Type.Object({
    /** The bodies as sent, with single-use links (invitations, password resets) redacted. */
    text: Type.String(),
    html: Type.String(),
  }),
]);

export const MailboxPage = Type.Object({
  data: Type.Array(MailboxMessage),
  nextCursor: Nullable(Type.String()),
  /** How Portico delivers: `smtp` (SMTP_URL is set) or `embedded` (kept as files under DATA_DIR/mail). */
  transport: Type.Union([Type.Literal('smtp'), Type.Literal('embedded')]),
});

export const MailboxQuery = Type.Object(ListQuery, { additionalProperties: false });
