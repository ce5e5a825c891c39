import { type FormEvent, useId, useState } from 'react';
import useSWR from 'swr';
import { ApiError, api, data } from '../../../ui/api.js';
import type { paths } from '../../../ui/api-types.js';
import { ErrorScreen } from '../../components/error-screen.js';
import { SettingsFrame } from '../../components/settings-nav.js';
import { Skeleton } from '../../components/skeleton.js';
import { useBackOffice } from '../../context.js';
import { formatDay } from '../../format.js';
import { useI18n } from '../../i18n.js';

type Instructions =
  paths['/api/v1/bank-transfer-instructions']['get']['responses'][200]['content']['application/json']['data'][number];

/**
 * Where clients pay by bank transfer, per currency (docs/bank-transfer.md). Clients see these on the invoices they
 * owe; a change of the account details is e-mailed to the owner and warns clients for 30 days.
 */
export default function BankTransferSettings() {
  const { t } = useI18n();
  const { identity } = useBackOffice();
  const readOnly = identity.user.role === 'staff';
  const list = useSWR(['bank-transfer-instructions'], () => data(api.GET('/api/v1/bank-transfer-instructions')));
  return (
    <SettingsFrame title={t('bankTransfer.title')}>
      <p className="muted">{t('bankTransfer.intro')}</p>
      {list.error ? (
        <ErrorScreen retry={() => list.mutate()} />
      ) : !list.data ? (
        <Skeleton />
      ) : (
        <>
          {list.data.data.map((instructions) => (
            <InstructionsForm
              key={instructions.currency}
              currency={instructions.currency}
              instructions={instructions}
              readOnly={readOnly}
              changed={() => list.mutate()}
            />
          ))}
          {list.data.data.length === 0 && <p>{t('bankTransfer.none')}</p>}
          {!readOnly && (
            <InstructionsForm currency={null} instructions={null} readOnly={false} changed={() => list.mutate()} />
          )}
        </>
      )}
    </SettingsFrame>
  );
}

function InstructionsForm({
  currency,
  instructions,
  readOnly,
  changed,
}: {
  currency: string | null;
  instructions: Instructions | null;
  readOnly: boolean;
  changed: () => void;
}) {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Kept: React clears the event's currentTarget once the handler has awaited.
    const element = event.currentTarget;
    const form = new FormData(element);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const target = currency ?? text('currency').toUpperCase();
    setMessage(null);
    setErrors({});
    if (!/^[A-Z]{3}$/.test(target)) {
      setErrors({ currency: t('bankTransfer.currencyHint') });
      return;
    }
    setBusy(true);
    try {
      await data(
        api.PUT('/api/v1/bank-transfer-instructions/{currency}', {
          params: { path: { currency: target } },
          body: {
            accountHolder: text('accountHolder'),
            accountNumber: text('accountNumber'),
            bankCode: text('bankCode') || null,
            bankName: text('bankName') || null,
            reference: text('reference') || null,
            showOnPdf: form.get('showOnPdf') === 'on',
          },
        }),
      );
      setMessage({ kind: 'success', text: t('settings.saved') });
      if (!currency) element.reset();
      changed();
    } catch (caught) {
      const text = caught instanceof ApiError && caught.status < 500 ? caught.message : t('app.error');
      if (caught instanceof ApiError) {
        setErrors(Object.fromEntries(caught.errors.map((e) => [e.path.replace(/^\//, ''), e.message])));
      }
      setMessage({ kind: 'error', text });
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!currency || !window.confirm(t('bankTransfer.removeConfirm', { currency }))) return;
    setBusy(true);
    try {
      await data(api.DELETE('/api/v1/bank-transfer-instructions/{currency}', { params: { path: { currency } } }));
      changed();
    } catch (caught) {
      setMessage({ kind: 'error', text: caught instanceof ApiError ? caught.message : t('app.error') });
      setBusy(false);
    }
  }

  const field = (name: string, label: string, props: { required?: boolean; maxLength: number; hint?: string }) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>
        {label} {!props.required && <span className="muted">{t('app.optional')}</span>}
      </label>
      <input
        id={`${id}-${name}`}
        name={name}
        required={props.required}
        maxLength={props.maxLength}
        defaultValue={instructions ? String(instructions[name as keyof Instructions] ?? '') : ''}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={[props.hint ? `${id}-${name}-hint` : '', errors[name] ? `${id}-${name}-error` : '']
          .filter(Boolean)
          .join(' ')}
      />
      {props.hint && (
        <span id={`${id}-${name}-hint`} className="field-hint">
          {props.hint}
        </span>
      )}
      {errors[name] && (
        <span id={`${id}-${name}-error`} className="field-error">
          {errors[name]}
        </span>
      )}
    </div>
  );

  return (
    <form onSubmit={submit} className="settings-form card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{currency ? t('bankTransfer.forCurrency', { currency }) : t('bankTransfer.add')}</h2>
      {instructions?.detailsChangedAt && (
        <p className="muted">
          {t('bankTransfer.changedOn', { date: formatDay(instructions.detailsChangedAt, locale, timeZone) })}
        </p>
      )}
      {message && (
        <p className={`notice ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <fieldset className="form-section" disabled={readOnly || busy}>
        <legend className="visually-hidden">{t('bankTransfer.details')}</legend>
        {!currency &&
          field('currency', t('bankTransfer.currency'), {
            required: true,
            maxLength: 3,
            hint: t('bankTransfer.currencyHint'),
          })}
        {field('accountHolder', t('bankTransfer.accountHolder'), { required: true, maxLength: 70 })}
        {field('accountNumber', t('bankTransfer.accountNumber'), {
          required: true,
          maxLength: 42,
          hint: t('bankTransfer.accountNumberHint'),
        })}
        {field('bankCode', t('bankTransfer.bankCode'), { maxLength: 20, hint: t('bankTransfer.bankCodeHint') })}
        {field('bankName', t('bankTransfer.bankName'), { maxLength: 100 })}
        {field('reference', t('bankTransfer.reference'), { maxLength: 60, hint: t('bankTransfer.referenceHint') })}
        <label className="checkbox">
          <input type="checkbox" name="showOnPdf" defaultChecked={instructions?.showOnPdf ?? false} />
          <span>{t('bankTransfer.showOnPdf')}</span>
        </label>
      </fieldset>
      {!readOnly && (
        <p className="row-actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t('app.saving') : t('app.save')}
          </button>
          {currency && (
            <button type="button" className="button secondary" onClick={remove} disabled={busy}>
              {t('bankTransfer.remove')}
            </button>
          )}
        </p>
      )}
    </form>
  );
}
