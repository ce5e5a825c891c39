import { type TLiteral, type TUnion, Type } from 'typebox';
import { LANGUAGES, type Language as LanguageCode } from '../domain/languages.js';

/** Building blocks shared by every route schema, so that one value has one shape everywhere. */

export const Id = (prefix: string) =>
  Type.String({ pattern: `^${prefix}_[0-9a-z]{26}$`, description: `An opaque id starting with "${prefix}_".` });

/** Integer minor units of the document's currency (cents, yen, fils). */
export const Money = Type.Integer({ minimum: -9_000_000_000_000, maximum: 9_000_000_000_000 });
export const NonNegativeMoney = Type.Integer({ minimum: 0, maximum: 9_000_000_000_000 });
export const PositiveMoney = Type.Integer({ minimum: 1, maximum: 9_000_000_000_000 });

export const DateString = Type.String({
  pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$',
  description: "YYYY-MM-DD in the organization's time zone.",
});
export const Timestamp = Type.String({ description: 'ISO 8601 UTC.' });

/** Exact decimals travel as strings: "1", "2.5", "0.0417". */
export const Decimal = Type.String({ pattern: '^\\d{1,12}(\\.\\d{1,4})?$', maxLength: 17 });
export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code.' });

export const Text = (maxLength: number) => Type.String({ maxLength });
export const Name = Type.String({ minLength: 1, maxLength: 200 });
export const Email = Type.String({ format: 'email', maxLength: 254 });
/** A web address as people write it: `bluebird.example`, `www.bluebird.example/shop` or with `https://`. */
export const Website = Type.String({
  maxLength: 200,
  pattern: '^(https?://)?[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+(:\\d{1,5})?([/?#]\\S*)?$',
});

export const Address = Type.Object(
  {
    attention: Type.Optional(Text(200)),
    street1: Type.Optional(Text(200)),
    street2: Type.Optional(Text(200)),
    city: Type.Optional(Text(100)),
    state: Type.Optional(Text(100)),
    postalCode: Type.Optional(Text(20)),
    country: Type.Optional(Text(100)),
    phone: Type.Optional(Text(40)),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });

/** A value or null: a field that is present in every answer but may be empty. */
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** Query parameters every list accepts. */
export const ListQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};

export const Page = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ data: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const NoContent = Type.Null();

/**
 * An RFC 9457 problem (`src/http/problem.ts`), for a route that declares its own schema for an error status: the
 * error handler's problems are serialized by that schema too, and must pass it.
 */
export const ProblemBody = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
});

/**
 * One of a list of words (statuses, actions) that the domain spells once: a union of literals, which the OpenAPI
 * document shows as `anyOf` of `const`s, in the list's order.
 */
export const OneOf = <const T extends string>(words: readonly T[]): TUnion<[TLiteral<T>]> =>
  // TypeBox types a union from a tuple of schemas; one literal of the union of words types the same values.
  Type.Union(words.map((word) => Type.Literal(word))) as unknown as TUnion<[TLiteral<T>]>;

/** What e-invoices need of a party (migration 0023, `docs/e-invoices.md`); each is optional until one is made. */
export const TaxParty = {
  countryCode: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 country code.' }),
  taxId: Type.String({ minLength: 2, maxLength: 40, pattern: '^\\S(.*\\S)?$', description: 'VAT identifier.' }),
  peppolId: Type.String({
    pattern: '^\\d{4}:[^\\s:]{1,100}$',
    description:
      'Electronic address as a Peppol participant id: the EAS scheme and the identifier, `0088:5790000435968`.',
  }),
};
/** A contact person's language (`src/domain/languages.ts`); null where it may be unset follows the organization. */
export const Language = Type.Unsafe<LanguageCode>({
  ...OneOf(LANGUAGES),
  description: 'en, fr, de, es or ja. Null: the organization’s locale decides.',
});
