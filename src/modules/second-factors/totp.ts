import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30-second steps. */
const PERIOD_SECONDS = 30;

function totpOf(secret: string, issuer = 'Portico', label = 'Portico') {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

/** A new secret (160 bits, base32), its `otpauth://` URI and that URI as a QR code (a PNG data URL). */
export async function newTotpSecret(issuer: string, accountName: string) {
  const secret = new Secret({ size: 20 }).base32;
  const uri = totpOf(secret, issuer, accountName).toString();
  const { default: QRCode } = await import('qrcode'); // loaded with the first QR code
  const qrCode = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
  return { secret, uri, qrCode };
}

/**
 * The time step a code was made for when it is right now (the current step, or one either side for clocks a
 * little off), else null. The caller refuses a step it has already accepted, so no code works twice.
 */
export function acceptedStep(secret: string, code: string, now: Date): number | null {
  const delta = totpOf(secret).validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : Math.floor(now.getTime() / 1000 / PERIOD_SECONDS) + delta;
}
