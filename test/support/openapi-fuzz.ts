import fc from 'fast-check';

/**
 * Bad requests generated from the OpenAPI document (test/api/openapi-fuzz.test.ts): for one operation, requests
 * whose path, query string, body, encoding or credentials are wrong in one way — wrong types, sizes, nesting,
 * characters and content types — beside bodies that fit the schema but carry edge values (the longest strings, the
 * largest amounts, NUL and astral characters), which reach the services and the database.
 */

/** The part of JSON Schema the route schemas use (TypeBox, as the OpenAPI document shows them). */
export interface Schema {
  type?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
}

export interface Operation {
  method: string;
  /** As the document writes it: `/api/v1/invoices/{id}`. */
  path: string;
  pathParams: string[];
  query: Array<{ name: string; schema: Schema }>;
  body: Schema | null;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Array<{ in: string; name: string; schema: Schema }>;
        requestBody?: { content: Record<string, { schema: Schema }> };
      }
    >
  >;
}

/** Every operation of the document. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => {
      const parameters = operation.parameters ?? [];
      return {
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema })),
        body: operation.requestBody?.content['application/json']?.schema ?? null,
      };
    }),
  );
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** What was wrong with it, for the failure message. */
  what: string;
}

/** What a request needs to be well addressed: a real value for each path parameter, and real ids to mix in. */
export interface Addresses {
  pathParam(path: string, name: string): string;
  ids: string[];
}

/** Over Fastify's body limit (1 MiB): answered 413 before anything is parsed. */
const OVER_BODY_LIMIT = JSON.stringify({ text: 'x'.repeat(1_100_000) });
const LONG_STRING = 'é'.repeat(20_000);
const deepArray = (depth: number): unknown => (depth === 0 ? [] : [deepArray(depth - 1)]);
const deepObject = (depth: number): unknown => (depth === 0 ? {} : { a: deepObject(depth - 1) });

/** Strings that go wrong in databases, encodings and parsers. */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '\uffff', '😀'.repeat(30), "'; drop table invoices; --", '%00', ''),
  fc.constantFrom(LONG_STRING, ' '.repeat(5000)),
);

/** Numbers at and past every limit a database column or JavaScript has. */
const nastyNumber = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 9_000_000_000_001, 1e21, -1e300, 5e-324),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A value of the wrong kind anywhere: every JSON type, deep nesting, huge strings. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  nastyNumber,
  nastyString,
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.constantFrom(deepArray(2000), deepObject(2000)),
);

/** A value that fits `schema`, with edge values, and real ids (of any kind) for id-looking strings. */
export function fitting(schema: Schema, ids: string[]): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => fitting(s, ids)));
  switch (schema.type ?? (schema.properties ? 'object' : undefined)) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const min = Math.max(schema.minimum ?? Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER);
      const max = Math.min(schema.maximum ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      const any =
        schema.type === 'integer'
          ? fc.integer({ min, max })
          : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
      return fc.oneof(fc.constantFrom(min, max), any);
    }
    case 'string':
      return fittingString(schema, ids);
    case 'array':
      return fc.array(fitting(schema.items ?? {}, ids), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    case 'object': {
      const properties = schema.properties ?? {};
      const record = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, fitting(s, ids)]));
      return fc.record(record, { requiredKeys: (schema.required ?? []).filter((k) => k in properties) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function fittingString(schema: Schema, ids: string[]): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 300;
  const fits = (s: string) => s.length >= min && s.length <= max;
  if (schema.pattern) {
    const matching = fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
    const real = ids.filter((id) => new RegExp(schema.pattern ?? '').test(id));
    return real.length > 0 ? fc.oneof(fc.constantFrom(...real), matching) : matching;
  }
  if (schema.format === 'email') return fc.emailAddress().filter(fits);
  return fc
    .oneof(
      fc.string({ unit: 'binary', minLength: min, maxLength: Math.min(max, 40) }),
      // The longest allowed, of characters that are several bytes in UTF-8 (and two UTF-16 units: 😀).
      fc.constantFrom('é', '😀', '\u0000', 'a').map((c) => c.repeat(Math.ceil(max / c.length)).slice(0, max)),
      ...(ids.length > 0 && max >= 30 ? [fc.constantFrom(...ids)] : []),
    )
    .filter(fits);
}

/** Every place in a JSON value, as a path of keys and indexes; the value itself is `[]`. */
function placesIn(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return [at, ...value.flatMap((item, i) => placesIn(item, [...at, i]))];
  if (value !== null && typeof value === 'object') {
    return [at, ...Object.entries(value).flatMap(([k, v]) => placesIn(v, [...at, k]))];
  }
  return [at];
}

function replaceAt(value: unknown, at: Array<string | number>, replace: (old: unknown) => unknown): unknown {
  if (at.length === 0) return replace(value);
  const [head, ...rest] = at as [string | number, ...Array<string | number>];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head] = replaceAt(copy[head], rest, replace);
  return copy;
}

