import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import useSWR, { useSWRConfig } from 'swr';
import { api, data } from '../../ui/api.js';
import { refresh } from '../../ui/cache.js';
import { formatDate } from '../../ui/format.js';
import { Money } from '../../ui/money.js';
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
import { Skeleton } from '../components/skeleton.js';
import { useBackOffice } from '../context.js';
import { useI18n } from '../i18n.js';

const MODES = ['bank_transfer', 'cash', 'check', 'card', 'other'] as const;
type Mode = (typeof MODES)[number];

/** Today in the organization's time zone, as YYYY-MM-DD. */
export const todayIn = (timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/**
 * Record a payment received offline (`/payments/new?customerId=…&invoiceId=…`): the amount, date and mode, and how
 * much of it goes to each of the customer's open invoices; what is not applied becomes the customer's credit.
 */
export default function PaymentForm() {
  const { t } = useI18n();
  const { timeZone, locale } = useBackOffice();
  const navigate = useNavigate();
  const { mutate } = useSWRConfig();
  const [params] = useSearchParams();
  const customers = useCustomers();
  const form = useFormErrors();
  const [customerId, setCustomerId] = useState(params.get('customerId') ?? '');
  const [date, setDate] = useState(() => todayIn(timeZone));
  const [amount, setAmount] = useState('');
  const [mode, setMode] = useState<Mode>('bank_transfer');
  const [reference, setReference] = useState('');
  const [notes, setNotes] = useState('');
  const [applied, setApplied] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const preselected = params.get('invoiceId');

  const invoices = useSWR(customerId ? ['invoices', 'open', customerId] : null, async () => {
    const page = await data(
      api.GET('/api/v1/invoices', { params: { query: { customerId, status: 'unpaid', limit: 100 } } }),
    );
    // The invoice the user came from is filled in with its balance, and so is the amount received.
    const chosen = page.data.find((invoice) => invoice.id === preselected);
    if (chosen) {
      setApplied({ [chosen.id]: moneyText(chosen.balance, chosen.currency) });
      setAmount((current) => current || moneyText(chosen.balance, chosen.currency));
    }
    return page.data;
  });

  if (customers.error) return <ErrorScreen retry={() => customers.mutate()} />;
  if (!customers.data) return <Skeleton />;
  const customer = customers.data.data.find((c) => c.id === customerId);
  const currency = customer?.currency ?? 'USD';
  const open = invoices.data ?? [];
  const appliedTotal = open.reduce((sum, invoice) => sum + (parseMoney(applied[invoice.id] ?? '', currency) ?? 0), 0);
  const received = parseMoney(amount, currency);
  const left = received === null ? null : received - appliedTotal;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    form.clear();
    const found: Record<string, string> = {};
    if (!customerId) found['/customerId'] = t('form.required');
    if (received === null || received <= 0) found['/amount'] = t('edit.badAmount');
    const allocations = open.flatMap((invoice, index) => {
      const value = parseMoney(applied[invoice.id] ?? '', currency);
      if (value === null) found[`/allocations/${index}/amount`] = t('edit.badAmount');
      return value ? [{ invoiceId: invoice.id, amount: value, index }] : [];
    });
    if (left !== null && left < 0) found['/amount'] = t('recordPayment.tooMuch');
    if (!form.local(found)) return;
    setBusy(true);
    try {
      const payment = await data(
        api.POST('/api/v1/payments', {
          body: {
            customerId,
            date,
            amount: received ?? 0,
            mode,
            reference: reference.trim() || null,
            notes: notes.trim() || null,
            allocations: allocations.map(({ invoiceId, amount: value }) => ({ invoiceId, amount: value })),
          },
        }),
      );
      refresh(mutate, 'payments', 'invoices', 'invoice', 'customer', 'history');
      navigate(`/payments/${payment.id}`);
    } catch (caught) {
      setBusy(false);
      // The API names allocations by their position among those sent; the form by the invoice's row.
      form.fromApi(caught, (path) => {
        const match = /^\/allocations\/(\d+)\/(.*)$/.exec(path);
        const sent = match ? allocations[Number(match[1])] : undefined;
        return sent ? `/allocations/${sent.index}/${match?.[2] ?? 'amount'}` : path;
      });
    }
  }

  return (
    <section className="payment-form">
      <p className="small">
        <Link to="/payments">{t('doc.backTo', { list: t('payments.title') })}</Link>
      </p>
      <h1>{t('recordPayment.title')}</h1>
      <form onSubmit={submit} noValidate>
        <FormSummary form={form} />
        <div className="form-grid">
          <SelectField
            path="/customerId"
            label={t('doc.customer')}
            value={customerId}
            error={form.errors['/customerId']}
            onChange={(value) => {
              setCustomerId(value);
              setApplied({});
            }}
            options={[
              ['', t('edit.pickCustomer')],
              ...customers.data.data.map((c): [string, string] => [c.id, `${c.displayName} (${c.currency})`]),
            ]}
          />
          <Field
            path="/amount"
            required
            inputMode="decimal"
            label={t('recordPayment.amount', { currency })}
            value={amount}
            error={form.errors['/amount']}
            onChange={setAmount}
          />
          <Field
            path="/date"
            required
            type="date"
            label={t('recordPayment.date')}
            value={date}
            error={form.errors['/date']}
            onChange={setDate}
          />
          <SelectField
            path="/mode"
            label={t('recordPayment.mode')}
            value={mode}
            onChange={(value) => setMode(value as Mode)}
            options={MODES.map((m): [string, string] => [m, t(`payments.mode.${m}`)])}
          />
          <Field
            path="/reference"
            label={t('edit.reference')}
            value={reference}
            maxLength={100}
            error={form.errors['/reference']}
            onChange={setReference}
          />
          <Field
            path="/notes"
            multiline
            className="wide-field"
            label={t('doc.notes')}
            value={notes}
            maxLength={5000}
            onChange={setNotes}
          />
        </div>
        {customerId && (
          <fieldset className="form-section">
            <legend>{t('recordPayment.applyTo')}</legend>
            {invoices.error ? (
              <ErrorScreen retry={() => invoices.mutate()} />
            ) : !invoices.data ? (
              <Skeleton />
            ) : open.length === 0 ? (
              <p className="empty">{t('recordPayment.noOpen')}</p>
            ) : (
              <table className="list allocations">
                <thead>
                  <tr>
                    <th scope="col">{t('payment.invoice')}</th>
                    <th scope="col">{t('doc.due')}</th>
                    <th scope="col" className="num">
                      {t('doc.balance')}
                    </th>
                    <th scope="col">{t('recordPayment.payment')}</th>
                  </tr>
                </thead>
                <tbody>
                  {open.map((invoice, index) => (
                    <tr key={invoice.id}>
                      <th scope="row" data-label={t('payment.invoice')}>
                        {invoice.number}
                      </th>
                      <td data-label={t('doc.due')}>{formatDate(invoice.dueDate, locale)}</td>
                      <td className="num" data-label={t('doc.balance')}>
                        <Money amount={invoice.balance} currency={invoice.currency} />
                      </td>
                      <td data-label={t('recordPayment.payment')}>
                        <Field
                          path={`/allocations/${index}/amount`}
                          hideLabel
                          inputMode="decimal"
                          label={t('recordPayment.applyToInvoice', { number: invoice.number })}
                          value={applied[invoice.id] ?? ''}
                          error={form.errors[`/allocations/${index}/amount`]}
                          onChange={(value) => setApplied((current) => ({ ...current, [invoice.id]: value }))}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p role="status" aria-live="polite">
              {left !== null && left > 0 && (
                <>
                  {t('recordPayment.credit')} <Money amount={left} currency={currency} />
                </>
              )}
            </p>
          </fieldset>
        )}
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t('app.saving') : t('recordPayment.save')}
          </button>
          <Link to="/payments" className="button link">
            {t('app.cancel')}
          </Link>
        </div>
      </form>
    </section>
  );
}
