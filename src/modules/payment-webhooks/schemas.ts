import { Type } from 'typebox';

export const WebhookParams = Type.Object({
  kind: Type.Union([Type.Literal('sandbox'), Type.Literal('stripe'), Type.Literal('paypal')]),
  gatewayId: Type.String({
    maxLength: 40,
    description: "The gateway's id (`gw_…`); an organization's id (`org_…`) for endpoints made before it had several.",
  }),
});

export const WebhookAnswerSchema = Type.Object({
  received: Type.Boolean(),
  duplicate: Type.Optional(Type.Boolean()),
  /** The event is not about anything of this organization's that Portico follows: acknowledged, left alone. */
  ignored: Type.Optional(Type.Boolean()),
  error: Type.Optional(Type.String()),
});
