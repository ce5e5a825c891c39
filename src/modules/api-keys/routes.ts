import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams } from '../../http/schemas.js';
import { ApiKey, ApiKeyInput, ApiKeyReassignment, NewApiKey } from './schemas.js';
import { createApiKey, listApiKeys, reassignApiKey, revokeApiKey } from './service.js';

const tags = ['api keys'];

/**
 * API keys for integrations. The secret is shown once, at creation; only its hash is kept. A key acts for a user,
 * with at most their role, and works only while they are enabled and hold that role.
 */
export const apiKeyRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api-keys',
      { schema: { tags, summary: 'List API keys', response: { 200: Type.Array(ApiKey) } } },
      async (request) => listApiKeys(ctx, orgScopeOf(request)),
    );

    app.post(
      '/api-keys',
      {
        schema: {
          tags,
          summary: 'Create an API key (the key is returned only now)',
          body: ApiKeyInput,
          response: { 201: NewApiKey },
        },
      },
      async (request, reply) => reply.status(201).send(await createApiKey(ctx, orgScopeOf(request), request.body)),
    );

    app.post(
      '/api-keys/:id/reassign',
      {
        schema: {
          tags,
          summary: 'Give a key to another user, whose limits it then has (owner only)',
          params: IdParams,
          body: ApiKeyReassignment,
          response: { 200: ApiKey },
        },
      },
      async (request) => reassignApiKey(ctx, orgScopeOf(request), request.params.id, request.body),
    );

    app.delete(
      '/api-keys/:id',
      { schema: { tags, summary: 'Revoke an API key', params: IdParams, response: { 204: Type.Null() } } },
      async (request, reply) => {
        await revokeApiKey(ctx, orgScopeOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
