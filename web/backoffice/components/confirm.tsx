import { type ReactNode, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n.js';

interface Question {
  message: string;
  confirmLabel: string;
  danger: boolean;
  answer(yes: boolean): void;
}

/**
 * "Are you sure?" before an action that cannot be undone (void, delete, revoke, disable), as a modal `<dialog>`:
 * the browser traps focus in it and gives it back, Escape cancels. `ask` resolves true only when the person
 * presses the confirming button; render `dialog` once in the component.
 */
export function useConfirm(): {
  ask(message: string, options: { confirmLabel: string; danger?: boolean }): Promise<boolean>;
  dialog: ReactNode;
} {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [question, setQuestion] = useState<Question | null>(null);

  function ask(message: string, options: { confirmLabel: string; danger?: boolean }) {
    return new Promise<boolean>((resolve) => {
      setQuestion({ message, confirmLabel: options.confirmLabel, danger: options.danger ?? true, answer: resolve });
      // Shown once React has rendered the question into it.
      requestAnimationFrame(() => ref.current?.showModal());
    });
  }

  function close(yes: boolean) {
    question?.answer(yes);
    setQuestion(null);
    if (ref.current?.open) ref.current.close();
  }

  const dialog = (
    <dialog ref={ref} className="dialog" aria-labelledby={`${id}-message`} onClose={() => question && close(false)}>
      {question && (
        <>
          <p id={`${id}-message`}>{question.message}</p>
          <div className="dialog-actions">
            <button type="button" className="button secondary" onClick={() => close(false)}>
              {t('app.cancel')}
            </button>
            <button
              type="button"
              className={`button primary${question.danger ? ' danger' : ''}`}
              onClick={() => close(true)}
            >
              {question.confirmLabel}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
  return { ask, dialog };
}
