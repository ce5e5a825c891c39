import { Type } from 'typebox';
import { Name, Nullable } from '../../http/schemas.js';

/** A key's role: an API key is never the owner, and never above the user it acts for. */
const KeyRole = (options: { description?: string } = {}) =>
  Type.Union([Type.Literal('admin'), Type.Literal('staff')], options);

export const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to recognise it.' }),
  role: KeyRole(),
  canManageAccess: Type.Boolean({ description: 'Whether the key may manage users and API keys.' }),
  userId: Nullable(
    Type.String({
      description: 'The user the key acts for: it works only while they are enabled and hold at least its role.',
    }),
  ),
  userName: Nullable(Type.String()),
  createdAt: Type.String(),
  lastUsedAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
});

/** The key itself is in the answer only once, when it is created. */
export const NewApiKey = Type.Intersect([ApiKey, Type.Object({ key: Type.String() })]);

export const ApiKeyInput = Type.Object(
  {
    name: Name,
    role: Type.Optional(KeyRole({ description: 'At most your own role; by default your role (an owner: admin).' })),
    canManageAccess: Type.Optional(
      Type.Boolean({
        description: 'Let the key manage users and API keys; only the owner may grant it. Default false.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ApiKeyReassignment = Type.Object(
  { userId: Type.String({ maxLength: 40, description: 'An enabled user of the organization.' }) },
  { additionalProperties: false },
);
