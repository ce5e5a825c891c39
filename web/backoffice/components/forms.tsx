import { type ReactNode, useRef, useState } from 'react';
import useSWR from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { decimalToMinor, minorToDecimal } from '../../ui/format.js';
import { useI18n } from '../i18n.js';

/**
 * What the back office's document forms share (invoices, estimates, retainer invoices, payments): labelled
 * fields whose errors are tied to them, money typed as decimals and sent as minor units, the customer picker,
 * and the API's 400 errors mapped onto the fields by their JSON paths.
 */

/** A field's DOM id from its API path ("/lines/0/rate" → "f-lines-0-rate"). */
export const fieldId = (path: string) => `f${path.replaceAll('/', '-')}`;

export interface FieldProps {
  path: string;
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string;
  hint?: string;
  type?: 'text' | 'date' | 'number' | 'tel';
  /** What the browser may fill in (an `autocomplete` token); off unless said. */
  autoComplete?: string;
  inputMode?: 'decimal' | 'numeric' | 'text';
  multiline?: boolean;
  required?: boolean;
  maxLength?: number;
  className?: string;
  /** Visually hidden label (the column header names it), still read out. */
  hideLabel?: boolean;
  /** False leaves out "(optional)", for forms that mark no field so. */
  markOptional?: boolean;
}

/** A labelled text input or textarea; its error and hint tied to it with aria-describedby. */
export function Field(props: FieldProps) {
  const { t } = useI18n();
  const id = fieldId(props.path);
  const describedBy = [props.error ? `${id}-error` : '', props.hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    value: props.value,
    maxLength: props.maxLength,
    required: props.required,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': describedBy || undefined,
  };
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={id} className={props.hideLabel ? 'visually-hidden' : undefined}>
        {props.label}
        {!props.required && !props.hideLabel && props.markOptional !== false && (
          <span className="muted small"> {t('app.optional')}</span>
        )}
      </label>
      {props.multiline ? (
        <textarea {...common} rows={3} onChange={(event) => props.onChange(event.target.value)} />
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          inputMode={props.inputMode}
          autoComplete={props.autoComplete ?? 'off'}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
      {props.hint && (
        <span id={`${id}-hint`} className="muted small">
          {props.hint}
        </span>
      )}
      {props.error && (
        <span id={`${id}-error`} className="field-error">
          {props.error}
        </span>
      )}
    </div>
  );
}

export function SelectField(props: {
  path: string;
  label: string;
  value: string;
  onChange(value: string): void;
  options: Array<[string, string]>;
  error?: string;
  hint?: string;
  disabled?: boolean;
  className?: string;
}) {
  const id = fieldId(props.path);
  const describedBy = [props.error ? `${id}-error` : '', props.hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        disabled={props.disabled}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy || undefined}
        onChange={(event) => props.onChange(event.target.value)}
      >
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      {props.hint && (
        <span id={`${id}-hint`} className="muted small">
          {props.hint}
        </span>
      )}
      {props.error && (
        <span id={`${id}-error`} className="field-error">
          {props.error}
        </span>
      )}
    </div>
  );
}

/** "12.50" → 1250 in the currency's minor units; a leading minus when `signed`. Null when not an amount. */
export function parseMoney(text: string, currency: string, signed = false): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return 0;
  const negative = signed && trimmed.startsWith('-');
  const minor = decimalToMinor(negative ? trimmed.slice(1) : trimmed, currency);
  if (minor === null) return null;
  return negative ? -minor : minor;
}

/** Minor units → the decimal text a money input shows ("" for zero when `blankZero`). */
export const moneyText = (minor: number, currency: string, blankZero = false) =>
  blankZero && minor === 0 ? '' : minorToDecimal(minor, currency);

/** The organization's customers for a picker (the first 100 by name; enough for a small business). */
export function useCustomers() {
  return useSWR(['customers', 'picker'], () =>
    data(api.GET('/api/v1/customers', { params: { query: { limit: 100 } } })),
  );
}

/** Form errors: by API path, plus a summary that takes focus when a save fails. */
export function useFormErrors() {
  const { t } = useI18n();
  const summary = useRef<HTMLParagraphElement>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  return {
    errors,
    failure,
    summaryRef: summary,
    clear() {
      setErrors({});
      setFailure(null);
    },
    /** Errors found before sending anything. */
    local(found: Record<string, string>) {
      setErrors(found);
      setFailure(Object.keys(found).length > 0 ? t('form.invalid') : null);
      if (Object.keys(found).length > 0) summary.current?.focus();
      return Object.keys(found).length === 0;
    },
    /** A refusal from the API: field errors by path, else its words. */
    fromApi(caught: unknown, map: (path: string) => string = (path) => path) {
      if (caught instanceof ApiError && caught.status === 400 && caught.errors.length > 0) {
        setErrors(Object.fromEntries(caught.errors.map((error) => [map(error.path), error.message])));
        setFailure(t('form.invalid'));
      } else {
        setFailure(caught instanceof ApiError && caught.status !== 500 ? caught.message : t('app.error'));
      }
      summary.current?.focus();
    },
  };
}

export function FormSummary({ form }: { form: ReturnType<typeof useFormErrors> }): ReactNode {
  return (
    <p ref={form.summaryRef} tabIndex={-1} className={form.failure ? 'notice error' : 'visually-hidden'} role="alert">
      {form.failure}
    </p>
  );
}

/** An action's outcome: a polite status when it worked, an alert when it did not. */
export function useActionMessage() {
  const { t } = useI18n();
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  return {
    message,
    done: (text: string) => setMessage({ text, error: false }),
    failed: (caught: unknown) =>
      setMessage({
        text: caught instanceof ApiError && caught.status !== 500 ? caught.message : t('app.error'),
        error: true,
      }),
    clear: () => setMessage(null),
  };
}

export function ActionMessage({ state }: { state: ReturnType<typeof useActionMessage> }) {
  return (
    <>
      <div role="status" aria-live="polite">
        {state.message && !state.message.error && <p className="notice success">{state.message.text}</p>}
      </div>
      {state.message?.error && (
        <p className="notice error" role="alert">
          {state.message.text}
        </p>
      )}
    </>
  );
}
