import { type FormEvent, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useSWRConfig } from 'swr';
import { api, data } from '../../ui/api.js';
import { refresh } from '../../ui/cache.js';
import { Money } from '../../ui/money.js';
import { ErrorScreen } from '../components/error-screen.js';
import { Field, FormSummary, parseMoney, SelectField, useCustomers, useFormErrors } from '../components/forms.js';
import { Skeleton } from '../components/skeleton.js';
import { useI18n } from '../i18n.js';

interface LineDraft {
  key: number;
  description: string;
  amount: string;
}

/** A new retainer invoice: lines of a description and an amount, no quantities, taxes or discounts. */
export default function RetainerForm() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { mutate } = useSWRConfig();
  const [params] = useSearchParams();
  const customers = useCustomers();
  const form = useFormErrors();
  const nextKey = useRef(2);
  const [customerId, setCustomerId] = useState(params.get('customerId') ?? '');
  const [issueDate, setIssueDate] = useState('');
  const [reference, setReference] = useState('');
  const [notes, setNotes] = useState('');
  const [terms, setTerms] = useState('');
  const [lines, setLines] = useState<LineDraft[]>([{ key: 1, description: '', amount: '' }]);
  const [busy, setBusy] = useState(false);

  if (customers.error) return <ErrorScreen retry={() => customers.mutate()} />;
  if (!customers.data) return <Skeleton />;
  const currency = customers.data.data.find((c) => c.id === customerId)?.currency ?? 'USD';
  const amounts = lines.map((line) => parseMoney(line.amount, currency));
  const total = amounts.reduce<number>((sum, amount) => sum + (amount ?? 0), 0);

  async function submit(event: FormEvent<HTMLFormElement> | null, send: boolean) {
    event?.preventDefault();
    form.clear();
    const found: Record<string, string> = {};
    if (!customerId) found['/customerId'] = t('form.required');
    lines.forEach((line, index) => {
      if (!line.description.trim()) found[`/lines/${index}/description`] = t('form.required');
      const amount = amounts[index];
      if (amount === null || amount === undefined || amount <= 0) found[`/lines/${index}/amount`] = t('edit.badAmount');
    });
    if (!form.local(found)) return;
    setBusy(true);
    try {
      const created = await data(
        api.POST('/api/v1/retainer-invoices', {
          body: {
            customerId,
            ...(issueDate ? { issueDate } : {}),
            reference: reference.trim() || null,
            notes: notes.trim() || null,
            terms: terms.trim() || null,
            lines: lines.map((line, index) => ({ description: line.description.trim(), amount: amounts[index] ?? 0 })),
          },
        }),
      );
      if (send) {
        await data(api.POST('/api/v1/retainer-invoices/{id}/send', { params: { path: { id: created.id } } }));
      }
      refresh(mutate, 'retainers');
      navigate(`/retainers/${created.id}`);
    } catch (caught) {
      setBusy(false);
      form.fromApi(caught);
    }
  }

  return (
    <section>
      <p className="small">
        <Link to="/retainers">{t('doc.backTo', { list: t('retainers.title') })}</Link>
      </p>
      <h1>{t('retainers.new')}</h1>
      <form onSubmit={(event) => submit(event, false)} noValidate>
        <FormSummary form={form} />
        <div className="form-grid">
          <SelectField
            path="/customerId"
            label={t('doc.customer')}
            value={customerId}
            error={form.errors['/customerId']}
            onChange={setCustomerId}
            options={[
              ['', t('edit.pickCustomer')],
              ...customers.data.data.map((c): [string, string] => [c.id, `${c.displayName} (${c.currency})`]),
            ]}
          />
          <Field
            path="/issueDate"
            type="date"
            label={t('edit.issueDate')}
            hint={t('edit.todayHint')}
            value={issueDate}
            error={form.errors['/issueDate']}
            onChange={setIssueDate}
          />
          <Field
            path="/reference"
            label={t('edit.reference')}
            value={reference}
            maxLength={100}
            onChange={setReference}
          />
        </div>
        <fieldset className="line-drafts">
          <legend>{t('edit.lines')}</legend>
          {lines.map((line, index) => (
            <fieldset key={line.key} className="line-draft">
              <legend>{t('edit.line', { n: index + 1 })}</legend>
              <div className="form-grid">
                <Field
                  path={`/lines/${index}/description`}
                  required
                  label={t('edit.description')}
                  value={line.description}
                  maxLength={2000}
                  error={form.errors[`/lines/${index}/description`]}
                  onChange={(value) =>
                    setLines((all) => all.map((l) => (l.key === line.key ? { ...l, description: value } : l)))
                  }
                />
                <Field
                  path={`/lines/${index}/amount`}
                  required
                  inputMode="decimal"
                  label={t('retainer.amount', { currency })}
                  value={line.amount}
                  error={form.errors[`/lines/${index}/amount`]}
                  onChange={(value) =>
                    setLines((all) => all.map((l) => (l.key === line.key ? { ...l, amount: value } : l)))
                  }
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
          <button
            type="button"
            className="button secondary"
            onClick={() => setLines((all) => [...all, { key: nextKey.current++, description: '', amount: '' }])}
          >
            {t('edit.addLine')}
          </button>
        </fieldset>
        <p className="totals-row strong retainer-total">
          <span>{t('doc.total')}</span> <Money amount={total} currency={currency} />
        </p>
        <div className="form-grid">
          <Field
            path="/notes"
            multiline
            className="wide-field"
            label={t('doc.notes')}
            value={notes}
            onChange={setNotes}
          />
          <Field
            path="/terms"
            multiline
            className="wide-field"
            label={t('doc.terms')}
            value={terms}
            onChange={setTerms}
          />
        </div>
        <div className="actions">
          <button type="submit" className="button secondary" disabled={busy}>
            {busy ? t('app.saving') : t('edit.saveDraft')}
          </button>
          <button type="button" className="button primary" disabled={busy} onClick={() => submit(null, true)}>
            {t('edit.saveAndSend')}
          </button>
          <Link to="/retainers" className="button link">
            {t('app.cancel')}
          </Link>
        </div>
      </form>
    </section>
  );
}
