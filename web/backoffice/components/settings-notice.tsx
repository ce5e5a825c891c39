import { ApiError } from '../../ui/api.js';

/** A settings page's outcome: a success (announced politely) or the API's error (an alert). */
export type Outcome = { kind: 'success' | 'error'; text: string } | null;

export function OutcomeNotice({ outcome }: { outcome: Outcome }) {
  if (!outcome) return null;
  return (
    <p className={`notice ${outcome.kind}`} role={outcome.kind === 'error' ? 'alert' : 'status'}>
      {outcome.text}
    </p>
  );
}

/** The API's own sentence for a refusal (4xx); a generic one for anything else. */
export function errorOutcome(caught: unknown, fallback: string): Outcome {
  const text = caught instanceof ApiError && caught.status < 500 ? caught.message : fallback;
  return { kind: 'error', text };
}
