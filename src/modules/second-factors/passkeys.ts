import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportFuture,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { AppContext } from '../../context.js';

/** @simplewebauthn/server, loaded with the first passkey ceremony: a server whose people use none never loads it (≈ 25 MB). */
const webauthn = () => import('@simplewebauthn/server');

/**
 * Passkeys through @simplewebauthn/server. The relying party is the configured public URL: its host name is the
 * RP id and its origin the only origin accepted (never a request's Host). Attestation is not asked for ("none"):
 * Portico trusts the passkey the person registered while signed in, not a maker.
 */
function relyingParty(ctx: AppContext) {
  return { rpID: ctx.config.publicUrl.hostname.replace(/^\[|\]$/g, ''), origin: ctx.config.publicUrl.origin };
}

export interface StoredPasskey {
  credentialId: string;
  publicKey: string;
  signCount: number;
  transports: AuthenticatorTransportFuture[];
}

export const transportsOf = (stored: string | null): AuthenticatorTransportFuture[] =>
  stored ? (JSON.parse(stored) as AuthenticatorTransportFuture[]) : [];

export async function registrationOptions(
  ctx: AppContext,
  person: { id: string; email: string; displayName: string; organizationName: string },
  existing: StoredPasskey[],
) {
  const { generateRegistrationOptions } = await webauthn();
  return generateRegistrationOptions({
    rpName: person.organizationName,
    rpID: relyingParty(ctx).rpID,
    userName: person.email,
    userDisplayName: person.displayName,
    userID: new TextEncoder().encode(person.id),
    attestationType: 'none',
    excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
}

/** The new passkey when the browser's answer is right for the challenge, else null. */
export async function verifiedRegistration(
  ctx: AppContext,
  response: unknown,
  expectedChallenge: string,
): Promise<StoredPasskey | null> {
  const { rpID, origin } = relyingParty(ctx);
  const { verifyRegistrationResponse } = await webauthn();
  try {
    const verification = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: false,
    });
    if (!verification.verified) return null;
    const { credential } = verification.registrationInfo;
    return {
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      signCount: credential.counter,
      transports: credential.transports ?? [],
    };
  } catch {
    // A malformed or forged answer is a wrong answer, not a server error.
    return null;
  }
}

export async function authenticationOptions(ctx: AppContext, passkeys: StoredPasskey[]) {
  const { generateAuthenticationOptions } = await webauthn();
  return generateAuthenticationOptions({
    rpID: relyingParty(ctx).rpID,
    allowCredentials: passkeys.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
    userVerification: 'preferred',
  });
}

/** The id of the browser's answer (to find the passkey it claims to be), or null when it has none. */
export function credentialIdOf(response: unknown): string | null {
  const id = (response as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 1000 ? id : null;
}

/** The passkey's new signature counter when the browser's answer is right, else null. */
export async function verifiedAuthentication(
  ctx: AppContext,
  response: unknown,
  expectedChallenge: string,
  passkey: StoredPasskey,
): Promise<number | null> {
  const { rpID, origin } = relyingParty(ctx);
  const { verifyAuthenticationResponse } = await webauthn();
  try {
    const verification = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: {
        id: passkey.credentialId,
        publicKey: Buffer.from(passkey.publicKey, 'base64url'),
        counter: passkey.signCount,
        transports: passkey.transports,
      },
      requireUserVerification: false,
    });
    return verification.verified ? verification.authenticationInfo.newCounter : null;
  } catch {
    return null;
  }
}
