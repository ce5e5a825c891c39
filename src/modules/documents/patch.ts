/**
 * The fields a PATCH body gives, to write as they are: a missing field keeps its stored value, null clears it.
 * (Spelled out rather than left to the query builder, which would also skip an undefined value, so that a reader
 * sees where "missing" and "null" part ways.)
 */
export function givenFields<P extends object, K extends keyof P>(patch: P, keys: readonly K[]): Partial<Pick<P, K>> {
  const given: Partial<Pick<P, K>> = {};
  for (const key of keys) {
    if (patch[key] !== undefined) given[key] = patch[key];
  }
  return given;
}

/** A yes/no as the database stores it. */
export const flagOf = (on: boolean): 0 | 1 => (on ? 1 : 0);
