import { Type } from 'typebox';
import { Currency, Email, Name } from '../../http/schemas.js';

export const SetupInput = Type.Object(
  {
    organizationName: Name,
    portalName: Type.String({
      minLength: 1,
      maxLength: 60,
      description: 'The slug of the client portal: /portal/<portal name>/ (lower-case letters, digits and dashes).',
    }),
    currency: Currency,
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'An IANA time zone, e.g. Europe/Paris.' }),
    locale: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}(-[A-Z]{2})?$' })),
    ownerName: Name,
    ownerEmail: Email,
    password: Type.String({ minLength: 1, maxLength: 1000, description: 'Checked against the password rules.' }),
  },
  { additionalProperties: false },
);

export const SetupStatus = Type.Object({ needed: Type.Boolean() });
