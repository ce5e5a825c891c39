import { Link } from 'react-router';
import useSWR from 'swr';
import { api, data } from '../../ui/api.js';
import type { paths } from '../../ui/api-types.js';
import { BalanceFigures, NetBalance } from '../../ui/balance-story.js';
import { formatDate, formatMoney } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import type { MessageKey } from '../../ui/messages/en.js';
import { Money, StatusPill } from '../components/document.js';
import { ErrorScreen } from '../components/error-screen.js';
import { Skeleton } from '../components/skeleton.js';
import { payPath } from '../pay-path.js';
import { usePaysOnline, usePortal } from '../portal-context.js';

type HomeData = paths['/api/portal/{slug}/home']['get']['responses'][200]['content']['application/json'];

export default function Home() {
  const { t } = useI18n();
  const { slug, locale, identity } = usePortal();
  const paysOnline = usePaysOnline();
  const home = useSWR(['home', slug], () => data(api.GET('/api/portal/{slug}/home', { params: { path: { slug } } })));
  if (home.error) return <ErrorScreen retry={() => home.mutate()} />;
  if (!home.data) return <Skeleton />;
  const h = home.data;
  const due = h.outstandingInvoices.totals;

  return (
    <div className="home">
      <h1 className="visually-hidden">{t('home.title')}</h1>
      {h.banner && <p className="banner">{h.banner}</p>}

      <section className="card balance-card" aria-labelledby="balance-title">
        <h2 id="balance-title" className="muted h3">
          {t('balance.netBalance')}
        </h2>
        <p className="big-amount" data-testid="net-balance">
          <NetBalance t={t} amount={h.balance.netBalance} currency={h.balance.currency} />
        </p>
        <BalanceFigures t={t} balance={h.balance} />
        {/* Invoices left in another currency (the customer's changed since) are owed apart: each its own line. */}
        {due
          .filter((total) => total.currency !== h.balance.currency)
          .map((total) => (
            <p key={total.currency} className="muted">
              {t('balance.outstandingInvoices')} <Money amount={total.amount} currency={total.currency} />
            </p>
          ))}
        {h.balance.creditAvailable > 0 && h.balance.outstandingInvoices > 0 && (
          <p className="muted small">{t('balance.creditHint', { name: h.organization.name })}</p>
        )}
        {due.length === 0 ? (
          h.balance.netBalance <= 0 && <p className="muted">{t('home.nothingDue')}</p>
        ) : (
          <div className="actions">
            {paysOnline &&
              due.map((total) => (
                <Link key={total.currency} className="button primary" to={payPath({ all: total.currency })}>
                  {due.length > 1
                    ? t('pay.nowIn', { amount: formatMoney(total.amount, total.currency, locale) })
                    : t('pay.now')}
                </Link>
              ))}
            <Link className="button secondary" to="/invoices?status=unpaid">
              {t('home.outstandingInvoices')} ({h.outstandingInvoices.count})
            </Link>
          </div>
        )}
      </section>

      <div className="grid">
        <section className="card" aria-labelledby="outstanding-title">
          <h2 id="outstanding-title" className="h3">
            {t('home.outstandingInvoices')}
          </h2>
          {h.outstandingInvoices.invoices.length === 0 ? (
            <p className="muted">{t('home.none')}</p>
          ) : (
            <ul className="rows">
              {h.outstandingInvoices.invoices.map((invoice) => (
                <li key={invoice.id}>
                  <Link to={`/invoices/${invoice.id}`}>{invoice.number}</Link>
                  <span className="muted small">
                    {t('invoice.dueOn', { date: formatDate(invoice.dueDate, locale) })}
                  </span>
                  <StatusPill status={invoice.overdue ? 'overdue' : invoice.status} kind="invoice" />
                  <Money amount={invoice.balance} currency={invoice.currency} />
                </li>
              ))}
            </ul>
          )}
          <Link to="/invoices">{t('home.viewAll')}</Link>
        </section>

        <section className="card" aria-labelledby="estimates-title">
          <h2 id="estimates-title" className="h3">
            {t('home.awaitingEstimates')}
          </h2>
          {h.estimatesAwaiting.estimates.length === 0 ? (
            <p className="muted">{t('home.none')}</p>
          ) : (
            <ul className="rows">
              {h.estimatesAwaiting.estimates.map((estimate) => (
                <li key={estimate.id}>
                  <Link to={`/estimates/${estimate.id}`}>{estimate.number}</Link>
                  <span className="muted small">{formatDate(estimate.expiryDate, locale)}</span>
                  <Money amount={estimate.total} currency={estimate.currency} />
                </li>
              ))}
            </ul>
          )}
          <p className="actions">
            <Link to="/estimates">{t('home.viewAll')}</Link>
            {identity.settings.quoteRequests && (
              <Link className="button secondary" to="/quote-requests">
                {t('quote.link')}
              </Link>
            )}
          </p>
        </section>

        {h.outstandingRetainers.count > 0 && (
          <section className="card" aria-labelledby="retainers-title">
            <h2 id="retainers-title" className="h3">
              {t('home.outstandingRetainers')}
            </h2>
            <ul className="rows">
              {h.outstandingRetainers.retainerInvoices.map((retainer) => (
                <li key={retainer.id}>
                  <Link to={`/retainers/${retainer.id}`}>{retainer.number}</Link>
                  <span className="muted small">{formatDate(retainer.issueDate, locale)}</span>
                  <Money amount={retainer.balance} currency={retainer.currency} />
                  {paysOnline && (
                    <Link
                      className="button primary"
                      to={payPath({ retainer: retainer.id })}
                      aria-label={t('home.payRetainer', { number: retainer.number })}
                    >
                      {t('pay.now')}
                    </Link>
                  )}
                </li>
              ))}
            </ul>
            <Link to="/retainers">{t('home.viewAll')}</Link>
          </section>
        )}

        <section className="card" aria-labelledby="payment-title">
          <h2 id="payment-title" className="h3">
            {t('home.lastPayment')}
          </h2>
          {h.lastPayment ? (
            <p>
              <Money amount={h.lastPayment.amount} currency={h.lastPayment.currency} />
              <span className="muted small">
                {' '}
                · <Link to={`/payments/${h.lastPayment.id}`}>{h.lastPayment.number}</Link> ·{' '}
                {t(`mode.${h.lastPayment.mode}` as MessageKey)} · {formatDate(h.lastPayment.date, locale)}
                {h.lastPayment.invoiceNumbers.length > 0 && ` · ${h.lastPayment.invoiceNumbers.join(', ')}`}
              </span>
            </p>
          ) : (
            <p className="muted">{t('home.none')}</p>
          )}
        </section>
      </div>

      {h.chart[0] && <Chart series={h.chart[0]} locale={locale} />}

      <CompanyDetails />

      <section className="card muted small" aria-label={t('home.contact', { name: h.organization.name })}>
        <strong>{h.organization.name}</strong>
        {h.organization.email && (
          <>
            {' · '}
            <a href={`mailto:${h.organization.email}`}>{h.organization.email}</a>
          </>
        )}
        {h.organization.phone && ` · ${h.organization.phone}`}
      </section>
    </div>
  );
}

