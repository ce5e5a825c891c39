import { sql } from 'kysely';
import type { PortalScope } from '../../auth/scopes.js';

/**
 * The portal's one visibility rule: a client sees the documents of their own customer in their organization,
 * and never a draft. Every portal query that reads or changes an estimate, invoice or retainer invoice adds it,
 * so a draft, another customer's document and an unknown id are the same 404.
 *
 * `table` is the document table's name in the query (`'e'`, `'invoices'`), or nothing when the query has one table.
 */
export function visibleToCustomer(scope: Pick<PortalScope, 'organizationId' | 'customerId'>, table?: string) {
  const column = (name: string) => sql.ref(table === undefined ? name : `${table}.${name}`);
  return sql<boolean>`(${column('organizationId')} = ${scope.organizationId} and ${column('customerId')} = ${scope.customerId} and ${column('status')} <> ${'draft'})`;
}
