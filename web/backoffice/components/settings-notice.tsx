import { useState } from 'react';
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

/**
 * A settings page's changes, one at a time: `act` runs the API call, reads the page's data again (`reload`) and
 * says the outcome — `success`, or the API's refusal (`fallback` for a server error). Answers whether it worked.
 */
export function useSettingsAction(reload: () => Promise<unknown>, fallback: string) {
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);

  async function act(call: () => Promise<unknown>, success: string): Promise<boolean> {
    setBusy(true);
    setOutcome(null);
    try {
      await call();
      await reload();
      setOutcome({ kind: 'success', text: success });
      return true;
    } catch (caught) {
      setOutcome(errorOutcome(caught, fallback));
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { outcome, setOutcome, busy, act };
}
