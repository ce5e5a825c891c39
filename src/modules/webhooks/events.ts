import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import type { WebhookEvent } from '../../domain/webhook-events.js';

type Db = Kysely<Database> | Transaction<Database>;

const HISTORY_EVENTS: Record<string, Partial<Record<string, WebhookEvent>>> = {
  estimate: {
    sent: 'estimate.sent',
    viewed: 'estimate.viewed',
    accepted: 'estimate.accepted',
    declined: 'estimate.declined',
    changes_requested: 'estimate.changes_requested',
  },
  quote_request: { requested: 'quote.requested' },
  invoice: { sent: 'invoice.sent', viewed: 'invoice.viewed', overdue: 'invoice.overdue', voided: 'invoice.voided' },
  customer_payment: { payment_recorded: 'payment.recorded', payment_deleted: 'payment.deleted' },
};

/** A payment or credit on an invoice: `invoice.paid` once nothing is left to pay. */
const INVOICE_MONEY_EVENTS = new Set(['paid', 'payment_recorded', 'credit_applied']);

const AUDIT_EVENTS: Partial<Record<string, WebhookEvent>> = {
  'portal.invitation_sent': 'portal_access.invited',
  'portal.invitation_accepted': 'portal_access.accepted',
  'portal.access_disabled': 'portal_access.disabled',
  'portal.access_enabled': 'portal_access.enabled',
};

/** Objects an event is about, by the history's subject type. */
const OBJECTS: Record<string, string> = {
  estimate: 'estimate',
  invoice: 'invoice',
  retainer_invoice: 'retainer_invoice',
  project: 'project',
  customer_payment: 'payment',
  quote_request: 'quote_request',
};

/**
 * The webhook event a history entry is, if any: called by `recordHistory` in the change's transaction, so the
 * delivery exists exactly when the change does.
 */
export async function queueHistoryEvent(
  db: Db,
  entry: {
    organizationId: string;
    subjectType: string;
    subjectId: string;
    event: string;
    description: string;
    createdAt: string;
  },
): Promise<void> {
  let event: WebhookEvent | undefined =
    entry.event === 'commented' ? 'comment.created' : HISTORY_EVENTS[entry.subjectType]?.[entry.event];
  if (!event && entry.subjectType === 'invoice' && INVOICE_MONEY_EVENTS.has(entry.event)) {
    const invoice = await db
      .selectFrom('invoices')
      .select('status')
      .where('id', '=', entry.subjectId)
      .where('organizationId', '=', entry.organizationId)
      .executeTakeFirst();
    if (invoice?.status === 'paid') event = 'invoice.paid';
  }
  if (!event) return;
  await queueWebhookEvent(db, {
    organizationId: entry.organizationId,
    event,
    object: OBJECTS[entry.subjectType] ?? entry.subjectType,
    objectId: entry.subjectId,
    description: entry.description,
    occurredAt: entry.createdAt,
  });
}

/** The webhook event an audit entry is, if any (portal access). */
export async function queueAuditEvent(
  db: Db,
  entry: { organizationId: string; event: string; contactPersonId: string | null; at: string },
): Promise<void> {
  const event = AUDIT_EVENTS[entry.event];
  if (!event || !entry.contactPersonId) return;
  await queueWebhookEvent(db, {
    organizationId: entry.organizationId,
    event,
    object: 'contact_person',
    objectId: entry.contactPersonId,
    description: null,
    occurredAt: entry.at,
  });
}

/** One delivery per enabled endpoint of the organization that asked for the event, due at once. */
async function queueWebhookEvent(
  db: Db,
  event: {
    organizationId: string;
    event: WebhookEvent;
    object: string;
    objectId: string;
    description: string | null;
    occurredAt: string;
  },
): Promise<void> {
  const endpoints = await db
    .selectFrom('webhookEndpoints')
    .select(['id', 'events'])
    .where('organizationId', '=', event.organizationId)
    .where('enabled', '=', 1)
    .execute();
  const wanting = endpoints.filter((endpoint) => (JSON.parse(endpoint.events) as string[]).includes(event.event));
  if (wanting.length === 0) return;
  const eventId = newId('evt');
  const payload = JSON.stringify({
    id: eventId,
    type: event.event,
    createdAt: event.occurredAt,
    organizationId: event.organizationId,
    data: { object: event.object, id: event.objectId, description: event.description },
  });
  await db
    .insertInto('webhookDeliveries')
    .values(
      wanting.map((endpoint) => ({
        id: newId('whd'),
        organizationId: event.organizationId,
        endpointId: endpoint.id,
        eventId,
        event: event.event,
        payload,
        status: 'pending' as const,
        attempts: 0,
        nextAttemptAt: event.occurredAt,
        lockedUntil: null,
        responseStatus: null,
        responseBody: null,
        lastError: null,
        deliveredAt: null,
        createdAt: event.occurredAt,
      })),
    )
    .execute();
}
