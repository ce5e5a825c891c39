import type { Kysely, Transaction } from 'kysely';
import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import type { Database } from '../../db/schema.js';
import { enqueueTemplate } from '../../notify/outbox.js';
import { formatDateTime } from '../../notify/templates.js';
import { contactName } from '../customers/index.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What a client did in the portal that the business hears about (PRODUCT.md §1, "notify me"). */
export type PortalActivityEvent =
  | 'viewed'
  | 'accepted'
  | 'declined'
  | 'changes_requested'
  | 'quote_requested'
  | 'commented'
  | 'forwarded'
  | 'paid'
  | 'details_changed'
  | 'reviewed'
  | 'autopay_authorized'
  | 'autopay_withdrawn'
  | 'time_queried';

/** The thing it happened to, for the e-mail's words and its back-office link. */
export interface ActivityTarget {
  kind: 'estimate' | 'invoice' | 'retainer_invoice' | 'project' | 'payment' | 'recurring_profile' | 'quote_request';
  id: string;
  /** The human number (EST-00012) or the project's name. */
  label: string;
}

export interface PortalActivity {
  event: PortalActivityEvent;
  target: ActivityTarget | null;
  /** What the client wrote or changed; quoted in the e-mail. */
  detail?: string | null;
}

const WORDS: Record<ActivityTarget['kind'], { noun: string; segment: string }> = {
  estimate: { noun: 'estimate', segment: 'estimates' },
  invoice: { noun: 'invoice', segment: 'invoices' },
  retainer_invoice: { noun: 'retainer invoice', segment: 'retainer-invoices' },
  project: { noun: 'project', segment: 'projects' },
  payment: { noun: 'payment', segment: 'payments' },
  recurring_profile: { noun: 'recurring profile', segment: 'recurring-profiles' },
  quote_request: { noun: 'quote request', segment: 'quote-requests' },
};

function headlineOf(who: string, activity: PortalActivity): string {
  const target = activity.target ? `${WORDS[activity.target.kind].noun} ${activity.target.label}` : '';
  switch (activity.event) {
    case 'viewed':
      return `${who} viewed ${target}`;
    case 'accepted':
      return `${who} accepted ${target}`;
    case 'declined':
      return `${who} declined ${target}`;
    case 'changes_requested':
      return `${who} asked for changes to ${target}`;
    case 'quote_requested':
      return `${who} asked for a quote`;
    case 'commented':
      return `${who} commented on ${target}`;
    case 'forwarded':
      return `${who} forwarded ${target}`;
    case 'paid':
      // "paid payment PAY-00001" says nothing: a payment is made.
      return activity.target?.kind === 'payment' ? `${who} made ${target}` : `${who} paid ${target}`;
    case 'details_changed':
      return `${who} changed their details in the portal`;
    case 'reviewed':
      return `${who} reviewed your organization`;
    case 'autopay_authorized':
      return `${who} turned on automatic card payments for ${target}`;
    case 'autopay_withdrawn':
      return `${who} turned off automatic card payments for ${target}`;
    case 'time_queried':
      return `${who} queried time logged on ${target}`;
  }
}

/**
 * E-mails the organization's owners and admins about a client's action in the portal, when the organization
 * has "notify me about portal activity" on. Written in the caller's transaction (the outbox), so the e-mail exists
 * exactly when the action does. Every value the client wrote is escaped by the template.
 */
export async function notifyBusinessOfPortalActivity(
  trx: Db,
  ctx: AppContext,
  scope: PortalScope,
  activity: PortalActivity,
): Promise<void> {
  const organization = await trx
    .selectFrom('organizations')
    .select(['name', 'timeZone', 'portalNotifyMe'])
    .where('id', '=', scope.organizationId)
    .executeTakeFirstOrThrow();
  if (organization.portalNotifyMe !== 1) return;
  const client = await trx
    .selectFrom('contactPersons as cp')
    .innerJoin('customers as c', 'c.id', 'cp.customerId')
    .select(['cp.firstName', 'cp.lastName', 'cp.email', 'c.displayName'])
    .where('cp.id', '=', scope.contactPersonId)
    .where('cp.organizationId', '=', scope.organizationId)
    .where('c.organizationId', '=', scope.organizationId)
    .executeTakeFirstOrThrow();
  const recipients = await trx
    .selectFrom('users')
    .select('email')
    .where('organizationId', '=', scope.organizationId)
    .where('role', 'in', ['owner', 'admin'])
    .where('disabledAt', 'is', null)
    .orderBy('createdAt')
    .execute();
  const person = contactName(client);
  const who = `${person} of ${client.displayName}`;
  const path = activity.target
    ? activity.target.kind === 'quote_request'
      ? // The back office lists quote requests on one page, open ones first.
        '/app/quote-requests'
      : `/app/${WORDS[activity.target.kind].segment}/${activity.target.id}`
    : activity.event === 'reviewed'
      ? '/app/reviews'
      : `/app/customers/${scope.customerId}`;
  const now = ctx.now();
  for (const { email } of recipients) {
    await enqueueTemplate(trx, now, {
      organizationId: scope.organizationId,
      to: email,
      template: 'portalActivity',
      data: {
        organizationName: organization.name,
        headline: headlineOf(who, activity),
        detail: activity.detail ?? null,
        when: formatDateTime(now, organization.timeZone),
        backOfficeUrl: new URL(path, ctx.config.publicUrl).toString(),
      },
    });
  }
}
