import { Type } from 'typebox';
import { WEBHOOK_EVENTS } from '../../domain/webhook-events.js';
import { ListQuery, Nullable } from '../../http/schemas.js';

const EventName = Type.Enum(WEBHOOK_EVENTS);

const endpointFields = {
  id: Type.String(),
  url: Type.String(),
  description: Nullable(Type.String()),
  events: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
};

export const WebhookEndpoint = Type.Object(endpointFields);

export const WebhookEndpointWithSecret = Type.Object({
  ...endpointFields,
  secret: Type.String({ description: 'The signing secret: shown this once. Keep it where the receiver runs.' }),
});

export const WebhookEndpointList = Type.Object({ data: Type.Array(WebhookEndpoint) });

export const WebhookEndpointInput = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    description: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    events: Type.Array(EventName, { minItems: 1, maxItems: WEBHOOK_EVENTS.length, uniqueItems: true }),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const WebhookEndpointPatch = Type.Object(
  {
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    description: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    events: Type.Optional(Type.Array(EventName, { minItems: 1, maxItems: WEBHOOK_EVENTS.length, uniqueItems: true })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const WebhookDelivery = Type.Object({
  id: Type.String(),
  eventId: Type.String(),
  event: Type.String(),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('sending'),
    Type.Literal('delivered'),
    Type.Literal('failed'),
  ]),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Type.String({ description: 'When it is tried again (pending only).' })),
  responseStatus: Nullable(Type.Integer()),
  responseBody: Nullable(Type.String({ description: "The start of the endpoint's answer." })),
  lastError: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String()),
  payload: Type.String({ description: 'The JSON body sent.' }),
  createdAt: Type.String(),
});

export const WebhookDeliveryQuery = Type.Object({ ...ListQuery }, { additionalProperties: false });

export const DeliveryParams = Type.Object({
  id: Type.String({ maxLength: 40 }),
  deliveryId: Type.String({ maxLength: 40 }),
});
