import type { ReactNode } from 'react';
import { Link } from 'react-router';
import useSWR from 'swr';
import { api, data } from '../../ui/api.js';
import type { paths } from '../../ui/api-types.js';
import { formatMoney } from '../../ui/format.js';
import { Money } from '../../ui/money.js';
import { useBackOffice } from '../context.js';
import { useI18n } from '../i18n.js';
import { ErrorScreen } from './error-screen.js';
import { Skeleton } from './skeleton.js';

type Figures = paths['/api/v1/home']['get']['responses'][200]['content']['application/json'];
type Totals = Figures['collectedThisMonth'];

/**
 * Home's figures (GET /api/v1/home): what is owed, what is overdue, what came in this month, the estimates
 * awaiting an answer, and the last 12 months as bars with the same figures as a table.
 */
export function HomeFigures() {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const figures = useSWR(['home-figures'], () => data(api.GET('/api/v1/home')));
  if (figures.error) return <ErrorScreen retry={() => figures.mutate()} />;
  if (!figures.data) return <Skeleton />;
  const f = figures.data;
  return (
    <section aria-labelledby="home-figures">
      <h2 id="home-figures" className="visually-hidden">
        {t('figures.title')}
      </h2>
      <dl className="home-figures">
        <Figure
          label={t('figures.outstanding')}
          totals={f.outstandingInvoices.totals}
          currency={f.currency}
          count={t.plural('figures.invoices', f.outstandingInvoices.count)}
          to="/invoices?status=unpaid"
        />
        <Figure
          label={t('figures.overdue')}
          totals={f.overdueInvoices.totals}
          currency={f.currency}
          count={t.plural('figures.invoices', f.overdueInvoices.count)}
          to="/invoices?status=overdue"
          warn={f.overdueInvoices.count > 0}
        />
        <Figure
          label={t('figures.collected')}
          totals={f.collectedThisMonth}
          currency={f.currency}
          to="/payments"
          note={
            f.testPaymentsThisMonth.length > 0 && (
              <span className="muted">
                {t('figures.testPayments', {
                  amount: f.testPaymentsThisMonth.map((x) => formatMoney(x.amount, x.currency, locale)).join(', '),
                })}
              </span>
            )
          }
        />
        <Figure
          label={t('figures.estimates')}
          totals={f.estimatesAwaiting.totals}
          currency={f.currency}
          count={t.plural('figures.estimateCount', f.estimatesAwaiting.count)}
          to="/estimates?status=sent"
        />
      </dl>
      {f.chart.map((series) => (
        <Chart key={series.currency} series={series} several={f.chart.length > 1} />
      ))}
    </section>
  );
}

/** One figure: its amount in each currency it has (none: zero in the organization's), how many, and where. */
function Figure(props: {
  label: string;
  totals: Totals;
  currency: string;
  count?: string;
  to: string;
  warn?: boolean;
  /** A line under the amount (the test payments in it). */
  note?: ReactNode;
}) {
  const { t } = useI18n();
  const totals = props.totals.length > 0 ? props.totals : [{ currency: props.currency, amount: 0 }];
  return (
    <div className={`card figure${props.warn ? ' figure-warn' : ''}`}>
      <dt className="fact-label">{props.label}</dt>
      <dd>
        {totals.map((total) => (
          <strong key={total.currency} className="big-amount">
            <Money amount={total.amount} currency={total.currency} />
          </strong>
        ))}
        {props.note}
        <span className="figure-foot small">
          {props.count && <span className="muted">{props.count}</span>}
          <Link to={props.to}>
            {t('figures.see')}
            <span className="visually-hidden"> {props.label}</span>
          </Link>
        </span>
      </dd>
    </div>
  );
}

/** Invoiced and collected per month, as bars (hidden from screen readers), and the same figures as a table. */
function Chart({ series, several }: { series: Figures['chart'][number]; several: boolean }) {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const max = Math.max(1, ...series.months.flatMap((m) => [m.invoiced, m.collected]));
  const monthOf = (month: string, style: 'short' | 'long') =>
    new Intl.DateTimeFormat(locale, {
      month: 'short',
      ...(style === 'long' ? { year: 'numeric' } : {}),
      timeZone: 'UTC',
    }).format(new Date(`${month}-01T00:00:00Z`));
  const title = several ? t('figures.chartIn', { currency: series.currency }) : t('figures.chart');
  const id = `chart-${series.currency}`;
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id} className="h3">
        {title}
      </h2>
      <svg viewBox="0 0 360 120" className="chart" aria-hidden="true" focusable="false">
        {series.months.map((m, index) => {
          const x = index * 30 + 4;
          const invoiced = (m.invoiced / max) * 100;
          const collected = (m.collected / max) * 100;
          return (
            <g key={m.month}>
              <rect x={x} y={104 - invoiced} width={10} height={invoiced} className="bar-invoiced" />
              <rect x={x + 11} y={104 - collected} width={10} height={collected} className="bar-paid" />
              <text x={x + 11} y={117} textAnchor="middle" className="chart-label">
                {monthOf(m.month, 'short')}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="legend small" aria-hidden="true">
        <span className="swatch invoiced" /> {t('figures.invoiced')} <span className="swatch paid" />{' '}
        {t('figures.collectedShort')}
      </p>
      <details className="chart-table">
        <summary>{t('figures.asTable')}</summary>
        <table>
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t('figures.month')}</th>
              <th scope="col" className="num">
                {t('figures.invoiced')}
              </th>
              <th scope="col" className="num">
                {t('figures.collectedShort')}
              </th>
            </tr>
          </thead>
          <tbody>
            {series.months.map((m) => (
              <tr key={m.month}>
                <th scope="row">{monthOf(m.month, 'long')}</th>
                <td className="num">{formatMoney(m.invoiced, series.currency, locale)}</td>
                <td className="num">{formatMoney(m.collected, series.currency, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
