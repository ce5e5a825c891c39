import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fastJson from 'fast-json-stringify';
import type { FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';

/**
 * Two validators: bodies are checked strictly (no type coercion, unknown fields rejected, never stripped),
 * while path and query strings, which are text by nature, are coerced to the declared types.
 */
function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, strict: false, ...options });
  addFormats.default(ajv);
  return ajv;
}

const strict = makeAjv({ coerceTypes: false });
const coercing = makeAjv({ coerceTypes: 'array' });

/**
 * Where a value holds the NUL character (`\u0000`, `%00` in a URL), as a JSON pointer, or null. PostgreSQL cannot
 * store it in text and answered such a request with a 500 (found by test/api/openapi-fuzz.test.ts); it is refused
 * here, on both databases alike, before any handler runs.
 */
function nulCharacterAt(value: unknown, at = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? at || '/' : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const found = key.includes('\u0000') ? `${at}/${key}` : nulCharacterAt(item, `${at}/${key}`);
    if (found !== null) return found;
  }
  return null;
}

/**
 * A route's validator, compiled when the route is first asked, not when the app starts: compiling every route's
 * schemas at start took ≈ 0.3 s of CPU, paid by every `portico serve` and by each of the few hundred apps a test run
 * starts. (The OpenAPI fuzz test asks every route, so a schema that does not compile still fails the tests.)
 */
export const schemaCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  let compiled: ValidateFunction | undefined;
  const check = (data: unknown): boolean => {
    compiled ??= (httpPart === 'body' ? strict : coercing).compile(schema);
    const validate = compiled;
    if (!validate(data)) {
      check.errors = validate.errors ?? null;
      return false;
    }
    const at = nulCharacterAt(data);
    const nul: ErrorObject = { instancePath: at ?? '', schemaPath: '#', keyword: 'nul', params: {} };
    check.errors = at === null ? null : [{ ...nul, message: 'must not contain the NUL character' }];
    return at === null;
  };
  check.errors = null as ErrorObject[] | null;
  return check;
};

/**
 * Answers are written by fast-json-stringify from the route's response schema, as Fastify's own serializer compiler
 * does, but compiled when the route first answers with that status, not when the app starts (≈ 0.4 s of CPU a
 * start, like the validators above).
 */
export const serializerCompiler: FastifySerializerCompiler<object> = ({ schema }) => {
  let serialize: ((data: unknown) => string) | undefined;
  return (data) => {
    serialize ??= fastJson(schema);
    return serialize(data);
  };
};
