import { Type } from 'typebox';
import { Name, Nullable } from '../../http/schemas.js';

export const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to recognise it.' }),
  createdAt: Type.String(),
  lastUsedAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
});

/** The key itself is in the answer only once, when it is created. */
export const NewApiKey = Type.Intersect([ApiKey, Type.Object({ key: Type.String() })]);

export const ApiKeyInput = Type.Object({ name: Name }, { additionalProperties: false });
