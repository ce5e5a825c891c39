import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import { attemptSourceOf } from '../../auth/sign-in-limits.js';
import type { AppContext } from '../../context.js';
import { IdParams } from '../../http/schemas.js';
import { PasswordChange, User, UserInput, UserPatch } from './schemas.js';
import { addUser, changeOwnPassword, disableUser, enableUser, listUsers, updateUser } from './service.js';

const tags = ['users'];

/** The organization's business users. Owners and admins manage them; the owner cannot be demoted or disabled. */
export const userRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/users',
      { schema: { tags, summary: 'List users', response: { 200: Type.Array(User) } } },
      async (request) => listUsers(ctx, orgScopeOf(request)),
    );

    app.post(
      '/users',
      { schema: { tags, summary: 'Add a user', body: UserInput, response: { 201: User } } },
      async (request, reply) => reply.status(201).send(await addUser(ctx, orgScopeOf(request), request.body)),
    );

    app.patch(
      '/users/:id',
      {
        schema: {
          tags,
          summary: 'Rename a user or change their role',
          params: IdParams,
          body: UserPatch,
          response: { 200: User },
        },
      },
      async (request) => updateUser(ctx, orgScopeOf(request), request.params.id, request.body),
    );

    app.post(
      '/users/:id/disable',
      {
        schema: { tags, summary: 'Disable a user and end their sessions', params: IdParams, response: { 200: User } },
      },
      async (request) => disableUser(ctx, orgScopeOf(request), request.params.id),
    );

    app.post(
      '/users/:id/enable',
      { schema: { tags, summary: 'Enable a disabled user', params: IdParams, response: { 200: User } } },
      async (request) => enableUser(ctx, orgScopeOf(request), request.params.id),
    );

    app.put(
      '/password',
      {
        schema: {
          tags,
          summary: 'Change your own password (ends your other sessions)',
          body: PasswordChange,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await changeOwnPassword(ctx, orgScopeOf(request), request.body, {
          sessionId: request.sessionId,
          source: attemptSourceOf(ctx, request, 'business'),
        });
        return reply.status(204).send(null);
      },
    );
  };
