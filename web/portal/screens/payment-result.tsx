import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import useSWR, { useSWRConfig } from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import type { paths } from '../../ui/api-types.js';
import { refresh } from '../../ui/cache.js';
import { formatDate, formatMoney } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import { en, type MessageKey } from '../../ui/messages/en.js';
import { CHANGED_BY_A_PAYMENT } from '../changed-by-a-payment.js';
import { Money } from '../components/document.js';
import { ErrorScreen } from '../components/error-screen.js';
import { Skeleton } from '../components/skeleton.js';
import { payPath } from '../pay-path.js';
import { usePortal } from '../portal-context.js';
import NotFound from './not-found.js';

type Attempt =
  paths['/api/portal/{slug}/payment-attempts/{id}']['get']['responses'][200]['content']['application/json'];

/** How often, and how long, the return page asks whether the gateway has settled the payment. */
const POLL_EVERY_MS = 750;
const POLL_FOR_MS = 30_000;

const settled = (attempt: Attempt | null) => attempt?.status === 'succeeded' || attempt?.status === 'failed';

/**
 * Where the gateway's page sends the client back (/payments/return?attempt=…, with `&cancelled=1` from its cancel
 * link), and where Pay lands when the answer came at once: first asks the server to check the payment with the
 * gateway (or to cancel it, which frees the invoices at once), then asks for the attempt until it is settled
 * (briefly), then shows the payment received or why not.
 */
export default function PaymentResult() {
  const { t } = useI18n();
  const { slug } = usePortal();
  const { mutate } = useSWRConfig();
  const [params] = useSearchParams();
  const id = params.get('attempt') ?? '';
  const cancelled = params.get('cancelled') === '1';
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  const [state, setState] = useState<'polling' | 'timeout' | 'missing' | 'error'>('polling');
  const [round, setRound] = useState(0);
  const refreshed = useRef(false);

  // `round` starts the asking again ("Check again"), though the effect does not read it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    if (!id) {
      setState('missing');
      return;
    }
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const started = Date.now();
    setState('polling');
    async function poll(first: boolean) {
      try {
        const path = { params: { path: { slug, id } } };
        const latest = await data(
          !first
            ? api.GET('/api/portal/{slug}/payment-attempts/{id}', path)
            : cancelled
              ? api.POST('/api/portal/{slug}/payment-attempts/{id}/cancel', path)
              : api.POST('/api/portal/{slug}/payment-attempts/{id}/check', path),
        );
        if (stopped) return;
        setAttempt(latest);
        if (settled(latest)) {
          if (!refreshed.current) {
            refreshed.current = true;
            refresh(mutate, ...CHANGED_BY_A_PAYMENT);
          }
          return;
        }
      } catch (caught) {
        if (stopped) return;
        if (caught instanceof ApiError && caught.status === 404) return setState('missing');
        // A charge already in flight is not cancelled (409): its outcome is asked for like any other.
        if (first && cancelled && caught instanceof ApiError && caught.status === 409) {
          timer = setTimeout(() => poll(false), POLL_EVERY_MS);
          return;
        }
        if (caught instanceof ApiError && caught.status < 500) return setState('error');
        // A network hiccup or a server restart: keep asking until the time is up.
      }
      if (Date.now() - started >= POLL_FOR_MS) return setState('timeout');
      timer = setTimeout(() => poll(false), POLL_EVERY_MS);
    }
    poll(true);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id, cancelled, slug, mutate, round]);

  if (state === 'missing') return <NotFound />;
  if (state === 'error') return <ErrorScreen retry={() => setRound((r) => r + 1)} />;
  if (attempt?.status === 'succeeded') return <Succeeded attempt={attempt} />;
  if (attempt?.status === 'failed') return <Failed attempt={attempt} />;
  if (state === 'timeout') {
    return (
      <section className="pay-page pay-result" aria-labelledby="result-title">
        <h1 id="result-title">{t('pay.processingTitle')}</h1>
        <p>{attempt?.status === 'requires_action' ? t('pay.notFinished') : t('pay.stillProcessing')}</p>
        <div className="actions">
          {attempt?.status === 'requires_action' && attempt.redirectUrl ? (
            <a className="button primary" href={attempt.redirectUrl}>
              {t('pay.continue')}
            </a>
          ) : null}
          <button type="button" className="button secondary" onClick={() => setRound((r) => r + 1)}>
            {t('pay.checkAgain')}
          </button>
          <Link className="button link" to="/payments">
            {t('nav.payments')}
          </Link>
        </div>
      </section>
    );
  }
  return (
    <div className="pay-page">
      <h1 className="visually-hidden">{t('pay.checking')}</h1>
      <Skeleton />
    </div>
  );
}

