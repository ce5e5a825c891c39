import type { FastifySchemaValidationError } from 'fastify';
import type { TSchema } from 'typebox';
import { Currency, DateString, Decimal, Website } from './schemas.js';

const patternOf = (schema: TSchema): string => String((schema as { pattern?: string }).pattern);

/**
 * A schema error in words a person can act on (issue 18, "words, not codes"): the back office shows these next
 * to the field, so "must match pattern "^\d{1,12}(\.\d{1,4})?$"" becomes "must be a number with up to 4
 * decimals, such as 2 or 1.5". The problem's `errors[].path` still names the field exactly.
 */
const PATTERN_WORDS: Record<string, string> = {
  [patternOf(Decimal)]: 'must be a number with up to 4 decimals, such as 2 or 1.5',
  [patternOf(DateString)]: 'must be a date written YYYY-MM-DD, such as 2026-03-31',
  [patternOf(Currency)]: 'must be a three-letter currency code, such as USD',
  [patternOf(Website)]: 'must be a web address, such as bluebird.example or https://bluebird.example',
  '\\S': 'must not be blank',
};

const TYPE_WORDS: Record<string, string> = {
  string: 'must be text',
  number: 'must be a number',
  integer: 'must be a whole number',
  boolean: 'must be true or false',
  array: 'must be a list',
  object: 'must be an object',
  null: 'must be null',
};

const FORMAT_WORDS: Record<string, string> = {
  email: 'must be an e-mail address, such as name@example.com',
  uri: 'must be a web address, such as https://example.com',
  'date-time': 'must be a date and time, such as 2026-03-31T09:00:00Z',
  date: 'must be a date written YYYY-MM-DD',
};

/**
 * A value that fits none of a union's forms gets one error per form and one for the union itself: for a
 * nullable field, "must be a web address…", "must be null" and "must match a schema in anyOf". Only the most
 * specific are kept — the null alternative and the union's own error go when another error names the same field.
 */
export function specificErrors(errors: FastifySchemaValidationError[]): FastifySchemaValidationError[] {
  const isUnionNoise = (error: FastifySchemaValidationError) =>
    error.keyword === 'anyOf' ||
    error.keyword === 'oneOf' ||
    (error.keyword === 'type' && (error.params as { type?: unknown }).type === 'null');
  return errors.filter(
    (error) =>
      !isUnionNoise(error) ||
      !errors.some((other) => other !== error && !isUnionNoise(other) && other.instancePath === error.instancePath),
  );
}

export function fieldMessageOf(error: FastifySchemaValidationError): string {
  const params = error.params as Record<string, unknown>;
  const limit = params.limit;
  switch (error.keyword) {
    case 'additionalProperties':
      return 'unknown field';
    case 'required':
      return 'is required';
    case 'pattern':
      return PATTERN_WORDS[String(params.pattern)] ?? 'is not in the expected format';
    case 'type':
      return TYPE_WORDS[String(params.type)] ?? 'has the wrong type';
    case 'format':
      return FORMAT_WORDS[String(params.format)] ?? 'is not in the expected format';
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must be at least ${limit} characters`;
    case 'maxLength':
      return `must be at most ${limit} characters`;
    case 'minimum':
      return `must be at least ${limit}`;
    case 'maximum':
      return `must be at most ${limit}`;
    case 'minItems':
      return limit === 1 ? 'must not be empty' : `must have at least ${limit} items`;
    case 'maxItems':
      return `must have at most ${limit} items`;
    case 'enum':
      return Array.isArray(params.allowedValues)
        ? `must be one of: ${params.allowedValues.map(String).join(', ')}`
        : 'is not one of the allowed values';
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'anyOf':
    case 'oneOf':
      return 'is not one of the accepted forms';
    default:
      return error.message ?? 'is not valid';
  }
}
