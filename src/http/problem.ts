import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../domain/errors.js';
import { fieldMessageOf, specificErrors } from './field-messages.js';

/** RFC 9457 problem details, the one shape every error leaves the server in. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
}

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function problem(status: number, code: string, detail: string, errors?: FieldError[]): Problem {
  return {
    type: `https://portico.dev/problems/${code}`,
    title: titles[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.status(body.status).type('application/problem+json').send(body);
}

/** Fastify's schema errors name the field as `instancePath`; turn them into our `{path, message}`. */
function fieldErrorsOf(error: FastifyError): FieldError[] {
  return specificErrors(error.validation ?? []).map((v) => {
    const params = v.params as Record<string, unknown>;
    const extra = typeof params.additionalProperty === 'string' ? `/${params.additionalProperty}` : '';
    const missing = typeof params.missingProperty === 'string' ? `/${params.missingProperty}` : '';
    const where = error.validationContext && error.validationContext !== 'body' ? `${error.validationContext}:` : '';
    const message = fieldMessageOf(v);
    return { path: `${where}${v.instancePath}${extra}${missing}` || '/', message };
  });
}

/**
 * PostgreSQL refuses text holding a NUL character ("invalid byte sequence for encoding", SQLSTATE 22021). The
 * validators refuse it in every validated part of a request (`validation.ts`); this answers the parts read before
 * validation — the guards look the portal name up from the URL — as the bad input they are, not a 500. Those are
 * reads, so nothing was written.
 */
function isNulCharacterRefusal(error: FastifyError | AppError): boolean {
  return (error as { code?: unknown }).code === '22021';
}

/**
 * Two writes that took the same rows in opposite orders (PostgreSQL's deadlock, SQLSTATE 40P01, or a serialization
 * failure, 40001), or SQLite still locked after its busy timeout (SQLITE_BUSY): the database rolled the request's
 * transaction back, so nothing was changed, and the same request a moment later goes through. Answered 503 `busy`
 * with Retry-After, not 500: it is the load, not a bug, and the client may simply retry (payments carry their
 * idempotency key, so a retried payment is still one payment).
 */
function isWriteConflict(error: FastifyError | AppError): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '40P01' || code === '40001' || code === 'SQLITE_BUSY';
}

export function errorHandler(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
    return sendProblem(reply, problem(error.status, error.code, error.message, error.errors));
  }
  if (error.validation) {
    return sendProblem(reply, problem(400, 'validation_failed', 'The request is not valid.', fieldErrorsOf(error)));
  }
  if (isNulCharacterRefusal(error)) {
    return sendProblem(
      reply,
      problem(400, 'bad_request', 'The request holds a NUL character (%00), which is not text.'),
    );
  }
  if (isWriteConflict(error)) {
    request.log.warn({ err: error }, 'write conflict: the transaction was rolled back');
    reply.header('retry-after', '1');
    return sendProblem(
      reply,
      problem(503, 'busy', 'The books were busy with another change. Nothing was changed; try again in a moment.'),
    );
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = status === 429 ? 'rate_limited' : status === 404 ? 'not_found' : 'bad_request';
    return sendProblem(reply, problem(status, code, error.message));
  }
  request.log.error({ err: error }, 'request failed');
  return sendProblem(reply, problem(500, 'internal_error', 'Something went wrong on our side. Nothing was changed.'));
}

export function notFoundHandler(_request: FastifyRequest, reply: FastifyReply) {
  return sendProblem(reply, problem(404, 'not_found', 'No such resource.'));
}
