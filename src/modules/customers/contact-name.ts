import { sql } from 'kysely';

/**
 * A contact person's name as people read it, in one rule for the API, the portal and e-mails: the first name, then
 * the last name when there is one (an empty last name counts as none). The first name is never empty — the API
 * requires it, and a person added by a forward takes their e-mail's local part — so no further fallback is needed.
 */
export function contactName(person: { firstName: string; lastName: string | null }): string {
  return person.lastName ? `${person.firstName} ${person.lastName}` : person.firstName;
}

/**
 * The same rule in SQL, for the contact person joined as `alias`; null when a left join found no one (add
 * `.$notNull()` after an inner join).
 */
export function contactNameSql(alias: string) {
  const first = sql.ref(`${alias}.firstName`);
  const last = sql.ref(`${alias}.lastName`);
  return sql<
    string | null
  >`case when ${last} is null or ${last} = '' then ${first} else ${first} || ' ' || ${last} end`;
}
