import type { Selectable, Transaction, Updateable } from 'kysely';
import type { OrgScope, PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import type { Database, HistoryTable } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import { type StateMachine, transition } from '../../domain/states.js';
import { actorOf, type NewHistoryEntry, recordHistory } from '../activity/index.js';
import type { MoneyHistoryEntry } from './history.js';
import { visibleToCustomer } from './visibility.js';

/**
 * The recipe every verb on an estimate, invoice or retainer invoice follows (send, void, accept, write off…),
 * stated once: in one transaction, lock the row → move its status through the kind's state machine → write →
 * re-derive its money (invoices and retainers) → write its history. The caller then reads the document back.
 */

type Trx = Transaction<Database>;
export type DocumentTable = 'estimates' | 'invoices' | 'retainerInvoices';
type StatusOf<T extends DocumentTable> = Database[T]['status'];
/** A document's row; the status is named so that code generic over the three tables can read it. */
export type DocumentRow<T extends DocumentTable> = Selectable<Database[T]> & { status: StatusOf<T> };

/** What the recipe needs to know about a kind of document. */
export interface DocumentKind<T extends DocumentTable, A extends string> {
  table: T;
  /** The document in words, for the 404: "retainer invoice". */
  what: string;
  subjectType: HistoryTable['subjectType'];
  machine: StateMachine<StatusOf<T>, A>;
  /** Re-derives the stored money columns and the money status after every change; estimates carry none. */
  recomputeMoney?: (
    ctx: AppContext,
    trx: Trx,
    organizationId: string,
    documentId: string,
    now: string,
  ) => Promise<void>;
}

/** Who makes the change: where they may look (a client only at their customer's sent documents) and how history names them. */
export interface ChangedBy {
  organizationId: string;
  /** The portal's client: the lock finds only what `visibleToCustomer` allows. */
  client?: PortalScope;
  actor: Pick<NewHistoryEntry, 'actorType' | 'actorId' | 'ip' | 'shownInPortal'>;
}

/** The business: a user, an API key, or Portico itself (`via: 'system'`). */
export const byBusiness = (scope: OrgScope): ChangedBy => ({
  organizationId: scope.organizationId,
  actor: actorOf(scope),
});

/** Portico itself: the scheduler's nightly work. */
export const bySystem = (organizationId: string): ChangedBy => ({
  organizationId,
  actor: { actorType: 'system', actorId: null },
});

/** A client in the portal; what they do is shown in the portal's history. */
export const byClient = (scope: PortalScope, ip: string): ChangedBy => ({
  organizationId: scope.organizationId,
  client: scope,
  actor: { actorType: 'contact_person', actorId: scope.contactPersonId, ip, shownInPortal: true },
});

/**
 * Reads a document for a change and takes its row lock: an UPDATE locks the row on PostgreSQL (SQLite has one
 * writer), so two changes of one document run one after the other and each sees the other's result. 404 when
 * it is not the organization's (or, for a client, not visible to them).
 */
export async function lockDocument<T extends DocumentTable>(
  trx: Trx,
  kind: { table: T; what: string },
  by: Pick<ChangedBy, 'organizationId' | 'client'>,
  documentId: string,
  now: string,
): Promise<DocumentRow<T>> {
  // The three tables share these columns; Kysely types a query over a union of tables as a union of rows, so the
  // row is given its own table's type here, once.
  const table: DocumentTable = kind.table;
  let lock = trx
    .updateTable(table)
    .set({ updatedAt: now })
    .where('id', '=', documentId)
    .where('organizationId', '=', by.organizationId);
  if (by.client) lock = lock.where(visibleToCustomer(by.client));
  const row = await lock.returningAll().executeTakeFirst();
  if (!row) throw notFound(kind.what);
  return row as DocumentRow<T>;
}

/** What a verb did, for the recipe to write. */
export interface DocumentChange<T extends DocumentTable> {
  /** Columns to write besides the new status and `updatedAt`. */
  set?: Updateable<Database[T]>;
  /** The document's history entry: a stable snake word and what happened in words. */
  event: string;
  description: string;
  /** Entries about other things the change touched (a voided retainer's payments), written after the document's. */
  moreHistory?: readonly MoneyHistoryEntry[];
}

/** What a verb's own step gets: the locked row as it was, and the status it is moving to. */
export interface ChangeStep<T extends DocumentTable> {
  trx: Trx;
  row: DocumentRow<T>;
  status: StatusOf<T>;
  now: string;
}

/**
 * Changes one document. `action` is the machine's action the verb performs (refused with 409 before anything is
 * written when the status does not allow it), or null for a change that keeps the status (an edit, a write-off);
 * `change` does the verb's own checks and writes and says what to record.
 */
export async function changeDocument<T extends DocumentTable, A extends string>(
  ctx: AppContext,
  by: ChangedBy,
  kind: DocumentKind<T, A>,
  documentId: string,
  action: A | null,
  change: (step: ChangeStep<T>) => Promise<DocumentChange<T>>,
): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const now = ctx.now().toISOString();
    const row = await lockDocument(trx, kind, by, documentId, now);
    const status = action === null ? row.status : transition(kind.machine, row.status, action);
    const done = await change({ trx, row, status, now });
    const table: DocumentTable = kind.table;
    await trx
      .updateTable(table)
      .set({ ...done.set, ...(action === null ? {} : { status }), updatedAt: now })
      .where('id', '=', documentId)
      .where('organizationId', '=', by.organizationId)
      .execute();
    await kind.recomputeMoney?.(ctx, trx, by.organizationId, documentId, now);
    const entries = [
      { subjectType: kind.subjectType, subjectId: documentId, event: done.event, description: done.description },
      ...(done.moreHistory ?? []),
    ];
    for (const entry of entries) {
      await recordHistory(trx, { organizationId: by.organizationId, ...entry, ...by.actor, createdAt: now });
    }
  });
}
