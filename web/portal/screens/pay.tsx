import { type FormEvent, useId, useRef, useState } from 'react';
import { Link, useHref, useNavigate, useSearchParams } from 'react-router';
import useSWR from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import type { paths } from '../../ui/api-types.js';
import { decimalToMinor, formatDate, formatMoney, minorToDecimal } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import { Money } from '../components/document.js';
import { ErrorScreen } from '../components/error-screen.js';
import { PendingPayments } from '../components/pending-payment.js';
import { Skeleton } from '../components/skeleton.js';
import { newIdempotencyKey } from '../idempotency-key.js';
import { usePaysOnline, usePortal } from '../portal-context.js';
import NotFound from './not-found.js';

/** What one line of a payment pays: an invoice or a retainer invoice, with what is left to pay on it. */
interface PayItem {
  kind: 'invoice' | 'retainer';
  id: string;
  number: string;
  currency: string;
  balance: number;
  dueDate: string | null;
  allowPartial: boolean;
  /** Online payments still open on it (none known for the "pay everything" list). */
  pending: Pending[];
}

type Pending =
  paths['/api/portal/{slug}/invoices/{id}']['get']['responses'][200]['content']['application/json']['pendingPayments'][number];

/** At most as many documents as one payment takes (POST /payments, allocations). */
const MAX_DOCUMENTS = 50;
const PAYABLE = (status: string) => status !== 'void' && status !== 'draft' && status !== 'paid';

