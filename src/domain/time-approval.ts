/**
 * Time approval (issue 20): when a project requires it, the client approves its unbilled time in the portal
 * before the business may invoice it (docs/time-approval.md).
 *
 * An entry of such a project waits for the client (`awaiting_approval`); the client approves it or queries it
 * (a query is a comment on the entry). The business answers a query — by a reply, or by changing the entry —
 * and the entry waits again. An approved entry is frozen: the business changes or deletes it only after
 * withdrawing the approval, which also asks the client again. Entries of a project that does not require
 * approval carry no approval state (null).
 */
import type { StateMachine } from './states.js';

export const TIME_APPROVAL_STATUSES = ['awaiting_approval', 'approved', 'queried'] as const;
export type TimeApprovalStatus = (typeof TIME_APPROVAL_STATUSES)[number];
export type TimeApprovalAction = 'approve' | 'query' | 'resubmit';

export const timeApprovalMachine: StateMachine<TimeApprovalStatus, TimeApprovalAction> = {
  subject: 'time entry',
  statuses: TIME_APPROVAL_STATUSES,
  transitions: {
    // The client's two answers.
    approve: { awaiting_approval: 'approved' },
    query: { awaiting_approval: 'queried' },
    // The business asks again: it answered the query or changed the entry, or it withdraws an approval.
    resubmit: { queried: 'awaiting_approval', approved: 'awaiting_approval' },
  },
};

/** Whether the business may change or delete the entry now: approved time stays as the client approved it. */
export const timeEntryEditable = (approval: TimeApprovalStatus | null): boolean => approval !== 'approved';

/** Whether invoicing may take the entry: approved time only, when its project requires approval. */
export const timeEntryInvoiceable = (requireApproval: boolean, approval: TimeApprovalStatus | null): boolean =>
  !requireApproval || approval === 'approved';
