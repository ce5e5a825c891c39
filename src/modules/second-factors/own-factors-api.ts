import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { type TObject, Type } from 'typebox';
import { requireRecentSignIn } from '../../auth/second-factor-gate.js';
import type { AppContext } from '../../context.js';
import type { FactorOwner } from './owner.js';
import {
  ConfirmTotpInput,
  EnrolledFactor,
  PasskeyOptions,
  RecoveryCodesAnswer,
  RegisterPasskeyInput,
  SecondFactorList,
  StartTotpInput,
  TotpEnrolment,
} from './schemas.js';
import {
  confirmTotp,
  listSecondFactors,
  newRecoveryCodes,
  passkeyRegistrationOptions,
  registerPasskey,
  removeSecondFactor,
  startTotp,
} from './service.js';

/** How one realm's routes find the signed-in person and their session. */
export interface FactorRealm {
  tags: string[];
  /** The path parameters the realm's prefix has (the portal's slug), as a schema. */
  params: TObject;
  ownerOf(request: FastifyRequest): FactorOwner;
  sessionIdOf(request: FastifyRequest): string | undefined;
}

const requestInfo = (request: FastifyRequest) => ({
  ip: request.ip,
  userAgent: (request.headers['user-agent'] ?? '').slice(0, 300) || null,
});

/**
 * A signed-in person's own second factors, the same under `/api/v1` (business users) and `/api/portal/{slug}`
 * (contact persons). Every change needs a recent strong sign-in (403 `recent_sign_in_required`).
 */
export const secondFactorRouteSet =
  (ctx: AppContext, realm: FactorRealm): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { tags, params } = realm;
    const withId = Type.Intersect([params, Type.Object({ id: Type.String({ maxLength: 40 }) })]);
    const owner = async (request: FastifyRequest) => {
      const who = realm.ownerOf(request);
      await requireRecentSignIn(ctx, realm.sessionIdOf(request));
      return who;
    };

    app.get(
      '/second-factors',
      {
        schema: {
          tags,
          summary: 'My second factors, the recovery codes left, and whether one is required',
          params,
          response: { 200: SecondFactorList },
        },
      },
      async (request) => listSecondFactors(ctx, realm.ownerOf(request)),
    );

    app.post(
      '/second-factors/totp',
      {
        schema: {
          tags,
          summary: 'Start setting up an authenticator app: a secret and its QR code (confirm with a first code)',
          params,
          body: StartTotpInput,
          response: { 201: TotpEnrolment },
        },
      },
      async (request, reply) => reply.status(201).send(await startTotp(ctx, await owner(request), request.body.label)),
    );

    app.post(
      '/second-factors/totp/:id/confirm',
      {
        schema: {
          tags,
          summary: 'Confirm an authenticator app with the code it shows; a first factor comes with recovery codes',
          params: withId,
          body: ConfirmTotpInput,
          response: { 200: EnrolledFactor },
        },
      },
      async (request) =>
        confirmTotp(
          ctx,
          await owner(request),
          realm.sessionIdOf(request),
          (request.params as { id: string }).id,
          request.body.code,
          requestInfo(request),
        ),
    );

    app.post(
      '/second-factors/passkeys/options',
      {
        schema: {
          tags,
          summary: 'Start adding a passkey: WebAuthn creation options for the browser',
          params,
          response: { 200: PasskeyOptions },
        },
      },
      async (request) =>
        ({ ...(await passkeyRegistrationOptions(ctx, await owner(request))) }) as Record<string, unknown>,
    );

    app.post(
      '/second-factors/passkeys',
      {
        schema: {
          tags,
          summary: 'Add the passkey the browser made; a first factor comes with recovery codes',
          params,
          body: RegisterPasskeyInput,
          response: { 201: EnrolledFactor },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await registerPasskey(
              ctx,
              await owner(request),
              realm.sessionIdOf(request),
              request.body,
              requestInfo(request),
            ),
          ),
    );

    app.post(
      '/second-factors/recovery-codes',
      {
        schema: {
          tags,
          summary: 'New recovery codes (shown once); the old ones stop working',
          params,
          response: { 200: RecoveryCodesAnswer },
        },
      },
      async (request) => newRecoveryCodes(ctx, await owner(request), requestInfo(request)),
    );

    app.delete(
      '/second-factors/:id',
      {
        schema: { tags, summary: 'Remove one of my second factors', params: withId, response: { 204: Type.Null() } },
      },
      async (request, reply) => {
        await removeSecondFactor(
          ctx,
          await owner(request),
          (request.params as { id: string }).id,
          requestInfo(request),
        );
        return reply.status(204).send(null);
      },
    );
  };
