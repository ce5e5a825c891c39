import { type FormEvent, useId, useRef, useState } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { api, data } from '../../../ui/api.js';
import type { paths } from '../../../ui/api-types.js';
import { useConfirm } from '../../components/confirm.js';
import { ErrorScreen } from '../../components/error-screen.js';
import { SettingsFrame } from '../../components/settings-nav.js';
import { errorOutcome, type Outcome, OutcomeNotice, useSettingsAction } from '../../components/settings-notice.js';
import { Skeleton } from '../../components/skeleton.js';
import { useBackOffice } from '../../context.js';
import { formatDay } from '../../format.js';
import { useI18n } from '../../i18n.js';
import { SESSION_KEY } from '../../session.js';

type Tax = paths['/api/v1/taxes']['get']['responses'][200]['content']['application/json']['data'][number];

/** The organization's taxes (PRODUCT.md §5.2: name, rate, one default) and how tax is rounded on documents. */
export default function TaxSettings() {
  const { t } = useI18n();
  const { identity } = useBackOffice();
  const readOnly = identity.user.role === 'staff';
  const taxes = useSWR(['taxes', 'settings'], () =>
    data(api.GET('/api/v1/taxes', { params: { query: { limit: 100 } } })),
  );
  const { outcome, setOutcome, busy, act } = useSettingsAction(() => taxes.mutate(), t('app.error'));
  const [editing, setEditing] = useState<Tax | null>(null);
  const confirm = useConfirm();
  const formHeading = useRef<HTMLHeadingElement>(null);

  function edit(tax: Tax) {
    setEditing(tax);
    setOutcome(null);
    requestAnimationFrame(() => formHeading.current?.focus());
  }

  async function remove(tax: Tax) {
    if (!(await confirm.ask(t('taxes.deleteConfirm', { name: tax.name }), { confirmLabel: t('taxes.delete') }))) return;
    if (editing?.id === tax.id) setEditing(null);
    void act(
      () => data(api.DELETE('/api/v1/taxes/{id}', { params: { path: { id: tax.id } } })),
      t('taxes.deleted', { name: tax.name }),
    );
  }

  const rows = taxes.data?.data ?? [];
  return (
    <SettingsFrame title={t('taxes.title')}>
      <p className="muted">{t('taxes.intro')}</p>
      {confirm.dialog}
      <OutcomeNotice outcome={outcome} />
      {taxes.error ? (
        <ErrorScreen retry={() => taxes.mutate()} />
      ) : !taxes.data ? (
        <Skeleton />
      ) : rows.length === 0 ? (
        <p className="empty">{t('taxes.empty')}</p>
      ) : (
        <TaxTable
          rows={rows}
          readOnly={readOnly}
          busy={busy}
          onEdit={edit}
          onDelete={remove}
          onDefault={(tax) =>
            act(
              () => data(api.POST('/api/v1/taxes/{id}/default', { params: { path: { id: tax.id } } })),
              t('taxes.defaultSaved', { name: tax.name }),
            )
          }
        />
      )}
      {!readOnly && (
        <TaxForm
          key={editing?.id ?? 'new'}
          tax={editing}
          headingRef={formHeading}
          busy={busy}
          onCancel={() => setEditing(null)}
          onSubmit={(body) =>
            act(
              async () => {
                if (editing)
                  await data(api.PATCH('/api/v1/taxes/{id}', { params: { path: { id: editing.id } }, body }));
                else await data(api.POST('/api/v1/taxes', { body }));
                setEditing(null);
              },
              editing ? t('taxes.updated', { name: body.name }) : t('taxes.created', { name: body.name }),
            )
          }
        />
      )}
      <RoundingForm readOnly={readOnly} />
    </SettingsFrame>
  );
}

