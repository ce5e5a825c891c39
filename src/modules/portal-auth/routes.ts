import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { portalOrganization, portalScopeOf } from '../../auth/portal-guard.js';
import { safeReturnPath } from '../../auth/return-path.js';
import { currentSession, endSession } from '../../auth/sessions.js';
import type { AppContext } from '../../context.js';
import { Email, Language, Nullable } from '../../http/schemas.js';
import { recordAudit } from '../audit/index.js';
import {
  PasskeySignInOptionsInput,
  passkeySignInOptions,
  SecondFactorInput,
  SecondFactorNeeded,
} from '../second-factors/index.js';
import {
  acceptInvitation,
  changePassword,
  checkLink,
  logIn,
  logInWithSecondFactor,
  portalIdentity,
  requestPasswordReset,
  resetPassword,
} from './service.js';

const tags = ['portal: access'];
const SlugParams = Type.Object({ slug: Type.String({ maxLength: 60 }) });
const NewPassword = Type.String({ minLength: 1, maxLength: 1000, description: 'Checked against the password rules.' });
const Token = Type.String({ minLength: 1, maxLength: 200 });

export const PortalIdentity = Type.Object({
  contactPerson: Type.Object({
    id: Type.String(),
    name: Type.String(),
    email: Type.String(),
    /** Their chosen language; null follows `organization.locale`. */
    language: Nullable(Language),
  }),
  customer: Type.Object({ id: Type.String(), name: Type.String() }),
  organization: Type.Object({
    name: Type.String(),
    portalName: Type.String(),
    currency: Type.String(),
    locale: Type.String(),
    timeZone: Type.String(),
  }),
  settings: Type.Object({
    banner: Type.Union([Type.String(), Type.Null()]),
    allowEditingDetails: Type.Boolean(),
    allowForwarding: Type.Boolean(),
    reviews: Type.Boolean(),
    showProjects: Type.Boolean(),
    quoteRequests: Type.Boolean(),
    passwordMinLength: Type.Integer(),
    onlinePayments: Type.Union([Type.Literal('off'), Type.Literal('test'), Type.Literal('live')], {
      description:
        '`off`: the business chose no payment gateway, Pay Now is not offered; `test`: test mode, payments move no money (say so on every page); `live`: real payments.',
    }),
  }),
  csrfToken: Type.String(),
  enrolmentRequired: Type.Optional(
    Type.Boolean({
      description:
        'The organization requires a second factor and this person has none: this session may only set one up.',
    }),
  ),
});

