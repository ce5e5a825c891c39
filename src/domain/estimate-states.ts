/**
 * Estimate (quote) statuses — PRODUCT.md §5.2: draft → sent → accepted | declined | expired; sent or
 * accepted → invoiced. A declined estimate may be edited and sent again. The client may also ask for changes to a
 * sent estimate (issue 20, docs/requests.md): sent → changes_requested, which the business edits and sends again.
 */
import { type CalendarDate, compareDates } from './dates.js';
import { invalidTransition } from './errors.js';
import { availableActions, type StateMachine, transition } from './states.js';

export const ESTIMATE_STATUSES = [
  'draft',
  'sent',
  'changes_requested',
  'accepted',
  'declined',
  'expired',
  'invoiced',
] as const;
export type EstimateStatus = (typeof ESTIMATE_STATUSES)[number];
export type EstimateAction = 'send' | 'request_changes' | 'accept' | 'decline' | 'expire' | 'convert';

export const estimateMachine: StateMachine<EstimateStatus, EstimateAction> = {
  subject: 'estimate',
  statuses: ESTIMATE_STATUSES,
  transitions: {
    // declined → sent and changes_requested → sent are the re-send after the business edited it.
    send: { draft: 'sent', declined: 'sent', changes_requested: 'sent' },
    // The client's "Request changes": the estimate waits for the business, so it can neither be accepted,
    // declined nor expire until it is sent again (docs/requests.md).
    request_changes: { sent: 'changes_requested' },
    accept: { sent: 'accepted' },
    decline: { sent: 'declined' },
    expire: { sent: 'expired' },
    convert: { sent: 'invoiced', accepted: 'invoiced' },
  },
};

/**
 * Editable: drafts, and declined estimates or those the client asked changes to (to be revised and re-sent). A
 * sent estimate is frozen because the client may accept it at any moment and must get what they read; accepted,
 * expired and invoiced estimates are records of what happened.
 */
export const canEditEstimate = (status: EstimateStatus): boolean =>
  status === 'draft' || status === 'declined' || status === 'changes_requested';

/** A re-send after the client's answer (a decline or a request for changes) issues a revised version. */
export const isRevision = (status: EstimateStatus): boolean => status === 'declined' || status === 'changes_requested';

/**
 * What the business may do to an estimate, named as the API's verbs: `send` issues it (and e-mails it),
 * `mark_sent` issues it without e-mail, `send_again` e-mails one awaiting an answer, `convert` makes it an
 * invoice. Accepting and declining are the client's, expiring the night's: none is the business's to offer.
 */
export const ESTIMATE_ACTIONS = ['send', 'mark_sent', 'send_again', 'edit', 'delete', 'convert'] as const;
export type EstimateBusinessAction = (typeof ESTIMATE_ACTIONS)[number];

/** Only a draft is deleted: anything the client has seen stays on record. */
export const canDeleteEstimate = (status: EstimateStatus): boolean => status === 'draft';

/** Only an estimate awaiting the client's answer is e-mailed again; a declined one is revised and sent anew. */
export const canSendEstimateAgain = (status: EstimateStatus): boolean => status === 'sent';

/** The business's actions on an estimate now, in `ESTIMATE_ACTIONS` order: the API refuses every other one. */
export function estimateActions(estimate: { status: EstimateStatus }): EstimateBusinessAction[] {
  const moves = availableActions(estimateMachine, estimate.status);
  const offered: Record<EstimateBusinessAction, boolean> = {
    send: moves.includes('send'),
    mark_sent: moves.includes('send'),
    send_again: canSendEstimateAgain(estimate.status),
    edit: canEditEstimate(estimate.status),
    delete: canDeleteEstimate(estimate.status),
    convert: moves.includes('convert'),
  };
  return ESTIMATE_ACTIONS.filter((action) => offered[action]);
}

/**
 * A client's accept, decline or request for changes: only a sent estimate whose expiry date (if any) is today or
 * later. An estimate past its expiry date that the nightly job has not yet marked is refused all the same.
 */
export function decideEstimate(
  estimate: { status: EstimateStatus; expiryDate: CalendarDate | null },
  decision: 'accept' | 'decline' | 'request_changes',
  today: CalendarDate,
): EstimateStatus {
  if (estimate.status === 'sent' && estimate.expiryDate !== null && compareDates(estimate.expiryDate, today) < 0) {
    throw invalidTransition(`This estimate expired on ${estimate.expiryDate}.`);
  }
  return transition(estimateMachine, estimate.status, decision);
}
