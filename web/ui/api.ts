import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './api-types.js';

/** A problem+json error from the API (RFC 9457), thrown by `data()` so screens can show its `detail`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: Array<{ path: string; message: string }> = [],
  ) {
    super(message);
  }
}

let csrfToken = '';

/** The session's CSRF token, sent as X-CSRF-Token on every write (API.md). */
export function setCsrfToken(token: string) {
  csrfToken = token;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
};

/** The API client, typed by the server's OpenAPI document (web/ui/api-types.ts, generated). */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf);

/** The body of a successful response, or an ApiError built from the problem document. */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data: body, error, response } = await call;
  if (response.ok) return body as T;
  const problem = (error ?? {}) as { code?: string; detail?: string; title?: string; errors?: ApiError['errors'] };
  throw new ApiError(
    response.status,
    problem.code ?? 'error',
    problem.detail ?? problem.title ?? response.statusText,
    problem.errors ?? [],
  );
}