function Succeeded({ attempt }: { attempt: Attempt }) {
  const { t } = useI18n();
  const { slug, locale, identity } = usePortal();
  const paymentId = attempt.paymentId ?? '';
  const payment = useSWR(paymentId ? ['payment', slug, paymentId] : null, () =>
    data(api.GET('/api/portal/{slug}/payments/{id}', { params: { path: { slug, id: paymentId } } })),
  );
  const date = payment.data?.date ?? attempt.createdAt.slice(0, 10);
  return (
    <section className="pay-page pay-result success" aria-labelledby="result-title">
      <div className="card">
        <p className="result-mark" aria-hidden="true">
          ✓
        </p>
        <h1 id="result-title">{t('paid.title')}</h1>
        <p className="big-amount">
          <Money amount={attempt.amount} currency={attempt.currency} />
        </p>
        <p>{t('paid.thanks', { name: identity.organization.name })}</p>
        <dl className="facts">
          <div>
            <dt className="fact-label">{t('doc.date')}</dt>
            <dd className="fact-value">{formatDate(date, locale)}</dd>
          </div>
          {payment.data && (
            <div>
              <dt className="fact-label">{t('paid.number')}</dt>
              <dd className="fact-value">
                <Link to={`/payments/${paymentId}`}>{payment.data.number}</Link>
              </dd>
            </div>
          )}
        </dl>
        <h2 className="h3">{t('paid.documents')}</h2>
        <ul className="rows">
          {attempt.allocations.map((a) => (
            <li key={a.invoiceId ?? a.retainerInvoiceId}>
              <Link to={a.retainerInvoiceId ? `/retainers/${a.retainerInvoiceId}` : `/invoices/${a.invoiceId}`}>
                {t(a.retainerInvoiceId ? 'pay.retainer' : 'pay.invoice', { number: a.number })}
              </Link>
              <Money amount={a.amount} currency={attempt.currency} />
            </li>
          ))}
        </ul>
        {paymentId && (
          <div className="actions">
            <a
              className="button primary"
              href={`/api/portal/${encodeURIComponent(slug)}/payments/${encodeURIComponent(paymentId)}/receipt`}
              download
            >
              {t('payment.receipt')}
            </a>
            <Link className="button secondary" to={`/payments/${paymentId}`}>
              {t('paid.view')}
            </Link>
            <Link className="button link" to="/">
              {t('paid.home')}
            </Link>
          </div>
        )}
      </div>
    </section>
  );
}

/** The client's sentence for a failure code, in the portal's language; the server's own words otherwise. */
function failureSentence(t: (key: MessageKey) => string, failure: { code: string; message: string }): string {
  const key = `payError.${failure.code}`;
  return key in en ? t(key as MessageKey) : failure.message;
}

function Failed({ attempt }: { attempt: Attempt }) {
  const { t } = useI18n();
  const { identity, locale } = usePortal();
  const failure = attempt.failure ?? { code: '', message: t('app.error') };
  const cpCode = /^CP\d{4}$/.test(failure.code) ? failure.code : null;
  const name = identity.organization.name;
  const retainer = attempt.allocations.find((a) => a.retainerInvoiceId);
  const invoices = attempt.allocations.map((a) => a.invoiceId).filter((id): id is string => Boolean(id));
  const single = attempt.allocations.length === 1 ? attempt.allocations[0] : undefined;
  const again = retainer?.retainerInvoiceId
    ? payPath({ retainer: retainer.retainerInvoiceId })
    : payPath({ invoices }, single ? { amount: single.amount } : {});
  if (failure.code === 'checkout_cancelled') {
    // The client's own choice (the page's cancel link, or Back from it): nothing went wrong, nothing to advise.
    return (
      <section className="pay-page pay-result" aria-labelledby="result-title">
        <div className="card">
          <h1 id="result-title">{t('payCancelled.title')}</h1>
          <p>{failureSentence(t, failure)}</p>
          <div className="actions">
            <Link className="button primary" to={again}>
              {t('payFailed.retry')}
            </Link>
            <Link className="button link" to="/invoices">
              {t('invoices.title')}
            </Link>
          </div>
        </div>
      </section>
    );
  }
  return (
    <section className="pay-page pay-result failure" aria-labelledby="result-title">
      <div className="card">
        <h1 id="result-title">{t('payFailed.title')}</h1>
        <p className="failure-sentence">{failureSentence(t, failure)}</p>
        {cpCode && <p className="failure-code">{t('payFailed.code', { code: cpCode })}</p>}
        <p className="muted">
          {t('payFailed.notCharged', { amount: formatMoney(attempt.amount, attempt.currency, locale) })}
        </p>
        <h2 className="h3">{t('payFailed.whatToDo')}</h2>
        <ul className="what-to-do">
          <li>{t('payFailed.tryAgainLater')}</li>
          <li>{t('payFailed.anotherCard')}</li>
          <li>{cpCode ? t('payFailed.contactCode', { name, code: cpCode }) : t('payFailed.contact', { name })}</li>
        </ul>
        <div className="actions">
          <Link className="button primary" to={again}>
            {t('payFailed.retry')}
          </Link>
          <Link className="button link" to="/invoices">
            {t('invoices.title')}
          </Link>
        </div>
      </div>
    </section>
  );
}