type Mutation = (old: unknown) => unknown;
const mutation: fc.Arbitrary<{ what: string; change: Mutation }> = fc.oneof(
  wrongValue.map((bad) => ({ what: 'a wrong value', change: () => bad })),
  fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), wrongValue).map(([key, bad]) => ({
    what: `an unknown field ${JSON.stringify(key)}`,
    change: (old: unknown) =>
      old !== null && typeof old === 'object' && !Array.isArray(old) ? { ...old, [key]: bad } : { [key]: bad },
  })),
  fc.constant({ what: 'a value wrapped in an array', change: (old: unknown) => [old] }),
  fc.constant({
    what: 'a field left out',
    change: (old: unknown) =>
      old !== null && typeof old === 'object' && !Array.isArray(old)
        ? Object.fromEntries(Object.entries(old).slice(1))
        : undefined,
  }),
);

/** A body that fits the schema, then is changed in one place. */
function mutatedBody(schema: Schema, ids: string[]): fc.Arbitrary<{ what: string; body: unknown }> {
  return fc.tuple(fitting(schema, ids), fc.nat(), mutation).map(([body, index, { what, change }]) => {
    const places = placesIn(body);
    const at = places[index % places.length] ?? [];
    return { what: `${what} at /${at.join('/')}`, body: replaceAt(body, at, change) ?? null };
  });
}

/** Path segments of the wrong shape: unknown, too long, unicode, percent-encoded (badly too), other kinds' ids. */
function badSegment(ids: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map(encodeURIComponent),
    fc.integer({ min: 41, max: 5000 }).map((n) => 'x'.repeat(n)),
    fc.constantFrom('%00', '%', '%zz', '%C3%28', '%E0%A4%A', '%F0%9F%98', '%2F', '%2e%2e', '%EF%BF%BF', '%F0%9F%98%80'),
    fc.constantFrom('-1', '0', '1e309', 'null', 'undefined', '[]', '..', 'inv_', 'INV_00000000000000000000000000'),
    fc.constantFrom(...ids).map((id) => `${id}%00`),
    fc.constantFrom(...ids),
  );
}

/** A query string value of the wrong type or size, raw (it may be badly encoded on purpose). */
const badQueryValue = fc.oneof(
  fc.constantFrom('abc', 'true', '[]', '{}', '', 'null', 'NaN', 'Infinity', '0x10', '%20%201', '1.5', '-1'),
  fc.constantFrom('1e308', '99999999999999999999999', '-9007199254740993', '9000000000001', '2026-02-31', '0000-00-00'),
  fc.constantFrom('%00', '%', '%zz', '%C3%28', '%F0%9F%98%80', 'x'.repeat(10_000)),
  fc.string({ unit: 'binary', maxLength: 30 }).map(encodeURIComponent),
  // Cursors that are base64url JSON, but not ones the server handed out.
  fc
    .oneof(
      fc.tuple(nastyString, nastyString),
      fc.jsonValue({ maxDepth: 2 }),
      fc.constant(['9999-12-31', '\u0000']),
      fc.constant(['x'.repeat(150), 'inv_']),
    )
    .map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
);

function badQuery(operation: Operation, ids: string[]): fc.Arbitrary<{ what: string; query: string }> {
  const names = [...operation.query.map((q) => q.name), 'limit', 'cursor', 'unknown', '__proto__', 'a[b]'];
  const pair = fc.tuple(
    fc.constantFrom(...names),
    fc.oneof(
      badQueryValue,
      ...operation.query.map((q) => fitting(q.schema, ids).map((v) => encodeURIComponent(String(v)))),
    ),
  );
  // One to four pairs: a name may come twice (an array), which a single-valued parameter must refuse.
  return fc.array(pair, { minLength: 1, maxLength: 4 }).map((pairs) => ({
    what: 'a query string of wrong types, sizes or encodings',
    query: pairs.map(([name, value]) => `${name}=${value}`).join('&'),
  }));
}

