import { Type } from 'typebox';
import { Email } from '../../http/schemas.js';

/** Who is signed in to the back office, their organization, and the CSRF token their app sends back. */
export const Identity = Type.Object({
  user: Type.Object({ id: Type.String(), name: Type.String(), email: Type.String(), role: Type.String() }),
  organization: Type.Object({ id: Type.String(), name: Type.String(), slug: Type.String() }),
  csrfToken: Type.String(),
  enrolmentRequired: Type.Optional(
    Type.Boolean({
      description:
        'The organization requires a second factor and this user has none: this session may only set one up (docs/second-factors.md).',
    }),
  ),
});

export const SignInInput = Type.Object(
  {
    email: Email,
    password: Type.String({ minLength: 1, maxLength: 128 }),
    organization: Type.Optional(
      Type.String({
        maxLength: 60,
        description: 'Slug, when the e-mail is a user of several organizations.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ForgotPasswordInput = Type.Object({ email: Email }, { additionalProperties: false });

export const ResetPasswordInput = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 1, maxLength: 1000, description: 'Checked against the password rules.' }),
  },
  { additionalProperties: false },
);
