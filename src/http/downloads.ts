import type { FastifyReply } from 'fastify';

/**
 * Files leave the server as attachments with a sanitized name (the callers build it with `fileNameOf`), never
 * cached by shared caches: they are one customer's documents. A stream body (an export's ZIP) is sent as it comes.
 */
export function sendFile(
  reply: FastifyReply,
  file: { filename: string; body: Buffer | string | NodeJS.ReadableStream; contentType: string },
): FastifyReply {
  return reply
    .header('content-disposition', `attachment; filename="${file.filename.replace(/["\\\r\n]/g, '_')}"`)
    .header('cache-control', 'private, no-store')
    .type(file.contentType)
    .send(file.body);
}

export const sendPdf = (reply: FastifyReply, file: { filename: string; pdf: Buffer }) =>
  sendFile(reply, { filename: file.filename, body: file.pdf, contentType: 'application/pdf' });

/**
 * A standalone HTML page under the app's Content-Security-Policy, extended only by the hash of the page's own
 * stylesheet: no inline script can run, and no other inline style applies.
 */
export function sendHtmlPage(reply: FastifyReply, html: string, styleHash: string): FastifyReply {
  const current = reply.getHeader('content-security-policy') ?? reply.raw.getHeader('content-security-policy');
  const base = typeof current === 'string' && current !== '' ? current : "default-src 'self'";
  reply.raw.removeHeader('content-security-policy');
  return reply
    .header('content-security-policy', `${base}; style-src '${styleHash}'`)
    .header('cache-control', 'private, no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}
