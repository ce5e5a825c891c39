import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { ProblemBody } from '../../http/schemas.js';
import { WebhookAnswerSchema, WebhookParams } from './schemas.js';
import { handleGatewayWebhook, installSandboxWebhookSink } from './service.js';

export const paymentWebhookRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    installSandboxWebhookSink(ctx);
    // The signature is over the exact bytes: this plugin (only) keeps every body as a Buffer.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_request, body, done) => {
      done(null, body);
    });
    app.post(
      '/:kind/:gatewayId',
      {
        schema: {
          tags: ['webhooks'],
          summary: "A payment gateway's webhook (public; verified by its signature)",
          params: WebhookParams,
          // 400: a bad signature (the answer), or a request that is not valid (an unknown kind: a problem).
          response: {
            200: WebhookAnswerSchema,
            400: Type.Union([WebhookAnswerSchema, ProblemBody]),
            404: WebhookAnswerSchema,
            503: WebhookAnswerSchema,
          },
        },
      },
      async (request, reply) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const answer = await handleGatewayWebhook(
          ctx,
          request.params.kind,
          request.params.gatewayId,
          raw,
          request.headers,
        );
        return reply.status(answer.status).send(answer.body);
      },
    );
  };
