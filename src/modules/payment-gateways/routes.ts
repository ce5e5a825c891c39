import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { PaymentGatewayInput, PaymentGatewaySettings } from './schemas.js';
import { getGatewaySettings, putGatewaySettings } from './service.js';

const tags = ['online payments'];

/** The organization's payment gateway (PRODUCT.md §6): owners and admins only, secrets never shown back. */
export const paymentGatewayRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/payment-gateway',
      { schema: { tags, summary: 'The payment gateway and its rules', response: { 200: PaymentGatewaySettings } } },
      async (request) => getGatewaySettings(ctx, orgScopeOf(request)),
    );
    app.put(
      '/payment-gateway',
      {
        schema: {
          tags,
          summary: 'Configure the payment gateway',
          body: PaymentGatewayInput,
          response: { 200: PaymentGatewaySettings },
        },
      },
      async (request) => putGatewaySettings(ctx, orgScopeOf(request), request.body),
    );
  };
