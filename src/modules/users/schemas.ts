import { Type } from 'typebox';
import { Email, Name } from '../../http/schemas.js';

const Role = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('staff')]);
/** The roles a user can be given: there is one owner, the one who created the organization. */
const GivenRole = Type.Union([Type.Literal('admin'), Type.Literal('staff')]);
const Password = Type.String({ minLength: 1, maxLength: 1000, description: 'Checked against the password rules.' });

export const User = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Role,
  disabled: Type.Boolean(),
  /** Whether the user has a confirmed second factor (a passkey or an authenticator app); an admin may reset them. */
  hasSecondFactor: Type.Boolean(),
  createdAt: Type.String(),
});

export const UserInput = Type.Object(
  { email: Email, name: Name, role: GivenRole, password: Password },
  { additionalProperties: false },
);

export const UserPatch = Type.Object(
  { name: Type.Optional(Name), role: Type.Optional(GivenRole) },
  { additionalProperties: false, minProperties: 1 },
);

export const PasswordChange = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 128 }), newPassword: Password },
  { additionalProperties: false },
);
