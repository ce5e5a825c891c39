/** Recurring invoice profile statuses — PRODUCT.md §5.2: active | stopped | expired. */
import type { StateMachine } from './states.js';

export const RECURRING_STATUSES = ['active', 'stopped', 'expired'] as const;
export type RecurringStatus = (typeof RECURRING_STATUSES)[number];
export type RecurringAction = 'stop' | 'resume' | 'expire';

export const recurringMachine: StateMachine<RecurringStatus, RecurringAction> = {
  subject: 'recurring profile',
  statuses: RECURRING_STATUSES,
  transitions: {
    stop: { active: 'stopped' },
    resume: { stopped: 'active' },
    // Reached when the next date passes the end date; an expired profile is finished for good.
    expire: { active: 'expired' },
  },
};
