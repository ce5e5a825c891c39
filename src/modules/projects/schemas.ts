import { Type } from 'typebox';
import { PROJECT_STATUSES, TIME_ENTRY_STATUSES } from '../../domain/project-states.js';
import { TIME_APPROVAL_STATUSES } from '../../domain/time-approval.js';
import { DateString, ListQuery, Name, NonNegativeMoney, Nullable, OneOf, Text } from '../../http/schemas.js';

export const BillingMethod = Type.Union(
  [Type.Literal('fixed'), Type.Literal('project_hours'), Type.Literal('task_hours')],
  {
    description:
      'fixed: billed outside time tracking; project_hours: every hour at the project rate; task_hours: each task at its own rate.',
  },
);
export const ProjectStatus = OneOf(PROJECT_STATUSES);
export const TimeEntryStatus = OneOf(TIME_ENTRY_STATUSES);
export const TimeApprovalStatus = OneOf(TIME_APPROVAL_STATUSES);

/** "1.5" (hours, up to 2 decimals) or "1:30" (hours and minutes); stored as whole minutes. */
export const Hours = Type.String({
  pattern: '^(\\d{1,2}(\\.\\d{1,2})?|\\d{1,2}:[0-5]\\d)$',
  description: 'Hours as "1.5" (up to 2 decimals) or "1:30"; more than 0 and at most 24.',
});

const projectFields = {
  name: Name,
  description: Type.Optional(Nullable(Text(5000))),
  billingMethod: BillingMethod,
  rate: Type.Optional(Nullable(NonNegativeMoney)),
  requireTimeApproval: Type.Optional(
    Type.Boolean({
      description:
        'The client approves time in the portal before it is invoiced (docs/time-approval.md). Off by default.',
    }),
  ),
};

export const ProjectInput = Type.Object(
  { customerId: Type.String({ maxLength: 40 }), ...projectFields },
  { additionalProperties: false },
);

export const ProjectPatch = Type.Partial(Type.Object(projectFields), { additionalProperties: false, minProperties: 1 });

const projectResponseFields = {
  id: Type.String(),
  customerId: Type.String(),
  customerName: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  billingMethod: BillingMethod,
  rate: Nullable(Type.Integer()),
  currency: Type.String(),
  status: ProjectStatus,
  requireTimeApproval: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
};

/** A project in a list, with the minutes logged on it (unbilled: on billable tasks only, as in its totals). */
export const Project = Type.Object({
  ...projectResponseFields,
  loggedMinutes: Type.Integer(),
  billedMinutes: Type.Integer(),
  unbilledMinutes: Type.Integer(),
});

const taskFields = {
  name: Name,
  description: Type.Optional(Nullable(Text(5000))),
  rate: Type.Optional(NonNegativeMoney),
  billable: Type.Optional(Type.Boolean()),
};

export const TaskInput = Type.Object(taskFields, { additionalProperties: false });
export const TaskPatch = Type.Partial(Type.Object(taskFields), { additionalProperties: false, minProperties: 1 });

/** A task with the time logged on it. Non-billable time is logged but never billed nor unbilled. */
export const Task = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  rate: Type.Integer(),
  billable: Type.Boolean(),
  loggedMinutes: Type.Integer(),
  billedMinutes: Type.Integer(),
  unbilledMinutes: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const ProjectTotals = Type.Object({
  loggedMinutes: Type.Integer(),
  billableMinutes: Type.Integer(),
  billedMinutes: Type.Integer(),
  unbilledMinutes: Type.Integer(),
  unbilledAmount: Nullable(
    Type.Integer({ description: 'What invoicing all unbilled time would bill; null for fixed.' }),
  ),
  approvedAmount: Nullable(
    Type.Integer({
      description:
        'What invoicing would bill now when the project requires approval: the unbilled time the client approved; null otherwise.',
    }),
  ),
});

export const ProjectDetail = Type.Object({ ...projectResponseFields, tasks: Type.Array(Task), totals: ProjectTotals });

export const ProjectListQuery = Type.Object(
  {
    customerId: Type.Optional(Type.String({ maxLength: 40 })),
    status: Type.Optional(ProjectStatus),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    ...ListQuery,
  },
  { additionalProperties: false },
);

export const TimeEntryInput = Type.Object(
  {
    taskId: Type.String({ maxLength: 40 }),
    date: DateString,
    hours: Hours,
    notes: Type.Optional(Nullable(Text(2000))),
  },
  { additionalProperties: false },
);

export const TimeEntryPatch = Type.Partial(TimeEntryInput, { additionalProperties: false, minProperties: 1 });

/** A client's query about a time entry, or the business's answer: a comment on the project naming the entry. */
export const TimeEntryQuery = Type.Object({
  id: Type.String(),
  author: Type.Union([Type.Literal('client'), Type.Literal('business')]),
  /** The contact person's or the user's name (null for an API key). */
  authorName: Nullable(Type.String()),
  text: Type.String(),
  createdAt: Type.String(),
});

export const TimeEntry = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  taskId: Type.String(),
  userId: Nullable(Type.String()),
  date: Type.String(),
  minutes: Type.Integer(),
  hours: Type.String({ description: 'The minutes as decimal hours, up to 4 decimals, as invoiced.' }),
  notes: Nullable(Type.String()),
  status: TimeEntryStatus,
  invoiceId: Nullable(Type.String()),
  /** The client's approval; null while the project does not require it. */
  approval: Nullable(TimeApprovalStatus),
  approvedAt: Nullable(Type.String()),
  /** The query thread, oldest first: the client's queries and the business's answers. */
  queries: Type.Array(TimeEntryQuery),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const TimeEntryListQuery = Type.Object(
  {
    from: Type.Optional(DateString),
    to: Type.Optional(DateString),
    taskId: Type.Optional(Type.String({ maxLength: 40 })),
    status: Type.Optional(TimeEntryStatus),
    approval: Type.Optional(TimeApprovalStatus),
    ...ListQuery,
  },
  { additionalProperties: false },
);

export const ProjectInvoiceInput = Type.Object(
  {
    timeEntryIds: Type.Optional(
      Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 1000, uniqueItems: true }),
    ),
    date: Type.Optional(DateString),
  },
  { additionalProperties: false },
);

export const TaskParams = Type.Object({ id: Type.String({ maxLength: 40 }), taskId: Type.String({ maxLength: 40 }) });
export const TimeEntryParams = Type.Object({
  id: Type.String({ maxLength: 40 }),
  entryId: Type.String({ maxLength: 40 }),
});

export const TimeEntryResubmitInput = Type.Object(
  {
    /** The answer to the client's query, shown in the portal; none when withdrawing an approval. */
    message: Type.Optional(Type.String({ minLength: 1, maxLength: 5000, pattern: '\\S' })),
  },
  { additionalProperties: false },
);
