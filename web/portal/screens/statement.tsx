import { useState } from 'react';
import { useSearchParams } from 'react-router';
import useSWR from 'swr';
import { api, data } from '../../ui/api.js';
import { BalanceFigures, NetBalance } from '../../ui/balance-story.js';
import { formatDate } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import { StatementLines } from '../../ui/statement-lines.js';
import { TotalRow } from '../components/document.js';
import { ErrorScreen } from '../components/error-screen.js';
import { isDate, isReversed, PeriodForm } from '../components/period-form.js';
import { Skeleton } from '../components/skeleton.js';
import { usePortal } from '../portal-context.js';

const PRESETS = ['this_month', 'last_month', 'this_quarter', 'this_year'] as const;
type Preset = (typeof PRESETS)[number];
type Choice = Preset | 'custom';

/**
 * The statement of accounts for a period (this month by default): the summary with the net balance at the period's
 * end largest (credit in the client's favour when negative), the balance today told as Home tells it when the
 * statement reaches today, then every line with its running balance. The period lives in the address (`?period=` or `?from=&to=`), so the PDF,
 * the CSV and a reload show the same statement.
 */
export default function Statement() {
  const { t } = useI18n();
  const { slug, locale, identity } = usePortal();
  const [params, setParams] = useSearchParams();
  const from = params.get('from');
  const to = params.get('to');
  // A period that ends before it starts is not asked for: the form below says what to change.
  const range = isDate(from) && isDate(to) && !isReversed(from, to) ? { from, to } : null;
  const reversedInAddress = isDate(from) && isDate(to) && isReversed(from, to);
  const preset: Preset = (PRESETS as readonly string[]).includes(params.get('period') ?? '')
    ? (params.get('period') as Preset)
    : 'this_month';
  const [customOpen, setCustomOpen] = useState(false);
  const choice: Choice = range || customOpen || reversedInAddress ? 'custom' : preset;
  const query: { from: string; to: string } | { period: Preset } = range ?? { period: preset };
  const search = new URLSearchParams(query).toString();
  const statement = useSWR(['statement', slug, search], () =>
    data(api.GET('/api/portal/{slug}/statement', { params: { path: { slug }, query } })),
  );

  function choose(next: Choice) {
    if (next === 'custom') {
      setCustomOpen(true);
      return;
    }
    setCustomOpen(false);
    setParams(next === 'this_month' ? {} : { period: next }, { replace: true });
  }
  function applyCustom(period: { from: string; to: string }) {
    if (isDate(period.from) && isDate(period.to)) setParams(period, { replace: true });
  }

  const s = statement.data;
  const currency = s?.summary.currency ?? identity.organization.currency;
  const base = `/api/portal/${encodeURIComponent(slug)}/statement`;
  return (
    <article className="statement-page">
      <h1>{t('statement.title')}</h1>
      {s && (
        <p className="muted">
          {s.customer.companyName ?? s.customer.name} ·{' '}
          {t('period.range', { from: formatDate(s.period.from, locale), to: formatDate(s.period.to, locale) })}
        </p>
      )}

      <fieldset className="period-picker no-print">
        <legend className="visually-hidden">{t('period.label')}</legend>
        {[...PRESETS, 'custom' as const].map((value) => (
          <label key={value} className={choice === value ? 'chip selected' : 'chip'}>
            <input type="radio" name="period" value={value} checked={choice === value} onChange={() => choose(value)} />
            {t(`period.${value}`)}
          </label>
        ))}
      </fieldset>
      {choice === 'custom' && (
        <PeriodForm
          key={search}
          from={reversedInAddress ? (from as string) : (range?.from ?? s?.period.from ?? '')}
          to={reversedInAddress ? (to as string) : (range?.to ?? s?.period.to ?? '')}
          required
          onApply={applyCustom}
        />
      )}

      {statement.error ? (
        <ErrorScreen retry={() => statement.mutate()} />
      ) : !s ? (
        <Skeleton />
      ) : (
        <>
          <section className="card statement-summary" aria-labelledby="net-balance-title">
            <div>
              <h2 id="net-balance-title" className="muted h3">
                {t('balance.netBalance')}
              </h2>
              <p className="big-amount" data-testid="net-balance">
                <NetBalance t={t} amount={s.summary.balanceDue} currency={currency} />
              </p>
            </div>
            <dl className="totals compact">
              <TotalRow label={t('statement.opening')} amount={s.summary.openingBalance} currency={currency} />
              <TotalRow label={t('statement.invoiced')} amount={s.summary.invoiced} currency={currency} />
              <TotalRow label={t('statement.received')} amount={s.summary.received} currency={currency} />
              {s.summary.writtenOff !== 0 && (
                <TotalRow label={t('invoice.writtenOff')} amount={s.summary.writtenOff} currency={currency} />
              )}
            </dl>
          </section>
          {s.balance && (
            <section className="card" aria-labelledby="balance-now-title">
              <h2 id="balance-now-title" className="h3">
                {t('balance.asOfNow')}
              </h2>
              <BalanceFigures t={t} balance={s.balance} />
            </section>
          )}

          <div className="actions no-print">
            <a className="button primary" href={`${base}/pdf?${search}`} download>
              {t('statement.pdf')}
            </a>
            <a className="button secondary" href={`${base}/csv?${search}`} download>
              {t('statement.csv')}
            </a>
            <button type="button" className="button secondary" onClick={() => window.print()}>
              {t('doc.print')}
            </button>
          </div>

          {s.lines.length <= 1 && <p className="empty no-print">{t('statement.empty')}</p>}
          <StatementLines
            t={t}
            modeName={(mode) => t(`mode.${mode}`)}
            lines={s.lines}
            currency={currency}
            caption={t('statement.title')}
            transaction={{
              label: t('statement.transaction'),
              name: (line) => `${t(`statement.kind.${line.kind}`)}${line.number ? ` ${line.number}` : ''}`,
            }}
            boldBalance
          />
        </>
      )}
    </article>
  );
}
