import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf, requireAdmin } from '../../auth/business-guard.js';
import { checkNewPassword, PASSWORD_DEFAULT_MIN } from '../../auth/password-policy.js';
import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import type { OrgScope } from '../../auth/scopes.js';
import { endSessionsOfUser } from '../../auth/sessions.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import { AppError, invalid, notFound } from '../../domain/errors.js';
import { Email, IdParams, Name } from '../../http/schemas.js';

const tags = ['users'];
const Role = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('staff')]);
const Password = Type.String({ minLength: 1, maxLength: 1000, description: 'Checked against the password rules.' });

const User = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Role,
  disabled: Type.Boolean(),
  createdAt: Type.String(),
});

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: 'owner' | 'admin' | 'staff';
  disabledAt: string | null;
  createdAt: string;
}

const present = (row: UserRow) => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  disabled: row.disabledAt !== null,
  createdAt: row.createdAt,
});

async function findUser(ctx: AppContext, scope: OrgScope, userId: string) {
  const row = await ctx.db.kysely
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'disabledAt', 'createdAt', 'passwordHash'])
    .where('id', '=', userId)
    .where('organizationId', '=', scope.organizationId)
    .executeTakeFirst();
  if (!row) throw notFound('user');
  return row;
}

/** The organization's business users. Owners and admins manage them; the owner cannot be demoted or disabled. */
export const userRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/users',
      { schema: { tags, summary: 'List users', response: { 200: Type.Array(User) } } },
      async (request) => {
        const rows = await ctx.db.kysely
          .selectFrom('users')
          .select(['id', 'email', 'name', 'role', 'disabledAt', 'createdAt'])
          .where('organizationId', '=', orgScopeOf(request).organizationId)
          .orderBy('createdAt')
          .execute();
        return rows.map(present);
      },
    );

    app.post(
      '/users',
      {
        schema: {
          tags,
          summary: 'Add a user',
          body: Type.Object(
            {
              email: Email,
              name: Name,
              role: Type.Union([Type.Literal('admin'), Type.Literal('staff')]),
              password: Password,
            },
            { additionalProperties: false },
          ),
          response: { 201: User },
        },
      },
      async (request, reply) => {
        const scope = orgScopeOf(request);
        requireAdmin(scope);
        const email = request.body.email.toLowerCase();
        checkNewPassword(request.body.password, {
          minLength: PASSWORD_DEFAULT_MIN,
          context: [email.split('@')[0] ?? ''],
        });
        const existing = await ctx.db.kysely
          .selectFrom('users')
          .select('id')
          .where('organizationId', '=', scope.organizationId)
          .where('email', '=', email)
          .executeTakeFirst();
        if (existing) throw new AppError('conflict', 'A user with this e-mail already exists.');
        const now = ctx.now().toISOString();
        const id = newId('usr');
        await ctx.db.kysely
          .insertInto('users')
          .values({
            id,
            organizationId: scope.organizationId,
            email,
            name: request.body.name,
            role: request.body.role,
            passwordHash: await hashPassword(request.body.password),
            disabledAt: null,
            createdAt: now,
            updatedAt: now,
          })
          .execute();
        return reply.status(201).send(present(await findUser(ctx, scope, id)));
      },
    );

    app.patch(
      '/users/:id',
      {
        schema: {
          tags,
          summary: 'Rename a user or change their role',
          params: IdParams,
          body: Type.Object(
            {
              name: Type.Optional(Name),
              role: Type.Optional(Type.Union([Type.Literal('admin'), Type.Literal('staff')])),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: User },
        },
      },
      async (request) => {
        const scope = orgScopeOf(request);
        requireAdmin(scope);
        const user = await findUser(ctx, scope, request.params.id);
        if (request.body.role !== undefined && user.role === 'owner') {
          throw new AppError('conflict', 'The owner keeps the owner role.');
        }
        await ctx.db.kysely
          .updateTable('users')
          .set({ ...request.body, updatedAt: ctx.now().toISOString() })
          .where('id', '=', user.id)
          .where('organizationId', '=', scope.organizationId)
          .execute();
        return present(await findUser(ctx, scope, user.id));
      },
    );

    app.post(
      '/users/:id/disable',
      {
        schema: { tags, summary: 'Disable a user and end their sessions', params: IdParams, response: { 200: User } },
      },
      async (request) => {
        const scope = orgScopeOf(request);
        requireAdmin(scope);
        const user = await findUser(ctx, scope, request.params.id);
        if (user.role === 'owner' || user.id === scope.userId) {
          throw new AppError('conflict', 'The owner and you yourself cannot be disabled.');
        }
        await ctx.db.kysely
          .updateTable('users')
          .set({ disabledAt: ctx.now().toISOString(), updatedAt: ctx.now().toISOString() })
          .where('id', '=', user.id)
          .where('organizationId', '=', scope.organizationId)
          .execute();
        await endSessionsOfUser(ctx, user.id);
        return present(await findUser(ctx, scope, user.id));
      },
    );

    app.post(
      '/users/:id/enable',
      { schema: { tags, summary: 'Enable a disabled user', params: IdParams, response: { 200: User } } },
      async (request) => {
        const scope = orgScopeOf(request);
        requireAdmin(scope);
        const user = await findUser(ctx, scope, request.params.id);
        await ctx.db.kysely
          .updateTable('users')
          .set({ disabledAt: null, updatedAt: ctx.now().toISOString() })
          .where('id', '=', user.id)
          .where('organizationId', '=', scope.organizationId)
          .execute();
        return present(await findUser(ctx, scope, user.id));
      },
    );

    app.put(
      '/password',
      {
        schema: {
          tags,
          summary: 'Change your own password (ends your other sessions)',
          body: Type.Object(
            { currentPassword: Type.String({ minLength: 1, maxLength: 128 }), newPassword: Password },
            { additionalProperties: false },
          ),
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const scope = orgScopeOf(request);
        if (scope.userId === null) throw new AppError('forbidden', 'API keys have no password.');
        const user = await findUser(ctx, scope, scope.userId);
        if (!(await verifyPassword(user.passwordHash, request.body.currentPassword))) {
          throw invalid('/currentPassword', 'is not your current password');
        }
        checkNewPassword(request.body.newPassword, {
          minLength: PASSWORD_DEFAULT_MIN,
          path: '/newPassword',
          context: [user.email.split('@')[0] ?? ''],
        });
        await ctx.db.kysely
          .updateTable('users')
          .set({ passwordHash: await hashPassword(request.body.newPassword), updatedAt: ctx.now().toISOString() })
          .where('id', '=', user.id)
          .execute();
        await endSessionsOfUser(ctx, user.id, request.sessionId);
        return reply.status(204).send(null);
      },
    );
  };
