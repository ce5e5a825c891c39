import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import { currentSession, endSession, startSession } from '../../auth/sessions.js';
import { attemptSourceOf, rememberDevice } from '../../auth/sign-in-limits.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../domain/errors.js';
import {
  afterPassword,
  PasskeySignInOptionsInput,
  passkeySignInOptions,
  SecondFactorInput,
  SecondFactorNeeded,
} from '../second-factors/index.js';
import { requestBusinessPasswordReset, resetBusinessPassword } from './password-reset.js';
import { ForgotPasswordInput, Identity, ResetPasswordInput, SignInInput } from './schemas.js';
import { acceptedSecondFactor, checkBusinessSignIn, identityOf, recordBusinessSignIn } from './service.js';

const requestInfo = (ctx: AppContext, request: FastifyRequest) => ({
  ip: request.ip,
  userAgent: (request.headers['user-agent'] ?? '').slice(0, 300) || null,
  source: attemptSourceOf(ctx, request, 'business'),
});

/** Sign-in for business users (the back office). Public: POST; the rest needs the session itself. */
export const publicSessionRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/session',
      {
        schema: {
          tags: ['session'],
          summary: 'Sign in a business user',
          description:
            'A user with a second factor gets 202 and a pending sign-in to complete with `POST /session/second-factor`.',
          body: SignInInput,
          response: { 200: Identity, 202: SecondFactorNeeded },
        },
      },
      async (request, reply) => {
        const signIn = await checkBusinessSignIn(ctx, request.body, requestInfo(ctx, request));
        const next = await afterPassword(
          ctx,
          { realm: 'business', organizationId: signIn.organizationId, userId: signIn.userId, contactPersonId: null },
          signIn.account.email,
        );
        if (next.kind === 'second_factor') {
          const { token, methods, expiresAt } = next;
          return reply.status(202).send({ secondFactor: { token, methods, expiresAt } });
        }
        const enrolmentRequired = next.enrolmentRequired;
        const { csrfToken } = await startSession(ctx, request, reply, 'business', { ...signIn, enrolmentRequired });
        rememberDevice(ctx, reply, signIn.account, attemptSourceOf(ctx, request, 'business'));
        await recordBusinessSignIn(ctx, signIn);
        return identityOf(ctx, signIn, csrfToken, enrolmentRequired);
      },
    );

    app.post(
      '/session/second-factor/passkey-options',
      {
        schema: {
          tags: ['session'],
          summary: "WebAuthn request options for completing a pending sign-in with one of the user's passkeys",
          body: PasskeySignInOptionsInput,
          response: { 200: Type.Record(Type.String(), Type.Unknown()) },
        },
      },
      async (request) =>
        ({ ...(await passkeySignInOptions(ctx, 'business', null, request.body.token)) }) as Record<string, unknown>,
    );

    app.post(
      '/session/second-factor',
      {
        schema: {
          tags: ['session'],
          summary: 'Complete a pending sign-in with a TOTP code, a passkey or a recovery code (each code works once)',
          body: SecondFactorInput,
          response: { 200: Identity },
        },
      },
      async (request, reply) => {
        const signIn = await acceptedSecondFactor(ctx, request.body, requestInfo(ctx, request));
        const { csrfToken } = await startSession(ctx, request, reply, 'business', {
          ...signIn,
          signedInWith: signIn.method,
        });
        rememberDevice(ctx, reply, signIn.account, attemptSourceOf(ctx, request, 'business'));
        await recordBusinessSignIn(ctx, signIn);
        return identityOf(ctx, signIn, csrfToken);
      },
    );

    app.post(
      '/password/forgot',
      {
        schema: {
          tags: ['session'],
          summary: 'E-mail a password reset link (the same answer whether or not the e-mail is a user’s)',
          body: ForgotPasswordInput,
          response: { 202: Type.Object({ message: Type.String() }) },
        },
      },
      async (request, reply) => {
        await requestBusinessPasswordReset(ctx, request, request.body.email);
        return reply
          .status(202)
          .send({ message: 'If this e-mail is a user’s, a link to reset the password is on its way.' });
      },
    );

    app.post(
      '/password/reset',
      {
        schema: {
          tags: ['session'],
          summary: "Set a new password with a reset link's token; ends every session of the user and signs in",
          description:
            'A user with a second factor gets 202 and a pending sign-in, as after a password: the link proves the ' +
            'mailbox only. Otherwise signed in (the session marked `email_link`), sent to enrolment where required.',
          body: ResetPasswordInput,
          response: { 200: Identity, 202: SecondFactorNeeded },
        },
      },
      async (request, reply) => {
        const user = await resetBusinessPassword(ctx, request, request.body);
        const next = await afterPassword(
          ctx,
          { realm: 'business', organizationId: user.organizationId, userId: user.userId, contactPersonId: null },
          user.email,
        );
        if (next.kind === 'second_factor') {
          const { token, methods, expiresAt } = next;
          return reply.status(202).send({ secondFactor: { token, methods, expiresAt } });
        }
        const { enrolmentRequired } = next;
        const who = { ...user, signedInWith: 'email_link' as const, enrolmentRequired };
        const { csrfToken } = await startSession(ctx, request, reply, 'business', who);
        return identityOf(ctx, user, csrfToken, enrolmentRequired);
      },
    );
  };

export const sessionRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/session',
      { schema: { tags: ['session'], summary: 'Who am I, and the CSRF token', response: { 200: Identity } } },
      async (request) => {
        const scope = orgScopeOf(request);
        if (scope.userId === null) throw new AppError('unauthenticated', 'API keys have no session.');
        const session = await currentSession(ctx, request, 'business');
        return identityOf(
          ctx,
          { organizationId: scope.organizationId, userId: scope.userId },
          session?.csrfToken ?? '',
          session?.enrolmentRequired === 1,
        );
      },
    );

    app.delete(
      '/session',
      { schema: { tags: ['session'], summary: 'Sign out', response: { 204: Type.Null() } } },
      async (request, reply) => {
        if (request.sessionId) await endSession(ctx, reply, 'business', request.sessionId);
        return reply.status(204).send(null);
      },
    );
  };
