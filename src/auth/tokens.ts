import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A secret for a cookie, link or API key: 256 bits from the CSPRNG, URL-safe. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Secrets are stored only as their SHA-256, so a database leak does not hand out sessions or keys. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
