import { type ReactNode, useState } from 'react';
import { useSWRConfig } from 'swr';
import { refresh } from '../../ui/cache.js';
import { useConfirm } from './confirm.js';
import { ActionMessage, useActionMessage } from './forms.js';

export interface Action {
  label: string;
  /** Asks before doing it (voiding, deleting). */
  confirm?: string;
  danger?: boolean;
  primary?: boolean;
  run(): Promise<unknown>;
  /** Said once it worked. */
  done: string;
}

/**
 * Whether the API offers `action` on the document now. Screens offer a verb only when its document's
 * `availableActions` (decided by the server's domain rules) name it, so they never offer what the API refuses.
 */
export const offers = <A extends string>(doc: { availableActions: readonly A[] }, action: NoInfer<A>): boolean =>
  doc.availableActions.includes(action);

/**
 * A document's action bar: buttons that call the API, then drop the cached lists and history so every screen
 * shows the new state; links (Edit, PDF, Record payment) sit beside them.
 */
export function ActionBar(props: { actions: Action[]; links?: ReactNode; lists: string[]; label: string }) {
  const { mutate } = useSWRConfig();
  const state = useActionMessage();
  const [busy, setBusy] = useState(false);
  const confirm = useConfirm();

  async function run(action: Action) {
    if (action.confirm && !(await confirm.ask(action.confirm, { confirmLabel: action.label, danger: action.danger })))
      return;
    setBusy(true);
    state.clear();
    try {
      await action.run();
      refresh(mutate, ...props.lists, 'history');
      state.done(action.done);
    } catch (caught) {
      state.failed(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="no-print">
      <div className="actions">
        {props.actions.map((action) => (
          <button
            key={action.label}
            type="button"
            className={`button ${action.primary ? 'primary' : 'secondary'}${action.danger ? ' danger' : ''}`}
            disabled={busy}
            onClick={() => run(action)}
          >
            {action.label}
          </button>
        ))}
        {props.links}
      </div>
      <ActionMessage state={state} />
      {confirm.dialog}
    </div>
  );
}
