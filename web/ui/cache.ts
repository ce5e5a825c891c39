import type { ScopedMutator } from 'swr';

/**
 * Paged lists (swr/infinite) cannot be dropped by a key filter, so each kind of list carries a version in its
 * key: `refresh` moves the version on, and the next time the list is shown it starts from a fresh first page.
 */
const versions = new Map<string, number>();

export const listVersion = (name: string) => versions.get(name) ?? 0;

/**
 * Drops the cached answers whose key starts with one of `names` (`['estimates', slug, …]`), so the next screen
 * that shows them fetches them afresh. Dropping them (rather than showing them while fetching again) means a list
 * never offers a row that has just changed — an estimate just accepted is not "awaiting" a moment longer.
 */
export function refresh(mutate: ScopedMutator, ...names: string[]) {
  for (const name of names) versions.set(name, listVersion(name) + 1);
  return mutate((key) => Array.isArray(key) && names.includes(String(key[0])), undefined, { revalidate: false });
}
