import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { AppError } from '../domain/errors.js';
import { sameSecret } from './tokens.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * For cookie-authenticated requests that change state: the session's CSRF token must come back in
 * `X-CSRF-Token`, and a browser's Origin, when sent, must be our own (the public URL, or the host the request reached).
 */
export function checkCsrf(ctx: AppContext, request: FastifyRequest, expectedToken: string): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    const allowed = [ctx.config.publicUrl.origin, `${request.protocol}://${request.host}`];
    if (!allowed.includes(origin)) throw new AppError('csrf_failed', 'The request came from another site.');
  } else if (origin === 'null') {
    throw new AppError('csrf_failed', 'The request came from another site.');
  }
  const sent = request.headers['x-csrf-token'];
  if (typeof sent !== 'string' || !sameSecret(sent, expectedToken)) {
    throw new AppError('csrf_failed', 'Missing or wrong X-CSRF-Token header; fetch it from GET …/session.');
  }
}