/** Signing in, invitations and passwords on an organization's portal: public routes. */
export const publicPortalAuthRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/session',
      {
        schema: {
          tags,
          summary: 'Sign in to the portal',
          params: SlugParams,
          body: Type.Object(
            {
              email: Email,
              password: Type.String({ minLength: 1, maxLength: 1000 }),
              returnTo: Type.Optional(
                Type.String({ maxLength: 1000, description: 'Where the app was headed; only a path of this portal.' }),
              ),
            },
            { additionalProperties: false },
          ),
          description:
            'A person with a second factor gets 202 and a pending sign-in to complete with `POST /session/second-factor`.',
          response: {
            200: Type.Intersect([
              PortalIdentity,
              Type.Object({ redirectTo: Type.String({ description: 'A safe path of this portal to go to now.' }) }),
            ]),
            202: SecondFactorNeeded,
          },
        },
      },
      async (request, reply) => {
        const org = await portalOrganization(ctx, request.params.slug);
        const { email, password, returnTo } = request.body;
        const signedIn = await logIn(ctx, request, reply, org, { email, password });
        if ('secondFactor' in signedIn) return reply.status(202).send(signedIn);
        return { ...signedIn, redirectTo: safeReturnPath(returnTo, `/portal/${org.slug}/`) };
      },
    );

    app.post(
      '/session/second-factor/passkey-options',
      {
        schema: {
          tags,
          summary: "WebAuthn request options for completing a pending sign-in with one of the person's passkeys",
          params: SlugParams,
          body: PasskeySignInOptionsInput,
          response: { 200: Type.Record(Type.String(), Type.Unknown()) },
        },
      },
      async (request) => {
        const org = await portalOrganization(ctx, request.params.slug);
        return { ...(await passkeySignInOptions(ctx, 'portal', org.id, request.body.token)) } as Record<
          string,
          unknown
        >;
      },
    );

    app.post(
      '/session/second-factor',
      {
        schema: {
          tags,
          summary: 'Complete a pending sign-in with a TOTP code, a passkey or a recovery code (each code works once)',
          params: SlugParams,
          body: SecondFactorInput,
          response: { 200: PortalIdentity },
        },
      },
      async (request, reply) =>
        logInWithSecondFactor(ctx, request, reply, await portalOrganization(ctx, request.params.slug), request.body),
    );

    app.post(
      '/invitations/accept',
      {
        schema: {
          tags,
          summary: "Accept an invitation: the link's token and a new password; signs in",
          description: 'A person with a second factor gets 202 and a pending sign-in, as after a password.',
          params: SlugParams,
          body: Type.Object({ token: Token, password: NewPassword }, { additionalProperties: false }),
          response: { 200: PortalIdentity, 202: SecondFactorNeeded },
        },
      },
      async (request, reply) => {
        const org = await portalOrganization(ctx, request.params.slug);
        const answer = await acceptInvitation(ctx, request, reply, org, request.body);
        return 'secondFactor' in answer ? reply.status(202).send(answer) : answer;
      },
    );

    app.post(
      '/links/check',
      {
        schema: {
          tags,
          summary: 'Whether an invitation or reset link can still be used (204), or has been used or expired (400)',
          params: SlugParams,
          body: Type.Object(
            { token: Token, purpose: Type.Union([Type.Literal('invitation'), Type.Literal('password_reset')]) },
            { additionalProperties: false },
          ),
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await checkLink(ctx, request, await portalOrganization(ctx, request.params.slug), request.body);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/password/forgot',
      {
        schema: {
          tags,
          summary: 'E-mail a password reset link (the same answer whether or not the e-mail has an account)',
          params: SlugParams,
          body: Type.Object({ email: Email }, { additionalProperties: false }),
          response: { 202: Type.Object({ message: Type.String() }) },
        },
      },
      async (request, reply) => {
        await requestPasswordReset(
          ctx,
          request,
          await portalOrganization(ctx, request.params.slug),
          request.body.email,
        );
        return reply
          .status(202)
          .send({ message: 'If this e-mail has access to the portal, a link to reset the password is on its way.' });
      },
    );

    app.post(
      '/password/reset',
      {
        schema: {
          tags,
          summary: "Set a new password with a reset link's token; ends every session and signs in",
          description: 'A person with a second factor gets 202 and a pending sign-in, as after a password.',
          params: SlugParams,
          body: Type.Object({ token: Token, password: NewPassword }, { additionalProperties: false }),
          response: { 200: PortalIdentity, 202: SecondFactorNeeded },
        },
      },
      async (request, reply) => {
        const org = await portalOrganization(ctx, request.params.slug);
        const answer = await resetPassword(ctx, request, reply, org, request.body);
        return 'secondFactor' in answer ? reply.status(202).send(answer) : answer;
      },
    );
  };

/** The signed-in person's own session and password. */
export const portalAuthRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/session',
      {
        schema: {
          tags,
          summary: 'Who am I, the CSRF token and the portal settings',
          params: SlugParams,
          response: { 200: PortalIdentity },
        },
      },
      async (request) => {
        const session = await currentSession(ctx, request, 'portal');
        return portalIdentity(ctx, portalScopeOf(request), session?.csrfToken ?? '', session?.enrolmentRequired === 1);
      },
    );

    app.delete(
      '/session',
      { schema: { tags, summary: 'Sign out', params: SlugParams, response: { 204: Type.Null() } } },
      async (request, reply) => {
        const scope = portalScopeOf(request);
        if (request.portalSessionId) await endSession(ctx, reply, 'portal', request.portalSessionId);
        await recordAudit(ctx.db.kysely, {
          organizationId: scope.organizationId,
          event: 'portal.session_ended',
          actorType: 'contact_person',
          actorId: scope.contactPersonId,
          contactPersonId: scope.contactPersonId,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
          at: ctx.now().toISOString(),
        });
        return reply.status(204).send(null);
      },
    );

    app.put(
      '/password',
      {
        schema: {
          tags,
          summary: 'Change your password (the current one first); your other sessions end',
          params: SlugParams,
          body: Type.Object(
            { currentPassword: Type.String({ minLength: 1, maxLength: 1000 }), newPassword: NewPassword },
            { additionalProperties: false },
          ),
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const org = await portalOrganization(ctx, request.params.slug);
        await changePassword(ctx, request, org, portalScopeOf(request), request.body);
        return reply.status(204).send(null);
      },
    );
  };
