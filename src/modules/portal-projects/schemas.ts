import { Type } from 'typebox';
import { DateString, ListQuery, Nullable } from '../../http/schemas.js';
import { BillingMethod, ProjectStatus, TimeApprovalStatus, TimeEntryStatus } from '../projects/index.js';

/**
 * What a client sees of its projects: hours only. Rates, amounts, user ids and internal notes of the business
 * stay out; every time figure is whole minutes plus the same minutes as exact decimal hours (4 decimals, as an
 * invoice line would bill them).
 */

const HoursText = Type.String({ description: 'The minutes as decimal hours, up to 4 decimals ("1.5", "0.3333").' });

const projectFields = {
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  status: ProjectStatus,
  billingMethod: BillingMethod,
  currency: Type.String(),
  /** The business asks the client to approve time before invoicing it (docs/time-approval.md). */
  requireTimeApproval: Type.Boolean(),
  /** Billable time only (see PortalTask). */
  loggedMinutes: Type.Integer(),
  billedMinutes: Type.Integer(),
  unbilledMinutes: Type.Integer(),
  loggedHours: HoursText,
  billedHours: HoursText,
  unbilledHours: HoursText,
};

export const PortalProjectSummary = Type.Object(projectFields);
export const PortalProject = Type.Object({ ...projectFields, createdAt: Type.String() });

/** A billable task (or one that has invoiced time, which the client was billed for) with its hours. */
export const PortalTask = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  loggedMinutes: Type.Integer(),
  billedMinutes: Type.Integer(),
  unbilledMinutes: Type.Integer(),
  loggedHours: HoursText,
  billedHours: HoursText,
  unbilledHours: HoursText,
});

export const PortalTimeEntry = Type.Object({
  id: Type.String(),
  taskId: Type.String(),
  taskName: Type.String(),
  date: Type.String(),
  minutes: Type.Integer(),
  hours: HoursText,
  status: TimeEntryStatus,
  notes: Nullable(Type.String()),
  /** The invoice that billed it, once that invoice is visible in the portal (not a draft). */
  invoiceId: Nullable(Type.String()),
  invoiceNumber: Nullable(Type.String()),
  /** Null while the project does not ask for approval. */
  approval: Nullable(TimeApprovalStatus),
  /** The client's queries about the entry and the business's answers, oldest first; the business by its name. */
  queries: Type.Array(
    Type.Object({
      id: Type.String(),
      author: Type.Union([Type.Literal('client'), Type.Literal('business')]),
      authorName: Nullable(Type.String()),
      text: Type.String(),
      createdAt: Type.String(),
    }),
  ),
});

export const PortalProjectListQuery = Type.Object(ListQuery, { additionalProperties: false });

export const PortalTimeEntryListQuery = Type.Object(
  {
    from: Type.Optional(DateString),
    to: Type.Optional(DateString),
    approval: Type.Optional(TimeApprovalStatus),
    ...ListQuery,
  },
  { additionalProperties: false },
);

export const PortalTimeApprovalInput = Type.Object(
  {
    /** The entries to approve: those shown awaiting approval ("Approve all shown" sends every one). */
    timeEntryIds: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 100, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const PortalTimeApprovalResult = Type.Object({
  /** Entries this request approved; entries approved already (by another request) are not counted again. */
  approvedCount: Type.Integer(),
  approvedMinutes: Type.Integer(),
  approvedHours: HoursText,
});

export const PortalTimeQueryInput = Type.Object(
  { message: Type.String({ minLength: 1, maxLength: 5000, pattern: '\\S' }) },
  { additionalProperties: false },
);
