/**
 * Status machines as data. Each document kind lists its statuses, its actions, and for every action the
 * statuses it may start from and where it leads; `transition` is the one place that enforces them, so the
 * table is the whole truth (and the tests enumerate it).
 */
import { invalidTransition } from './errors.js';

export interface StateMachine<S extends string, A extends string> {
  /** The thing in words, for messages: "estimate", "invoice". */
  readonly subject: string;
  readonly statuses: readonly S[];
  /** For each action: from-status → to-status. A missing from-status means "not allowed". */
  readonly transitions: { readonly [K in A]: Partial<Readonly<Record<S, S>>> };
}

export const actionsOf = <S extends string, A extends string>(machine: StateMachine<S, A>): A[] =>
  Object.keys(machine.transitions) as A[];

/** The status `action` leads to from `from`, or undefined when the table does not allow it. */
export function nextStatus<S extends string, A extends string>(
  machine: StateMachine<S, A>,
  from: S,
  action: A,
): S | undefined {
  if (!Object.hasOwn(machine.transitions, action)) return undefined;
  const edges: Partial<Record<S, S>> = machine.transitions[action];
  return Object.hasOwn(edges, from) ? edges[from] : undefined;
}

export const canTransition = <S extends string, A extends string>(
  machine: StateMachine<S, A>,
  from: S,
  action: A,
): boolean => nextStatus(machine, from, action) !== undefined;

/** The new status, or an `invalid_transition` error (409) naming what was refused. */
export function transition<S extends string, A extends string>(machine: StateMachine<S, A>, from: S, action: A): S {
  const to = nextStatus(machine, from, action);
  if (to === undefined) {
    throw invalidTransition(
      `Cannot ${humanize(String(action))} this ${machine.subject}: it is ${humanize(String(from))}.`,
    );
  }
  return to;
}

/** The actions available from a status, e.g. to decide which buttons to show. */
export const availableActions = <S extends string, A extends string>(machine: StateMachine<S, A>, from: S): A[] =>
  actionsOf(machine).filter((action) => canTransition(machine, from, action));

/** A client never sees a draft (the portal's visibility rule): of a kind's statuses, those a client may see. */
export const shownToClients = <S extends string>(statuses: readonly S[]): Exclude<S, 'draft'>[] =>
  statuses.filter((status): status is Exclude<S, 'draft'> => status !== 'draft');

const humanize = (word: string): string => word.replace(/_/g, ' ');
