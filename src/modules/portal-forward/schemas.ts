import { Type } from 'typebox';

// One plain address and nothing else: no display name, no second recipient, no spaces or line breaks (nothing a
// mail header could read as another header), and a domain with a dot. `format: email` is checked as well.
const PLAIN_ADDRESS =
  "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$";

export const ForwardInput = Type.Object(
  {
    email: Type.String({
      format: 'email',
      pattern: PLAIN_ADDRESS,
      minLength: 3,
      maxLength: 254,
      description: 'One plain e-mail address (no name, no list).',
    }),
    message: Type.Optional(
      Type.Union([
        Type.String({ maxLength: 2000, description: 'A note to the recipient, quoted in the e-mail.' }),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
);

/**
 * The same answer whatever the business already knows about the address (a new recipient, a colleague, someone
 * under another customer), so the portal is no oracle for who else deals with the business.
 */
export const Forwarded = Type.Object({
  forwardedTo: Type.String(),
  message: Type.String(),
});