function TaxTable(props: {
  rows: Tax[];
  readOnly: boolean;
  busy: boolean;
  onEdit(tax: Tax): void;
  onDelete(tax: Tax): void;
  onDefault(tax: Tax): void;
}) {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 4 });
  return (
    <table className="list">
      <caption className="visually-hidden">{t('taxes.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('taxes.name')}</th>
          <th scope="col" className="num">
            {t('taxes.rate')}
          </th>
          <th scope="col">{t('taxes.default')}</th>
          <th scope="col">{t('taxes.updatedAt')}</th>
          {!props.readOnly && (
            <th scope="col">
              <span className="visually-hidden">{t('taxes.actions')}</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((tax) => (
          <tr key={tax.id}>
            <td data-label={t('taxes.name')}>{tax.name}</td>
            <td data-label={t('taxes.rate')} className="num">
              {percent.format(Number(tax.rate) / 100)}
            </td>
            <td data-label={t('taxes.default')}>
              {tax.isDefault ? (
                <span className="pill success">{t('taxes.isDefault')}</span>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
            <td data-label={t('taxes.updatedAt')}>{formatDay(tax.updatedAt, locale, timeZone)}</td>
            {!props.readOnly && (
              <td className="row-actions">
                {!tax.isDefault && (
                  <button
                    type="button"
                    className="button secondary"
                    disabled={props.busy}
                    onClick={() => props.onDefault(tax)}
                    aria-label={t('taxes.makeDefaultOf', { name: tax.name })}
                  >
                    {t('taxes.makeDefault')}
                  </button>
                )}
                <button
                  type="button"
                  className="button secondary"
                  disabled={props.busy}
                  onClick={() => props.onEdit(tax)}
                  aria-label={t('taxes.editOf', { name: tax.name })}
                >
                  {t('taxes.edit')}
                </button>
                <button
                  type="button"
                  className="button danger"
                  disabled={props.busy}
                  onClick={() => props.onDelete(tax)}
                  aria-label={t('taxes.deleteOf', { name: tax.name })}
                >
                  {t('taxes.delete')}
                </button>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TaxForm(props: {
  tax: Tax | null;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
  busy: boolean;
  onCancel(): void;
  onSubmit(body: { name: string; rate: string; isDefault: boolean }): Promise<boolean>;
}) {
  const { t } = useI18n();
  const id = useId();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const done = await props.onSubmit({
      name: String(form.get('name') ?? '').trim(),
      rate: String(form.get('rate') ?? '')
        .trim()
        .replace(',', '.'),
      isDefault: form.get('isDefault') === 'on',
    });
    if (done) element.reset();
  }
  return (
    <form onSubmit={submit} className="settings-form">
      <h2 ref={props.headingRef} tabIndex={-1}>
        {props.tax ? t('taxes.editHeading', { name: props.tax.name }) : t('taxes.newHeading')}
      </h2>
      <fieldset className="form-section" disabled={props.busy}>
        <legend className="visually-hidden">{props.tax ? t('taxes.edit') : t('taxes.newHeading')}</legend>
        <div className="form-grid">
          <div className="field">
            <label htmlFor={`${id}-name`}>{t('taxes.name')}</label>
            <input id={`${id}-name`} name="name" required maxLength={200} defaultValue={props.tax?.name ?? ''} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-rate`}>{t('taxes.ratePercent')}</label>
            <input
              id={`${id}-rate`}
              name="rate"
              required
              inputMode="decimal"
              pattern="[0-9]+([.,][0-9]{1,4})?"
              defaultValue={props.tax?.rate ?? ''}
              aria-describedby={`${id}-rate-hint`}
            />
            <span id={`${id}-rate-hint`} className="field-hint">
              {t('taxes.rateHint')}
            </span>
          </div>
        </div>
        <label className="checkbox">
          <input type="checkbox" name="isDefault" defaultChecked={props.tax?.isDefault ?? false} />
          {t('taxes.makeDefaultBox')}
        </label>
      </fieldset>
      <div className="actions">
        <button type="submit" className="button primary" disabled={props.busy}>
          {props.tax ? t('app.save') : t('taxes.create')}
        </button>
        {props.tax && (
          <button type="button" className="button secondary" onClick={props.onCancel}>
            {t('taxes.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/** Tax rounding is an organization setting (PRODUCT.md §5.1 rule 4), edited here beside the taxes. */
function RoundingForm({ readOnly }: { readOnly: boolean }) {
  const { t } = useI18n();
  const id = useId();
  const office = useBackOffice();
  const { mutate } = useSWRConfig();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get('taxRounding') === 'document' ? 'document' : 'line';
    setBusy(true);
    setOutcome(null);
    try {
      const organization = await data(api.PATCH('/api/v1/organization', { body: { taxRounding: value } }));
      await mutate(SESSION_KEY, { identity: office.identity, organization }, { revalidate: false });
      setOutcome({ kind: 'success', text: t('settings.saved') });
    } catch (caught) {
      setOutcome(errorOutcome(caught, t('app.error')));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="settings-form">
      <h2>{t('taxes.rounding')}</h2>
      <OutcomeNotice outcome={outcome} />
      <fieldset className="form-section" disabled={readOnly || busy}>
        <legend className="visually-hidden">{t('taxes.rounding')}</legend>
        <div className="field">
          <label htmlFor={`${id}-rounding`}>{t('organization.taxRounding')}</label>
          <select
            id={`${id}-rounding`}
            name="taxRounding"
            defaultValue={office.organization.taxRounding}
            aria-describedby={`${id}-rounding-hint`}
          >
            <option value="line">{t('organization.taxRounding.line')}</option>
            <option value="document">{t('organization.taxRounding.document')}</option>
          </select>
          <span id={`${id}-rounding-hint`} className="field-hint">
            {t('organization.taxRoundingHint')}
          </span>
        </div>
      </fieldset>
      {!readOnly && (
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? t('app.saving') : t('taxes.saveRounding')}
        </button>
      )}
    </form>
  );
}
