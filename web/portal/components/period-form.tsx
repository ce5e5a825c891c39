import { type FormEvent, useId, useState } from 'react';
import { useI18n } from '../../ui/i18n.js';

export const isDate = (value: string | null): value is string => Boolean(value && /^\d{4}-\d{2}-\d{2}$/.test(value));

/** A period as the address gives it, or an error when it ends before it starts (ISO dates compare as text). */
export const isReversed = (from: string, to: string): boolean => isDate(from) && isDate(to) && from > to;

/**
 * From and To dates with a Show button, for the statement and a project's timesheet. A period that ends before it
 * starts is refused here, next to the To field, before any request: the client sees what to change, not
 * "Something went wrong".
 */
export function PeriodForm({
  from,
  to,
  required = false,
  onApply,
}: {
  from: string;
  to: string;
  required?: boolean;
  onApply: (period: { from: string; to: string }) => void;
}) {
  const { t } = useI18n();
  const ids = useId();
  const [reversed, setReversed] = useState(isReversed(from, to));

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = { from: String(form.get('from') ?? ''), to: String(form.get('to') ?? '') };
    const wrong = isReversed(next.from, next.to);
    setReversed(wrong);
    if (!wrong) onApply(next);
  }

  return (
    <form className="period-form no-print" onSubmit={apply} aria-label={t('period.label')}>
      <label className="field">
        <span>{t('period.from')}</span>
        <input type="date" name="from" required={required} defaultValue={from} />
      </label>
      <label className="field">
        <span>{t('period.to')}</span>
        <input
          type="date"
          name="to"
          required={required}
          defaultValue={to}
          aria-invalid={reversed || undefined}
          aria-describedby={reversed ? `${ids}-error` : undefined}
        />
      </label>
      <button type="submit" className="button secondary">
        {t('period.apply')}
      </button>
      {reversed && (
        <p className="field-error" id={`${ids}-error`} role="alert">
          {t('period.reversed')}
        </p>
      )}
    </form>
  );
}