/**
 * My company details, as the seed places them on the dashboard: the company, its billing address, phone and
 * website as the business has them, with a way to change them when the business allows it. The same read as the
 * account screen (one cache entry), so opening "My details" from here is instant.
 */
function CompanyDetails() {
  const { t } = useI18n();
  const { slug } = usePortal();
  const account = useSWR(['account', slug], () =>
    data(api.GET('/api/portal/{slug}/account', { params: { path: { slug } } })),
  );
  if (!account.data) return null;
  const { customer, canEdit } = account.data;
  const address = customer.billingAddress;
  const lines = [
    address.attention,
    address.street1,
    address.street2,
    [address.postalCode, address.city].filter(Boolean).join(' '),
    address.state,
    address.country,
  ].filter((line): line is string => Boolean(line));
  return (
    <section className="card" aria-labelledby="company-title">
      <h2 id="company-title" className="h3">
        {t('home.companyDetails')}
      </h2>
      <dl className="facts">
        <div>
          <dt className="fact-label">{t('account.companyName')}</dt>
          <dd className="fact-value">{customer.companyName ?? customer.displayName}</dd>
        </div>
        <div>
          <dt className="fact-label">{t('account.billing')}</dt>
          <dd className="fact-value">{lines.length > 0 ? lines.join(', ') : '—'}</dd>
        </div>
        {customer.phone && (
          <div>
            <dt className="fact-label">{t('account.phone')}</dt>
            <dd className="fact-value">{customer.phone}</dd>
          </div>
        )}
        {customer.website && (
          <div>
            <dt className="fact-label">{t('account.website')}</dt>
            <dd className="fact-value">{customer.website}</dd>
          </div>
        )}
      </dl>
      <Link to="/account">{canEdit ? t('home.editDetails') : t('home.viewDetails')}</Link>
    </section>
  );
}

/** Invoiced and paid per month, as bars, with the same figures as a table for screen readers. */
function Chart({ series, locale }: { series: HomeData['chart'][number]; locale: string }) {
  const { t } = useI18n();
  const testMode = usePortal().identity.settings.onlinePayments === 'test';
  const max = Math.max(1, ...series.months.flatMap((m) => [m.invoiced, m.paid]));
  const monthName = (month: string) =>
    new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
  return (
    <section className="card" aria-labelledby="chart-title">
      <h2 id="chart-title" className="h3">
        {t('home.chart')}
      </h2>
      <svg viewBox="0 0 360 120" className="chart" aria-hidden="true" focusable="false">
        {series.months.map((m, index) => {
          const x = index * 30 + 4;
          const hi = (m.invoiced / max) * 100;
          const hp = (m.paid / max) * 100;
          return (
            <g key={m.month}>
              <rect x={x} y={104 - hi} width={10} height={hi} className="bar-invoiced" />
              <rect x={x + 11} y={104 - hp} width={10} height={hp} className="bar-paid" />
              <text x={x + 11} y={117} textAnchor="middle" className="chart-label">
                {monthName(m.month)}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="legend small">
        <span className="swatch invoiced" /> {t('home.invoiced')} <span className="swatch paid" /> {t('home.paid')}
      </p>
      {testMode && <p className="muted small">{t('home.chartTestPayments')}</p>}
      {/* A table is as wide as its cells whatever its own width: the hidden box is a div, which clips it. */}
      <div className="visually-hidden">
        <table>
          <caption>{t('home.chart')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('doc.date')}</th>
              <th scope="col">{t('home.invoiced')}</th>
              <th scope="col">{t('home.paid')}</th>
            </tr>
          </thead>
          <tbody>
            {series.months.map((m) => (
              <tr key={m.month}>
                <th scope="row">{monthName(m.month)}</th>
                <td>{formatMoney(m.invoiced, series.currency, locale)}</td>
                <td>{formatMoney(m.paid, series.currency, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
