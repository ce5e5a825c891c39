import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import type { Realm } from './sessions.js';
import {
  accountThrottleKey,
  clientAddressOf,
  deviceThrottleKey,
  forgiveAttempt,
  ipThrottleKey,
  reserveAttempt,
  tooManyAttempts,
} from './throttle.js';

/**
 * The limits around checking a password — signing in, and the current password of a password change — in both
 * realms (docs/sign-in-limits.md):
 *  1. at most MAX_CHECKS_PER_ADDRESS checks from one client address run at once in a process; more are answered
 *     429 at once, before the database or the hash queue is touched, so one address cannot fill either;
 *  2. the attempt is reserved in the database (throttle.ts) on the account — or on the known device — and on the
 *     address, before the password is hashed;
 *  3. the hash waits in a bounded queue (passwords.ts), or is answered 503 when it is full.
 * A device that signed in to an account before carries a signed cookie naming it; its attempts count against its
 * own budget instead of the account's, so an attacker who spends the account's budget does not lock its owner out.
 */
export const MAX_CHECKS_PER_ADDRESS = 4;
const checksInProgress = new Map<string, number>();

/** An account of one realm: a portal's contact person (its organization) or a business e-mail (null). */
export interface PasswordAccount {
  realm: Realm;
  organizationId: string | null;
  email: string;
}

/** A business e-mail is one account whichever organization it names; unknown e-mails count alike. */
export const businessAccount = (email: string): PasswordAccount => ({ realm: 'business', organizationId: null, email });

/** A portal account is an e-mail at one organization's portal. */
export const portalAccount = (organizationId: string, email: string): PasswordAccount => ({
  realm: 'portal',
  organizationId,
  email,
});

/** Where an attempt comes from: the client's address (an IPv6 one by its /64) and its device cookie, if any. */
export interface AttemptSource {
  ip: string;
  deviceCookie: string | undefined;
}

const DEVICE_COOKIE_DAYS = 400;

function deviceCookieName(ctx: AppContext, realm: Realm): string {
  const base = realm === 'business' ? 'portico_app_device' : 'portico_portal_device';
  return ctx.config.publicUrl.protocol === 'https:' ? `__Host-${base}` : base;
}

export function attemptSourceOf(ctx: AppContext, request: FastifyRequest, realm: Realm): AttemptSource {
  return { ip: clientAddressOf(request.ip), deviceCookie: request.cookies[deviceCookieName(ctx, realm)] };
}

const accountKeyOf = (account: PasswordAccount) =>
  accountThrottleKey(account.realm, account.organizationId, account.email);

/** The cookie's signature binds a device id to one account, so it cannot be forged or moved to another. */
function signature(ctx: AppContext, account: PasswordAccount, deviceId: string): Buffer {
  return createHmac('sha256', ctx.config.appSecret)
    .update(`portico known device\n${accountKeyOf(account)}\n${deviceId}`)
    .digest();
}

/** The device id of a cookie this server signed for this account; null for no cookie, another's, or a forgery. */
function knownDeviceOf(ctx: AppContext, account: PasswordAccount, source: AttemptSource): string | null {
  const [deviceId, mac, ...rest] = (source.deviceCookie ?? '').split('.');
  if (!deviceId || !mac || rest.length > 0) return null;
  const expected = signature(ctx, account, deviceId);
  const given = Buffer.from(mac, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) ? deviceId : null;
}

/**
 * Checks a password under the limits. `check` looks the account up and verifies the password; when it answers
 * `right` the attempt is forgiven, else it stays counted. Its answer is returned. Throws 429 (`Retry-After`) when a limit refuses, 503
 * when the hash queue is full (the attempt is then given back: nothing was checked).
 */
export async function limitedPasswordCheck<Checked extends { right: boolean }>(
  ctx: AppContext,
  account: PasswordAccount,
  source: AttemptSource,
  check: () => Promise<Checked>,
): Promise<Checked> {
  const inProgress = checksInProgress.get(source.ip) ?? 0;
  if (inProgress >= MAX_CHECKS_PER_ADDRESS) throw tooManyAttempts(1_000);
  checksInProgress.set(source.ip, inProgress + 1);
  try {
    const device = knownDeviceOf(ctx, account, source);
    const accountKey = device === null ? accountKeyOf(account) : deviceThrottleKey(accountKeyOf(account), device);
    const ipKey = ipThrottleKey(account.realm, 'login', source.ip);
    // The address first: it has no back-off, so giving its attempt back when the account refuses leaves no trace.
    await reserveAttempt(ctx, [ipKey, accountKey]);
    let checked: Checked;
    try {
      checked = await check();
    } catch (error) {
      await forgiveAttempt(ctx, { clear: [], giveBack: [accountKey, ipKey] });
      throw error;
    }
    if (checked.right) await forgiveAttempt(ctx, { clear: [accountKey], giveBack: [ipKey] });
    return checked;
  } finally {
    const left = (checksInProgress.get(source.ip) ?? 1) - 1;
    if (left > 0) checksInProgress.set(source.ip, left);
    else checksInProgress.delete(source.ip);
  }
}

/**
 * After a successful sign-in: the browser keeps (or receives) a cookie that names it a known device of this
 * account, so its next sign-ins count against its own budget.
 */
export function rememberDevice(
  ctx: AppContext,
  reply: FastifyReply,
  account: PasswordAccount,
  source: AttemptSource,
): void {
  const deviceId = knownDeviceOf(ctx, account, source) ?? randomBytes(16).toString('base64url');
  const value = `${deviceId}.${signature(ctx, account, deviceId).toString('base64url')}`;
  reply.setCookie(deviceCookieName(ctx, account.realm), value, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: ctx.config.publicUrl.protocol === 'https:',
    maxAge: DEVICE_COOKIE_DAYS * 24 * 3600,
  });
}
