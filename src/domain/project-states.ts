/** Project and time-entry statuses — PRODUCT.md §5.2. */
import type { StateMachine } from './states.js';

export const PROJECT_STATUSES = ['active', 'inactive'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export type ProjectAction = 'deactivate' | 'activate';

export const projectMachine: StateMachine<ProjectStatus, ProjectAction> = {
  subject: 'project',
  statuses: PROJECT_STATUSES,
  transitions: {
    deactivate: { active: 'inactive' },
    activate: { inactive: 'active' },
  },
};

export const TIME_ENTRY_STATUSES = ['unbilled', 'invoiced'] as const;
export type TimeEntryStatus = (typeof TIME_ENTRY_STATUSES)[number];
export type TimeEntryAction = 'invoice' | 'release';

export const timeEntryMachine: StateMachine<TimeEntryStatus, TimeEntryAction> = {
  subject: 'time entry',
  statuses: TIME_ENTRY_STATUSES,
  transitions: {
    invoice: { unbilled: 'invoiced' },
    // When the invoice that billed the entry is voided or deleted, the hours become billable again.
    release: { invoiced: 'unbilled' },
  },
};
