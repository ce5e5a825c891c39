import { Type } from 'typebox';
import { Decimal, ListQuery, Name } from '../../http/schemas.js';

const taxFields = {
  name: Name,
  /** Percent, up to 4 decimals: "7.5" is 7.5 %. */
  rate: Decimal,
  /** true makes this the organization's one default tax (the previous default stops being it). */
  isDefault: Type.Optional(Type.Boolean()),
};

export const TaxInput = Type.Object(taxFields, { additionalProperties: false });
export const TaxPatch = Type.Partial(Type.Object(taxFields), { additionalProperties: false, minProperties: 1 });

export const Tax = Type.Object({
  id: Type.String(),
  name: Type.String(),
  rate: Type.String(),
  isDefault: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const TaxListQuery = Type.Object(ListQuery, { additionalProperties: false });
