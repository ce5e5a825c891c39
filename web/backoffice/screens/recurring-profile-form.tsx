import { type FormEvent, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import useSWR, { useSWRConfig } from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { refresh } from '../../ui/cache.js';
import { formatDate } from '../../ui/format.js';
import { ErrorScreen } from '../components/error-screen.js';
import {
  Field,
  FormSummary,
  moneyText,
  parseMoney,
  SelectField,
  useCustomers,
  useFormErrors,
} from '../components/forms.js';
import {
  FREQUENCIES,
  type Frequency,
  type RecurringProfileDetail,
  recurringProfileKey,
} from '../components/recurring-parts.js';
import { Skeleton } from '../components/skeleton.js';
import { useBackOffice } from '../context.js';
import { useI18n } from '../i18n.js';
import NotFound from './not-found.js';

type TemplateLine = RecurringProfileDetail['template']['lines'][number];

/** An item as typed; `kept` is the saved line's other fields (description, unit, discount), sent back unchanged. */
interface LineDraft {
  key: number;
  name: string;
  quantity: string;
  rate: string;
  taxId: string;
  kept: Omit<TemplateLine, 'name' | 'quantity' | 'rate' | 'taxId'>;
}

const QUANTITY = /^\d{1,12}(\.\d{1,4})?$/;
const WHOLE = /^\d{1,4}$/;

/** A new recurring profile (`/recurring-profiles/new`) or an existing one edited (`/recurring-profiles/:id/edit`). */
export default function RecurringProfileForm() {
  const { id } = useParams();
  const existing = useSWR(id ? recurringProfileKey(id) : null, () =>
    data(api.GET('/api/v1/recurring-profiles/{id}', { params: { path: { id: id ?? '' } } })),
  );
  const customers = useCustomers();
  const taxes = useSWR(['taxes', 'picker'], () =>
    data(api.GET('/api/v1/taxes', { params: { query: { limit: 100 } } })),
  );
  if (existing.error instanceof ApiError && existing.error.status === 404) return <NotFound />;
  const failed = existing.error ?? customers.error ?? taxes.error;
  if (failed) return <ErrorScreen retry={() => Promise.all([existing.mutate(), customers.mutate(), taxes.mutate()])} />;
  if ((id && !existing.data) || !customers.data || !taxes.data) return <Skeleton />;
  return <Form profile={existing.data} customers={customers.data.data} taxes={taxes.data.data} />;
}

function Form(props: {
  profile?: RecurringProfileDetail;
  customers: Array<{ id: string; displayName: string; currency: string }>;
  taxes: Array<{ id: string; name: string; rate: string }>;
}) {
  const { profile } = props;
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const navigate = useNavigate();
  const { mutate } = useSWRConfig();
  const [params] = useSearchParams();
  const form = useFormErrors();
  const nextKey = useRef(1);
  const draftOf = (line?: TemplateLine): LineDraft => {
    const { name = '', quantity = '1', rate, taxId, ...kept } = line ?? { name: '', quantity: '1', rate: 0 };
    return {
      key: nextKey.current++,
      name,
      quantity,
      rate: line ? moneyText(rate, profile?.currency ?? 'USD') : '',
      taxId: taxId ?? '',
      kept,
    };
  };
  const [customerId, setCustomerId] = useState(profile?.customerId ?? params.get('customerId') ?? '');
  const [name, setName] = useState(profile?.name ?? '');
  const [frequency, setFrequency] = useState<Frequency>(profile?.frequency ?? 'monthly');
  const [intervalCount, setIntervalCount] = useState(String(profile?.intervalCount ?? 1));
  const [startDate, setStartDate] = useState(profile?.startDate ?? '');
  const [endDate, setEndDate] = useState(profile?.endDate ?? '');
  const [termsDays, setTermsDays] = useState(profile ? String(profile.paymentTermsDays) : '');
  const [sendAutomatically, setSendAutomatically] = useState(profile?.sendAutomatically ?? true);
  const [lines, setLines] = useState<LineDraft[]>(() =>
    profile ? profile.template.lines.map((line) => draftOf(line)) : [draftOf()],
  );
  const [notes, setNotes] = useState(profile?.template.notes ?? '');
  const [terms, setTerms] = useState(profile?.template.terms ?? '');
  const [busy, setBusy] = useState(false);

  const currency =
    profile?.currency ?? props.customers.find((customer) => customer.id === customerId)?.currency ?? 'USD';
  const started = profile !== undefined && profile.lastInvoiceId !== null;
  const back = profile ? `/recurring-profiles/${profile.id}` : '/recurring-profiles';
  const setLine = (key: number, change: Partial<LineDraft>) =>
    setLines((all) => all.map((line) => (line.key === key ? { ...line, ...change } : line)));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    form.clear();
    const found: Record<string, string> = {};
    if (!profile && !customerId) found['/customerId'] = t('form.required');
    if (!name.trim()) found['/name'] = t('form.required');
    if (!WHOLE.test(intervalCount.trim()) || Number(intervalCount) < 1)
      found['/intervalCount'] = t('recurring.badCount');
    if (!startDate) found['/startDate'] = t('form.required');
    if (termsDays.trim() !== '' && !WHOLE.test(termsDays.trim())) found['/paymentTermsDays'] = t('recurring.badDays');
    const rates = lines.map((line) => parseMoney(line.rate, currency));
    lines.forEach((line, index) => {
      if (!line.name.trim()) found[`/template/lines/${index}/name`] = t('form.required');
      if (!QUANTITY.test(line.quantity.trim())) found[`/template/lines/${index}/quantity`] = t('edit.badQuantity');
      if (rates[index] === null) found[`/template/lines/${index}/rate`] = t('edit.badAmount');
    });
    if (!form.local(found)) return;
    const fields = {
      name: name.trim(),
      frequency,
      intervalCount: Number(intervalCount),
      startDate,
      endDate: endDate || null,
      ...(termsDays.trim() === '' ? {} : { paymentTermsDays: Number(termsDays) }),
      sendAutomatically,
      template: {
        ...profile?.template,
        lines: lines.map((line, index) => ({
          ...line.kept,
          name: line.name.trim(),
          quantity: line.quantity.trim(),
          rate: rates[index] ?? 0,
          taxId: line.taxId || null,
        })),
        notes: notes.trim() || null,
        terms: terms.trim() || null,
      },
    };
    setBusy(true);
    try {
      const saved = profile
        ? await data(
            api.PATCH('/api/v1/recurring-profiles/{id}', { params: { path: { id: profile.id } }, body: fields }),
          )
        : await data(api.POST('/api/v1/recurring-profiles', { body: { customerId, ...fields } }));
      refresh(mutate, 'recurring-profiles');
      await mutate(recurringProfileKey(saved.id), saved, { revalidate: false });
      navigate(`/recurring-profiles/${saved.id}`);
    } catch (caught) {
      setBusy(false);
      form.fromApi(caught);
    }
  }

  return (
    <section>
      <p className="small">
        <Link to={back}>{t('doc.backTo', { list: profile ? profile.name : t('recurring.title') })}</Link>
      </p>
      <h1>{profile ? t('recurring.editTitle', { name: profile.name }) : t('recurring.new')}</h1>
      <form onSubmit={submit} noValidate>
        <FormSummary form={form} />
        <div className="form-grid">
          {profile ? (
            <p>
              <span className="muted">{t('doc.customer')}</span>{' '}
              <Link to={`/customers/${profile.customerId}`}>{profile.customerName}</Link>
            </p>
          ) : (
            <SelectField
              path="/customerId"
              label={t('doc.customer')}
              value={customerId}
              error={form.errors['/customerId']}
              onChange={setCustomerId}
              options={[
                ['', t('edit.pickCustomer')],
                ...props.customers.map((c): [string, string] => [c.id, `${c.displayName} (${c.currency})`]),
              ]}
            />
          )}
          <Field
            path="/name"
            required
            label={t('recurring.name')}
            hint={t('recurring.nameHint')}
            value={name}
            maxLength={200}
            error={form.errors['/name']}
            onChange={setName}
          />
          <SelectField
            path="/frequency"
            label={t('recurring.frequency')}
            value={frequency}
            error={form.errors['/frequency']}
            onChange={(value) => setFrequency(value as Frequency)}
            options={FREQUENCIES.map((value): [string, string] => [value, t(`recurring.frequency.${value}`)])}
          />
          <Field
            path="/intervalCount"
            required
            inputMode="numeric"
            label={t('recurring.intervalCount')}
            hint={t('recurring.intervalHint')}
            value={intervalCount}
            error={form.errors['/intervalCount']}
            onChange={setIntervalCount}
          />
          {started ? (
            <p>
              <span className="muted">{t('recurring.startDate')}</span> {formatDate(profile?.startDate, locale)}
            </p>
          ) : (
            <Field
              path="/startDate"
              required
              type="date"
              label={t('recurring.startDate')}
              hint={t('recurring.startHint')}
              value={startDate}
              error={form.errors['/startDate']}
              onChange={setStartDate}
            />
          )}
          <Field
            path="/endDate"
            type="date"
            label={t('recurring.endDate')}
            hint={t('recurring.endHint')}
            value={endDate}
            error={form.errors['/endDate']}
            onChange={setEndDate}
          />
          <Field
            path="/paymentTermsDays"
            inputMode="numeric"
            label={t('recurring.paymentTermsDays')}
            hint={profile ? undefined : t('recurring.termsHint')}
            value={termsDays}
            error={form.errors['/paymentTermsDays']}
            onChange={setTermsDays}
          />
          <div className="field">
            <label className="checkbox">
              <input
                type="checkbox"
                checked={sendAutomatically}
                aria-describedby="f-sendAutomatically-hint"
                onChange={(event) => setSendAutomatically(event.target.checked)}
              />
              {t('recurring.sendAutomatically')}
            </label>
            <span id="f-sendAutomatically-hint" className="muted small">
              {t('recurring.sendHint')}
            </span>
          </div>
        </div>
        <fieldset className="line-drafts">
          <legend>{t('edit.lines')}</legend>
          {lines.map((line, index) => (
            <fieldset key={line.key} className="line-draft">
              <legend>{t('edit.line', { n: index + 1 })}</legend>
              <div className="form-grid">
                <Field
                  path={`/template/lines/${index}/name`}
                  required
                  label={t('edit.itemName')}
                  value={line.name}
                  maxLength={200}
                  error={form.errors[`/template/lines/${index}/name`]}
                  onChange={(value) => setLine(line.key, { name: value })}
                />
                <Field
                  path={`/template/lines/${index}/quantity`}
                  required
                  inputMode="decimal"
                  label={t('doc.quantity')}
                  value={line.quantity}
                  error={form.errors[`/template/lines/${index}/quantity`]}
                  onChange={(value) => setLine(line.key, { quantity: value })}
                />
                <Field
                  path={`/template/lines/${index}/rate`}
                  required
                  inputMode="decimal"
                  label={t('edit.rate', { currency })}
                  value={line.rate}
                  error={form.errors[`/template/lines/${index}/rate`]}
                  onChange={(value) => setLine(line.key, { rate: value })}
                />
                <SelectField
                  path={`/template/lines/${index}/taxId`}
                  label={t('edit.tax')}
                  value={line.taxId}
                  error={form.errors[`/template/lines/${index}/taxId`]}
                  onChange={(value) => setLine(line.key, { taxId: value })}
                  options={[
                    ['', t('edit.noTax')],
                    ...props.taxes.map((tax): [string, string] => [tax.id, `${tax.name} (${tax.rate}%)`]),
                  ]}
                />
              </div>
              {lines.length > 1 && (
                <button
                  type="button"
                  className="button link danger"
                  onClick={() => setLines((all) => all.filter((l) => l.key !== line.key))}
                >
                  {t('edit.removeLine', { n: index + 1 })}
                </button>
              )}
            </fieldset>
          ))}
          <button type="button" className="button secondary" onClick={() => setLines((all) => [...all, draftOf()])}>
            {t('edit.addLine')}
          </button>
        </fieldset>
        <div className="form-grid">
          <Field
            path="/template/notes"
            multiline
            className="wide-field"
            label={t('doc.notes')}
            value={notes}
            maxLength={5000}
            error={form.errors['/template/notes']}
            onChange={setNotes}
          />
          <Field
            path="/template/terms"
            multiline
            className="wide-field"
            label={t('doc.terms')}
            value={terms}
            maxLength={5000}
            error={form.errors['/template/terms']}
            onChange={setTerms}
          />
        </div>
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t('app.saving') : profile ? t('app.save') : t('recurring.create')}
          </button>
          <Link to={back} className="button link">
            {t('app.cancel')}
          </Link>
        </div>
      </form>
    </section>
  );
}
