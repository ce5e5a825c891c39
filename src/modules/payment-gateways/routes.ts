import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams, NoContent } from '../../http/schemas.js';
import {
  PaymentGateway,
  PaymentGatewayInput,
  PaymentGatewayList,
  PaymentGatewayPosition,
  PaymentGatewayUpdate,
} from './schemas.js';
import { addGateway, getGateway, listGateways, moveGateway, removeGateway, updateGateway } from './service.js';

const tags = ['online payments'];

/** The organization's payment gateways (PRODUCT.md §6): owners and admins only, secrets never shown back. */
export const paymentGatewayRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/payment-gateways',
      {
        schema: {
          tags,
          summary: 'The payment gateways, in the order Pay Now tries them',
          response: { 200: PaymentGatewayList },
        },
      },
      async (request) => listGateways(ctx, orgScopeOf(request)),
    );
    app.post(
      '/payment-gateways',
      {
        schema: {
          tags,
          summary: 'Add a payment gateway',
          body: PaymentGatewayInput,
          response: { 201: PaymentGateway },
        },
      },
      async (request, reply) => reply.status(201).send(await addGateway(ctx, orgScopeOf(request), request.body)),
    );
    app.get(
      '/payment-gateways/:id',
      { schema: { tags, summary: 'A payment gateway', params: IdParams, response: { 200: PaymentGateway } } },
      async (request) => getGateway(ctx, orgScopeOf(request), request.params.id),
    );
    app.put(
      '/payment-gateways/:id',
      {
        schema: {
          tags,
          summary: "Replace a payment gateway's settings",
          params: IdParams,
          body: PaymentGatewayUpdate,
          response: { 200: PaymentGateway },
        },
      },
      async (request) => updateGateway(ctx, orgScopeOf(request), request.params.id, request.body),
    );
    app.post(
      '/payment-gateways/:id/position',
      {
        schema: {
          tags,
          summary: 'Move a payment gateway in the order Pay Now tries them; answers the gateways in their new order',
          params: IdParams,
          body: PaymentGatewayPosition,
          response: { 200: PaymentGatewayList },
        },
      },
      async (request) => moveGateway(ctx, orgScopeOf(request), request.params.id, request.body.position),
    );
    app.delete(
      '/payment-gateways/:id',
      {
        schema: {
          tags,
          summary: 'Remove a payment gateway (it finishes the payments it started)',
          params: IdParams,
          response: { 204: NoContent },
        },
      },
      async (request, reply) => {
        await removeGateway(ctx, orgScopeOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