/** Bodies in the wrong encoding or content type, invalid JSON, empty, over the limit. */
const badEncoding: fc.Arbitrary<{ what: string; headers: Record<string, string>; payload: string | Buffer }> = fc.oneof(
  fc
    .constantFrom(
      '{',
      '{"a":',
      '[1,]',
      'nul',
      '\u0000',
      '"',
      '{"__proto__":{"x":1}}',
      '{"constructor":{"prototype":{"x":1}}}',
    )
    .map((payload) => ({ what: 'invalid JSON', headers: { 'content-type': 'application/json' }, payload })),
  fc.constantFrom('', ' ').map((payload) => ({
    what: 'an empty JSON body',
    headers: { 'content-type': 'application/json' },
    payload,
  })),
  fc.constant({ what: 'JSON as text/plain', headers: { 'content-type': 'text/plain' }, payload: '{"name":"x"}' }),
  fc.constant({
    what: 'a form',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'name=x&amount=1',
  }),
  fc.constant({
    what: 'a multipart form',
    headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
    payload: '--XyZ\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--XyZ--\r\n',
  }),
  fc.constant({
    what: 'JSON in UTF-16',
    headers: { 'content-type': 'application/json; charset=utf-16' },
    payload: Buffer.from('{"name":"x"}', 'utf16le'),
  }),
  fc.constant({
    what: 'bytes that are not UTF-8',
    headers: { 'content-type': 'application/json' },
    payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
  }),
  fc.constant({
    what: 'a body over the limit',
    headers: { 'content-type': 'application/json' },
    payload: OVER_BODY_LIMIT,
  }),
  fc.constant({ what: 'no content type', headers: {}, payload: '{"name":"x"}' }),
);

/** Broken credentials: they replace the actor's own (a wrong CSRF token alone keeps its session cookie). */
const badCredentials: fc.Arbitrary<{ what: string; headers: Record<string, string> }> = fc.oneof(
  fc
    .constantFrom(
      'Bearer ',
      'Bearer x',
      `Bearer ${'a'.repeat(10_000)}`,
      'Basic Zm9vOmJhcg==',
      'bearer  x y',
      'Bearer %00',
    )
    .map((authorization) => ({ what: `the credentials ${authorization.slice(0, 20)}`, headers: { authorization } })),
  fc
    .constantFrom(
      'portico_app=garbage',
      'portico_app=%E0%A4%A',
      'portico_app=; portico_portal=',
      `portico_portal=${'x'.repeat(5000)}`,
      'portico_app=a; portico_app=b',
      'portico_portal=%00',
    )
    .map((cookie) => ({ what: `the cookie ${cookie.slice(0, 30)}`, headers: { cookie } })),
  fc
    .constantFrom('', 'x', 'x'.repeat(5000))
    .map((token) => ({ what: 'a wrong CSRF token', headers: { 'x-csrf-token': token } })),
);

/**
 * `count` bad requests for one operation, the same ones for the same seed. The path parameters are real (so the
 * body and query reach the service) except in the cases that break the path.
 */
export function badRequests(operation: Operation, addresses: Addresses, count: number, seed: number): FuzzRequest[] {
  const { ids } = addresses;
  const urlOf = (broken?: { name: string; value: string }, query = '') => {
    const path = operation.path.replace(/\{(\w+)\}/g, (_all, name: string) =>
      broken?.name === name ? broken.value : encodeURIComponent(addresses.pathParam(operation.path, name)),
    );
    return query === '' ? path : `${path}?${query}`;
  };
  const json = { 'content-type': 'application/json' };
  const kinds: Array<fc.Arbitrary<FuzzRequest>> = [
    badQuery(operation, ids).map(({ what, query }) => ({
      method: operation.method,
      url: urlOf(undefined, query),
      headers: {},
      what,
    })),
    badEncoding.map(({ what, headers, payload }) => ({
      method: operation.method,
      url: urlOf(),
      headers,
      payload,
      what,
    })),
    badCredentials.map(({ what, headers }) => ({ method: operation.method, url: urlOf(), headers, what })),
  ];
  if (operation.pathParams.length > 0) {
    kinds.push(
      fc.tuple(fc.constantFrom(...operation.pathParams), badSegment(ids)).map(([name, value]) => ({
        method: operation.method,
        url: urlOf({ name, value }),
        headers: {},
        what: `the path parameter ${name} = ${value.slice(0, 60)}`,
      })),
    );
  }
  const { body } = operation;
  if (body) {
    kinds.push(
      fitting(body, ids).map((value) => ({
        method: operation.method,
        url: urlOf(),
        headers: json,
        payload: JSON.stringify(value),
        what: 'a body that fits the schema, with edge values',
      })),
      mutatedBody(body, ids).map(({ what, body: value }) => ({
        method: operation.method,
        url: urlOf(),
        headers: json,
        payload: JSON.stringify(value),
        what: `a body with ${what}`,
      })),
    );
  }
  // Payments and autopay read an Idempotency-Key header: sometimes a strange one.
  const idempotencyKey = fc.option(fc.constantFrom('', 'k', 'x'.repeat(5000), '   ', 'a,b'), { freq: 2 });
  return fc
    .sample(fc.tuple(fc.oneof(...kinds), idempotencyKey), { seed, numRuns: count })
    .map(([request, key]) =>
      key === null ? request : { ...request, headers: { ...request.headers, 'idempotency-key': key } },
    );
}
