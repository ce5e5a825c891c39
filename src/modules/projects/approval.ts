import type { Kysely, Transaction } from 'kysely';
import type { OrgScope } from '../../auth/scopes.js';
import type { Database } from '../../db/schema.js';
import { actorOf, recordHistory } from '../activity/index.js';
import { contactNameSql } from '../customers/index.js';

/**
 * The parts of time approval (docs/time-approval.md) that the project's own services and the portal's share:
 * switching the requirement on or off, and reading the query threads of time entries.
 */

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Turning approval on asks the client about every unbilled entry that carries no approval yet; turning it off
 * lets go of the open questions (awaiting and queried entries carry no approval any more: the business no longer
 * waits for the client) and keeps the approvals given, a record of what the client agreed to. Queries stay in
 * the project's comments. The caller holds the project's lock.
 */
export async function switchTimeApproval(
  trx: Transaction<Database>,
  scope: OrgScope,
  projectId: string,
  on: boolean,
  now: string,
) {
  const entries = trx
    .updateTable('timeEntries')
    .set(on ? { approval: 'awaiting_approval', updatedAt: now } : { approval: null, updatedAt: now })
    .where('projectId', '=', projectId)
    .where('organizationId', '=', scope.organizationId)
    .where('status', '=', 'unbilled');
  const changed = await (on
    ? entries.where('approval', 'is', null)
    : entries.where('approval', 'in', ['awaiting_approval', 'queried'])
  ).executeTakeFirst();
  const count = Number(changed.numUpdatedRows);
  await recordHistory(trx, {
    organizationId: scope.organizationId,
    subjectType: 'project',
    subjectId: projectId,
    event: on ? 'time_approval_required' : 'time_approval_not_required',
    description: on
      ? `Time now needs the client's approval before it is invoiced (${count} unbilled ${count === 1 ? 'entry' : 'entries'} awaiting approval)`
      : `Time no longer needs the client's approval (${count} open ${count === 1 ? 'entry' : 'entries'} let go)`,
    ...actorOf(scope),
    createdAt: now,
  });
}

export interface QueryThreadItem {
  id: string;
  author: 'client' | 'business';
  authorName: string | null;
  text: string;
  createdAt: string;
}

/**
 * The query threads of the given entries, oldest first. The business sees every one; the portal (`customerId`
 * given) sees its own customer's queries and the business's answers (which are always shown in the portal), and
 * reads the business as `businessName`.
 */
export async function queryThreads(
  db: Db,
  organizationId: string,
  entryIds: readonly string[],
  portal?: { customerId: string; businessName: string },
): Promise<Map<string, QueryThreadItem[]>> {
  const threads = new Map<string, QueryThreadItem[]>();
  if (entryIds.length === 0) return threads;
  let select = db
    .selectFrom('comments as c')
    .leftJoin('users as u', (join) => join.onRef('u.id', '=', 'c.userId').on('c.authorType', '=', 'user'))
    .leftJoin('contactPersons as cp', (join) =>
      join.onRef('cp.id', '=', 'c.contactPersonId').on('c.authorType', '=', 'contact_person'),
    )
    .select([
      'c.id',
      'c.timeEntryId',
      'c.authorType',
      'c.text',
      'c.createdAt',
      'u.name as userName',
      'cp.customerId',
      contactNameSql('cp').as('contactPersonName'),
    ])
    .where('c.organizationId', '=', organizationId)
    .where('c.subjectType', '=', 'project')
    .where('c.timeEntryId', 'in', [...entryIds])
    .where('c.deletedAt', 'is', null)
    .orderBy('c.createdAt')
    .orderBy('c.id');
  if (portal) {
    select = select.where((eb) =>
      eb.or([
        eb.and([eb('c.authorType', '=', 'contact_person'), eb('cp.customerId', '=', portal.customerId)]),
        eb.and([eb('c.authorType', '=', 'user'), eb('c.shownInPortal', '=', 1)]),
      ]),
    );
  }
  for (const row of await select.execute()) {
    if (!row.timeEntryId) continue;
    const client = row.authorType === 'contact_person';
    const item: QueryThreadItem = {
      id: row.id,
      author: client ? 'client' : 'business',
      authorName: client ? (row.contactPersonName ?? null) : portal ? portal.businessName : (row.userName ?? null),
      text: row.text,
      createdAt: row.createdAt,
    };
    threads.set(row.timeEntryId, [...(threads.get(row.timeEntryId) ?? []), item]);
  }
  return threads;
}
