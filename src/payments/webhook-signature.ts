import { createHmac, timingSafeEqual } from 'node:crypto';
import { WEBHOOK_TOLERANCE_SECONDS, WebhookVerificationError } from './gateway.js';

/**
 * Webhook signatures of the sandbox gateway, in the scheme real processors use: an HMAC-SHA256 over
 * `<timestamp>.<raw body>` with the endpoint's secret, sent as `t=<unix seconds>,v1=<hex>`.
 */
export function signWebhook(secret: string, timestampSeconds: number, rawBody: Buffer | string): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.`).update(rawBody).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

/** Throws WebhookVerificationError unless one v1 signature matches and the timestamp is within the tolerance. */
export function verifyWebhookSignature(
  secret: string,
  rawBody: Buffer,
  header: string | string[] | undefined,
  nowSeconds: number,
  toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS,
): void {
  if (typeof header !== 'string' || header.length > 2000) throw new WebhookVerificationError('No signature header.');
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && value && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) {
    throw new WebhookVerificationError('The signature header is malformed.');
  }
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody).split('v1=')[1] ?? '', 'hex');
  const matches = signatures.some((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected));
  if (!matches) throw new WebhookVerificationError('The signature does not match the body.');
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    throw new WebhookVerificationError('The signature timestamp is outside the tolerance.');
  }
}
