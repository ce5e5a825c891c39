import { createHash } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { invalid, notFound } from '../../domain/errors.js';

/**
 * The organization's logo: a PNG or JPEG of at most 512 KB, kept in the database (so it travels with a backup)
 * and shown on the portal (login included) and on PDFs. SVG is refused on purpose: it is a document that can
 * carry script and fetch URLs.
 */

export const LOGO_MAX_BYTES = 512 * 1024;
export const LOGO_CONTENT_TYPES = ['image/png', 'image/jpeg'] as const;
export type LogoContentType = (typeof LOGO_CONTENT_TYPES)[number];

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The decoded image, once its bytes are proven to be what the content type says. */
export function decodeLogo(contentType: LogoContentType, dataBase64: string): Buffer {
  // Buffer.from(…, 'base64') skips characters it does not know; refuse them instead of storing a guess.
  if (dataBase64.length % 4 !== 0 || !BASE64.test(dataBase64)) {
    throw invalid('/dataBase64', 'is not base64 (A–Z, a–z, 0–9, +, / and = padding, no line breaks)');
  }
  const bytes = Buffer.from(dataBase64, 'base64');
  if (bytes.length === 0) throw invalid('/dataBase64', 'is empty');
  if (bytes.length > LOGO_MAX_BYTES) throw invalid('/dataBase64', `is larger than ${LOGO_MAX_BYTES / 1024} KB`);
  const signature = contentType === 'image/png' ? PNG_SIGNATURE : JPEG_SIGNATURE;
  if (bytes.length <= signature.length || !bytes.subarray(0, signature.length).equals(signature)) {
    throw invalid('/dataBase64', `is not a ${contentType === 'image/png' ? 'PNG' : 'JPEG'} file`);
  }
  return bytes;
}

export async function setLogo(
  ctx: AppContext,
  organizationId: string,
  contentType: LogoContentType,
  dataBase64: string,
): Promise<void> {
  const bytes = decodeLogo(contentType, dataBase64);
  await ctx.db.kysely
    .updateTable('organizations')
    // Stored re-encoded from the checked bytes, so the column holds canonical base64 only.
    .set({ logoBase64: bytes.toString('base64'), logoContentType: contentType, updatedAt: ctx.now().toISOString() })
    .where('id', '=', organizationId)
    .execute();
}

export async function removeLogo(ctx: AppContext, organizationId: string): Promise<void> {
  await ctx.db.kysely
    .updateTable('organizations')
    .set({ logoBase64: null, logoContentType: null, updatedAt: ctx.now().toISOString() })
    .where('id', '=', organizationId)
    .execute();
}

export interface Logo {
  contentType: LogoContentType;
  bytes: Buffer;
  /** A strong validator of the image's bytes, for `ETag` and `If-None-Match`. */
  etag: string;
}

/** The organization's logo, or a 404 when it has none. */
export async function loadLogo(ctx: AppContext, organizationId: string): Promise<Logo> {
  const row = await ctx.db.kysely
    .selectFrom('organizations')
    .select(['logoBase64', 'logoContentType'])
    .where('id', '=', organizationId)
    .executeTakeFirst();
  if (!row?.logoBase64 || !row.logoContentType) throw notFound('logo');
  const etag = `"${createHash('sha256').update(row.logoBase64).digest('base64url').slice(0, 22)}"`;
  return { contentType: row.logoContentType, bytes: Buffer.from(row.logoBase64, 'base64'), etag };
}