function usePayItems(slug: string, params: URLSearchParams) {
  const invoiceIds = (params.get('invoices') ?? '').split(',').filter(Boolean).slice(0, MAX_DOCUMENTS);
  const retainerId = params.get('retainer');
  const all = params.get('all');
  const key = ['pay', slug, retainerId ?? '', all ?? '', [...new Set(invoiceIds)].join(',')];
  return useSWR(key, async (): Promise<PayItem[]> => {
    if (retainerId) {
      const r = await data(
        api.GET('/api/portal/{slug}/retainer-invoices/{id}', { params: { path: { slug, id: retainerId } } }),
      );
      const item = {
        kind: 'retainer' as const,
        id: r.id,
        number: r.number,
        currency: r.currency,
        balance: r.balance,
        dueDate: null,
        allowPartial: false,
        pending: r.pendingPayments,
      };
      return PAYABLE(r.status) ? [item] : [];
    }
    if (all) {
      const rows: PayItem[] = [];
      let cursor: string | undefined;
      do {
        const page = await data(
          api.GET('/api/portal/{slug}/invoices', {
            params: { path: { slug }, query: { status: 'unpaid', limit: 100, ...(cursor ? { cursor } : {}) } },
          }),
        );
        for (const i of page.data) {
          if (i.currency !== all || i.balance <= 0 || !PAYABLE(i.status)) continue;
          rows.push({ kind: 'invoice', ...i, allowPartial: false, pending: [] });
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor && rows.length < MAX_DOCUMENTS);
      // Oldest due first, as a statement reads.
      return rows.slice(0, MAX_DOCUMENTS).sort((a, b) => (a.dueDate ?? '').localeCompare(b.dueDate ?? ''));
    }
    const invoices = await Promise.all(
      [...new Set(invoiceIds)].map((id) =>
        data(api.GET('/api/portal/{slug}/invoices/{id}', { params: { path: { slug, id } } })),
      ),
    );
    return invoices
      .filter((i) => i.balance > 0 && PAYABLE(i.status))
      .map((i) => ({
        kind: 'invoice',
        id: i.id,
        number: i.number,
        currency: i.currency,
        balance: i.balance,
        dueDate: i.dueDate,
        allowPartial: i.allowPartialPayments,
        pending: i.pendingPayments,
      }));
  });
}

/**
 * Pay: what is being paid (the documents, their amounts, the total in its currency), the amount when the invoice
 * allows another one, and one button. The card is entered on the gateway's own page, never here.
 */
export default function Pay() {
  const { t } = useI18n();
  const { slug, identity } = usePortal();
  const paysOnline = usePaysOnline();
  const [params] = useSearchParams();
  const items = usePayItems(slug, params);
  if (items.error) {
    if (items.error instanceof ApiError && items.error.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => items.mutate()} />;
  }
  if (!items.data) return <Skeleton />;
  const list = items.data;
  const currencies = new Set(list.map((i) => i.currency));
  return (
    <section className="pay-page" aria-labelledby="pay-title">
      <h1 id="pay-title">{t('pay.title', { name: identity.organization.name })}</h1>
      {!paysOnline ? (
        <div className="card">
          <p>{t('pay.off', { name: identity.organization.name })}</p>
          <Link to="/invoices">{t('invoices.title')}</Link>
        </div>
      ) : list.length === 0 ? (
        <div className="card">
          <p>{t('pay.nothing')}</p>
          <Link to="/invoices">{t('invoices.title')}</Link>
        </div>
      ) : currencies.size > 1 ? (
        <p className="notice error" role="alert">
          {t('pay.mixedCurrencies')}
        </p>
      ) : (
        <>
          {list.map((item) => (
            <PendingPayments
              key={item.id}
              pending={item.pending}
              currency={item.currency}
              screen="pay"
              document={
                list.length > 1
                  ? t(item.kind === 'retainer' ? 'pay.retainer' : 'pay.invoice', { number: item.number })
                  : undefined
              }
              onChanged={() => items.mutate()}
            />
          ))}
          <PayForm
            items={list}
            startOther={params.has('other')}
            startAmount={Number(params.get('amount')) || undefined}
            onPending={() => items.mutate()}
          />
        </>
      )}
    </section>
  );
}

type Problem = { message: string; field: boolean };

function PayForm({
  items,
  startOther,
  startAmount,
  onPending,
}: {
  items: PayItem[];
  startOther: boolean;
  startAmount?: number;
  /** A payment of these documents is open: read them again, so that it shows (with Cancel when it is the client's). */
  onPending: () => void;
}) {
  const { t } = useI18n();
  const { slug, locale, identity } = usePortal();
  const navigate = useNavigate();
  const returnHref = useHref('/payments/return');
  const ids = useId();
  const currency = items[0]?.currency ?? 'USD';
  const total = items.reduce((sum, i) => sum + i.balance, 0);
  const single = items.length === 1 ? items[0] : undefined;
  const partialAllowed = Boolean(single?.allowPartial);
  const startsPartial = startAmount !== undefined && startAmount < total;
  const [other, setOther] = useState(partialAllowed && (startOther || startsPartial));
  const [text, setText] = useState(
    startAmount !== undefined && startsPartial && partialAllowed ? minorToDecimal(startAmount, currency) : '',
  );
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per pay screen, reused when the same submission is sent again (a retry after a network error):
  // the server then answers the first attempt instead of making a second one. Another amount, another key.
  const submission = useRef<{ key: string; body: string | null }>({ key: newIdempotencyKey(), body: null });
  const money = (minor: number) => formatMoney(minor, currency, locale);

  const entered = other ? decimalToMinor(text, currency) : total;
  const shownAmount = entered !== null && entered > 0 && entered <= total ? entered : null;

  function amountProblem(): string | null {
    if (!other) return null;
    if (text.trim() === '') return t('pay.amountMissing');
    if (entered === null) return t('pay.amountInvalid', { example: minorToDecimal(Math.min(total, 12345), currency) });
    if (entered <= 0) return t('pay.amountZero');
    if (entered > total) return t('pay.amountTooHigh', { amount: money(total) });
    return null;
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const wrong = amountProblem();
    if (wrong) {
      setProblem({ message: wrong, field: true });
      document.getElementById(`${ids}-amount`)?.focus();
      return;
    }
    const amount = entered ?? total;
    const allocations = items.map((item) =>
      item.kind === 'retainer'
        ? { retainerInvoiceId: item.id, amount: item.balance }
        : { invoiceId: item.id, amount: single ? amount : item.balance },
    );
    const body = JSON.stringify({ allocations });
    if (submission.current.body !== null && submission.current.body !== body) {
      submission.current = { key: newIdempotencyKey(), body };
    } else submission.current.body = body;
    setBusy(true);
    setProblem(null);
    try {
      const attempt = await data(
        api.POST('/api/portal/{slug}/payments', {
          params: { path: { slug } },
          headers: { 'Idempotency-Key': submission.current.key },
          body: { allocations },
        }),
      );
      if (attempt.redirectUrl && /^https?:\/\//.test(attempt.redirectUrl)) {
        // The card is entered on the gateway's own page; it sends the client back to /payments/return. The
        // browser's Back from that page does what its cancel link does: this screen's entry in the history
        // becomes the cancel address (the router is not told, so nothing happens until the client comes back),
        // and a page the browser kept in memory is loaded afresh on return so that it reads that address.
        const cancel = new URLSearchParams({ attempt: attempt.id, cancelled: '1' });
        window.history.replaceState(window.history.state, '', `${returnHref}?${cancel}`);
        window.addEventListener('pageshow', (shown) => shown.persisted && window.location.reload());
        window.location.assign(attempt.redirectUrl);
        return;
      }
      navigate(`/payments/return?attempt=${encodeURIComponent(attempt.id)}`);
    } catch (caught) {
      setBusy(false);
      if (!(caught instanceof ApiError)) {
        // No answer: the same key goes with the same submission next time, so nothing is paid twice.
        setProblem({ message: t('pay.network'), field: false });
        return;
      }
      if (caught.code === 'idempotency_conflict') submission.current = { key: newIdempotencyKey(), body: null };
      if (caught.code === 'payment_pending') onPending();
      const onAmount = caught.errors.some((e) => e.path.endsWith('/amount'));
      setProblem({
        message:
          caught.code === 'payment_pending' ? t.plural('pay.pending', items.length) : caught.message || t('app.error'),
        field: other && onAmount,
      });
    }
  }

  const amountId = `${ids}-amount`;
  const hintId = `${ids}-hint`;
  const errorId = `${ids}-error`;
  return (
    <form className="card pay-card" onSubmit={submit} noValidate aria-busy={busy}>
      <table className="lines pay-lines">
        <caption className="visually-hidden">{t('pay.paying')}</caption>
        <thead className="visually-hidden">
          <tr>
            <th scope="col">{t('doc.number')}</th>
            <th scope="col" className="num">
              {t('doc.balance')}
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <th scope="row">
                <Link to={item.kind === 'retainer' ? `/retainers/${item.id}` : `/invoices/${item.id}`}>
                  {t(item.kind === 'retainer' ? 'pay.retainer' : 'pay.invoice', { number: item.number })}
                </Link>
                {item.dueDate && (
                  <span className="muted small">
                    {' '}
                    · {t('invoice.dueOn', { date: formatDate(item.dueDate, locale) })}
                  </span>
                )}
              </th>
              <td className="num">
                <Money amount={item.balance} currency={item.currency} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <div className="pay-total">
        <span className="muted">{other ? t('pay.youPay') : t('pay.total')}</span>
        <strong className="big-amount">{shownAmount === null ? '—' : money(shownAmount)}</strong>
      </div>

      {partialAllowed &&
        (other ? (
          <div className="field">
            <label htmlFor={amountId}>{t('pay.amount', { currency })}</label>
            <input
              id={amountId}
              name="amount"
              inputMode="decimal"
              autoComplete="off"
              value={text}
              onChange={(event) => {
                setText(event.target.value);
                if (problem?.field) setProblem(null);
              }}
              aria-invalid={problem?.field ? true : undefined}
              aria-describedby={problem?.field ? `${errorId} ${hintId}` : hintId}
            />
            <p id={hintId} className="muted small field-hint">
              {t('pay.amountHint', { amount: money(total) })}
            </p>
            {problem?.field && (
              <p id={errorId} className="field-error" role="alert">
                {problem.message}
              </p>
            )}
            <button
              type="button"
              className="button link pay-toggle"
              onClick={() => {
                setOther(false);
                setProblem(null);
              }}
            >
              {t('pay.payFull', { amount: money(total) })}
            </button>
          </div>
        ) : (
          <button type="button" className="button link pay-toggle" onClick={() => setOther(true)}>
            {t('pay.other')}
          </button>
        ))}

      {problem && !problem.field && (
        <p className="notice error" role="alert">
          {problem.message}
        </p>
      )}
      <button type="submit" className="button primary wide pay-button" disabled={busy}>
        {shownAmount === null ? t('pay.submitNoAmount') : t('pay.submit', { amount: money(shownAmount) })}
      </button>
      <p className="muted small" role="status">
        {busy ? t('pay.opening') : t('pay.gatewayNote', { name: identity.organization.name })}
      </p>
    </form>
  );
}
