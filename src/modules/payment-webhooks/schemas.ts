import { Type } from 'typebox';

export const WebhookParams = Type.Object({
  kind: Type.Union([Type.Literal('sandbox'), Type.Literal('stripe')]),
  organizationId: Type.String({ maxLength: 40 }),
});

export const WebhookAnswerSchema = Type.Object({
  received: Type.Boolean(),
  duplicate: Type.Optional(Type.Boolean()),
  error: Type.Optional(Type.String()),
});
