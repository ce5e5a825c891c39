import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf, requireAdmin } from '../../auth/business-guard.js';
import { hashToken, newSecretToken } from '../../auth/tokens.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import { notFound } from '../../domain/errors.js';
import { IdParams, Name } from '../../http/schemas.js';

const tags = ['api keys'];

const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to recognise it.' }),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});

/** API keys for integrations. The secret is shown once, at creation; only its hash is kept. */
export const apiKeyRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api-keys',
      { schema: { tags, summary: 'List API keys', response: { 200: Type.Array(ApiKey) } } },
      async (request) => {
        const scope = orgScopeOf(request);
        requireAdmin(scope);
        return ctx.db.kysely
          .selectFrom('apiKeys')
          .select(['id', 'name', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt'])
          .where('organizationId', '=', scope.organizationId)
          .orderBy('createdAt', 'desc')
          .execute();
      },
    );

    app.post(
      '/api-keys',
      {
        schema: {
          tags,
          summary: 'Create an API key (the key is returned only now)',
          body: Type.Object({ name: Name }, { additionalProperties: false }),
          response: { 201: Type.Intersect([ApiKey, Type.Object({ key: Type.String() })]) },
        },
      },
      async (request, reply) => {
        const scope = orgScopeOf(request);
        requireAdmin(scope);
        const key = `pk_${newSecretToken()}`;
        const row = {
          id: newId('key'),
          organizationId: scope.organizationId,
          name: request.body.name,
          prefix: key.slice(0, 10),
          keyHash: hashToken(key),
          createdByUserId: scope.userId,
          createdAt: ctx.now().toISOString(),
          lastUsedAt: null,
          revokedAt: null,
        };
        await ctx.db.kysely.insertInto('apiKeys').values(row).execute();
        return reply.status(201).send({
          id: row.id,
          name: row.name,
          prefix: row.prefix,
          createdAt: row.createdAt,
          lastUsedAt: null,
          revokedAt: null,
          key,
        });
      },
    );

    app.delete(
      '/api-keys/:id',
      { schema: { tags, summary: 'Revoke an API key', params: IdParams, response: { 204: Type.Null() } } },
      async (request, reply) => {
        const scope = orgScopeOf(request);
        requireAdmin(scope);
        const result = await ctx.db.kysely
          .updateTable('apiKeys')
          .set({ revokedAt: ctx.now().toISOString() })
          .where('id', '=', request.params.id)
          .where('organizationId', '=', scope.organizationId)
          .where('revokedAt', 'is', null)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) throw notFound('API key');
        return reply.status(204).send(null);
      },
    );
  };
