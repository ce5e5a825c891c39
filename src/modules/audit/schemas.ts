import { Type } from 'typebox';
import { ListQuery, Nullable } from '../../http/schemas.js';
import { AUDIT_EVENTS } from './service.js';

const Bound = (description: string) =>
  Type.String({
    maxLength: 40,
    pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
    description,
  });

export const AuditLogQuery = Type.Object(
  {
    contactPersonId: Type.Optional(Type.String({ maxLength: 40 })),
    customerId: Type.Optional(
      Type.String({ maxLength: 40, description: "Events about the customer's contact persons." }),
    ),
    event: Type.Optional(Type.Enum(AUDIT_EVENTS)),
    from: Type.Optional(
      Bound("From this instant (ISO 8601 with a zone) or date (its start in the organization's time zone)."),
    ),
    to: Type.Optional(Bound("Up to this instant, or date (its end in the organization's time zone), inclusive.")),
    ...ListQuery,
  },
  { additionalProperties: false },
);

export const AuditLogEntry = Type.Object({
  id: Type.String(),
  event: Type.String(),
  actorType: Type.Union([
    Type.Literal('user'),
    Type.Literal('contact_person'),
    Type.Literal('system'),
    Type.Literal('anonymous'),
  ]),
  actorId: Nullable(Type.String()),
  contactPersonId: Nullable(Type.String()),
  contactPersonName: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
});
