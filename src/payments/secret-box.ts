import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets at rest: AES-256-GCM under a key derived (HKDF-SHA256) from APP_SECRET, so a copy of the database alone
 * does not reveal gateway credentials. The organization id is the additional authenticated data: a ciphertext
 * moved to another organization's row does not decrypt.
 *
 * Format: `v1.<base64url iv (12 bytes)>.<base64url tag (16 bytes)>.<base64url ciphertext>`.
 */
const VERSION = 'v1';
const SALT = Buffer.from('portico/payment-gateways');

/** A 32-byte key for one purpose, derived from the app secret; different purposes never share a key. */
export function deriveKey(appSecret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(appSecret, 'utf8'), SALT, Buffer.from(purpose, 'utf8'), 32));
}

export function encryptSecret(appSecret: string, organizationId: string, plaintext: string): string {
  const key = deriveKey(appSecret, 'credentials-encryption-v1');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(organizationId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
}

export class SecretDecryptionError extends Error {
  override name = 'SecretDecryptionError';
}

/** Throws SecretDecryptionError when the app secret changed, the organization differs or the data was altered. */
export function decryptSecret(appSecret: string, organizationId: string, sealed: string): string {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
    throw new SecretDecryptionError('Unknown format of an encrypted secret.');
  }
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      deriveKey(appSecret, 'credentials-encryption-v1'),
      Buffer.from(iv, 'base64url'),
    );
    decipher.setAAD(Buffer.from(organizationId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretDecryptionError(
      'An encrypted secret could not be decrypted: APP_SECRET changed since it was stored, or the data was altered.',
    );
  }
}

/** A keyed digest (hex), for "is this the same value" without keeping the value (card fingerprints). */
export function keyedDigest(appSecret: string, purpose: string, value: string): string {
  return createHmac('sha256', deriveKey(appSecret, purpose)).update(value, 'utf8').digest('hex');
}

/** `sk_test_…4242`: enough to recognize a credential, too little to use it. */
export function maskSecret(secret: string): string {
  const prefix = /^([a-z]+_(?:test_|live_)?)/.exec(secret)?.[1] ?? '';
  return `${prefix}…${secret.slice(-4)}`;
}
