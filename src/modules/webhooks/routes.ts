import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams, Page } from '../../http/schemas.js';
import {
  DeliveryParams,
  WebhookDelivery,
  WebhookDeliveryQuery,
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookEndpointList,
  WebhookEndpointPatch,
  WebhookEndpointWithSecret,
} from './schemas.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  resendWebhookDelivery,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from './service.js';

const tags = ['webhooks'];

/** Outgoing webhooks (docs/webhooks.md): owners and admins register endpoints and read their deliveries. */
export const webhookRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/webhook-endpoints',
      { schema: { tags, summary: 'Webhook endpoints', response: { 200: WebhookEndpointList } } },
      async (request) => listWebhookEndpoints(ctx, orgScopeOf(request)),
    );
    app.post(
      '/webhook-endpoints',
      {
        schema: {
          tags,
          summary: 'Register an endpoint (the answer carries its signing secret, this once)',
          body: WebhookEndpointInput,
          response: { 201: WebhookEndpointWithSecret },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createWebhookEndpoint(ctx, orgScopeOf(request), request.body)),
    );
    app.get(
      '/webhook-endpoints/:id',
      { schema: { tags, summary: 'A webhook endpoint', params: IdParams, response: { 200: WebhookEndpoint } } },
      async (request) => getWebhookEndpoint(ctx, orgScopeOf(request), request.params.id),
    );
    app.patch(
      '/webhook-endpoints/:id',
      {
        schema: {
          tags,
          summary: "Change an endpoint's address, events or description, or turn it off",
          params: IdParams,
          body: WebhookEndpointPatch,
          response: { 200: WebhookEndpoint },
        },
      },
      async (request) => updateWebhookEndpoint(ctx, orgScopeOf(request), request.params.id, request.body),
    );
    app.delete(
      '/webhook-endpoints/:id',
      {
        schema: {
          tags,
          summary: 'Remove an endpoint and its deliveries',
          params: IdParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await deleteWebhookEndpoint(ctx, orgScopeOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/webhook-endpoints/:id/rotate-secret',
      {
        schema: {
          tags,
          summary: 'A new signing secret (shown this once); the old one stops at once',
          params: IdParams,
          response: { 200: WebhookEndpointWithSecret },
        },
      },
      async (request) => rotateWebhookSecret(ctx, orgScopeOf(request), request.params.id),
    );
    app.get(
      '/webhook-endpoints/:id/deliveries',
      {
        schema: {
          tags,
          summary: "The endpoint's deliveries, newest first, with each answer",
          params: IdParams,
          querystring: WebhookDeliveryQuery,
          response: { 200: Page(WebhookDelivery) },
        },
      },
      async (request) => listWebhookDeliveries(ctx, orgScopeOf(request), request.params.id, request.query),
    );
    app.post(
      '/webhook-endpoints/:id/deliveries/:deliveryId/resend',
      {
        schema: {
          tags,
          summary: 'Send a delivery again now (the same event id and body)',
          params: DeliveryParams,
          response: { 200: WebhookDelivery },
        },
      },
      async (request) => resendWebhookDelivery(ctx, orgScopeOf(request), request.params.id, request.params.deliveryId),
    );
  };
