import { useState } from 'react';
import { Link } from 'react-router';
import useSWR, { useSWRConfig } from 'swr';
import { api, data } from '../../ui/api.js';
import type { paths } from '../../ui/api-types.js';
import { NetBalance } from '../../ui/balance-story.js';
import { refresh } from '../../ui/cache.js';
import { formatDate } from '../../ui/format.js';
import { Money } from '../../ui/money.js';
import { StatementLines } from '../../ui/statement-lines.js';
import { usePagedList } from '../../ui/use-list.js';
import { useBackOffice } from '../context.js';
import { formatDateTime } from '../format.js';
import { useI18n } from '../i18n.js';
import type { MessageKey } from '../messages/en.js';
import { customerBalanceKey } from './customer-balance.js';
import { ErrorScreen } from './error-screen.js';
import { ActionMessage, Field, moneyText, parseMoney, useActionMessage } from './forms.js';
import { PagedList } from './paged-list.js';
import { Skeleton } from './skeleton.js';

type CustomerData = paths['/api/v1/customers/{id}']['get']['responses'][200]['content']['application/json'];

const PERIODS = ['this_month', 'last_month', 'this_quarter', 'this_year'] as const;
type Period = (typeof PERIODS)[number];

/** The customer's statement of accounts for a period, with its PDF. */
export function Statement({ customer }: { customer: CustomerData }) {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const [period, setPeriod] = useState<Period>('this_year');
  const statement = useSWR(['customer', customer.id, 'statement', period], () =>
    data(
      api.GET('/api/v1/customers/{id}/statement', {
        params: { path: { id: customer.id }, query: { period } },
      }),
    ),
  );
  const s = statement.data;
  return (
    <section aria-labelledby="customer-statement" className="customer-statement">
      <h2 id="customer-statement">{t('statement.title')}</h2>
      <div className="statement-controls">
        <div className="field">
          <label htmlFor="statement-period">{t('statement.period')}</label>
          <select id="statement-period" value={period} onChange={(event) => setPeriod(event.target.value as Period)}>
            {PERIODS.map((p) => (
              <option key={p} value={p}>
                {t(`statement.${p}`)}
              </option>
            ))}
          </select>
        </div>
        <a className="button secondary" href={`/api/v1/customers/${customer.id}/statement/pdf?period=${period}`}>
          {t('statement.pdf')}
        </a>
      </div>
      {statement.error ? (
        <ErrorScreen retry={() => statement.mutate()} />
      ) : !s ? (
        <Skeleton />
      ) : (
        <>
          <p className="muted">
            {t('statement.range', { from: formatDate(s.period.from, locale), to: formatDate(s.period.to, locale) })}
          </p>
          <dl className="facts statement-summary">
            {(
              [
                ['statement.opening', s.summary.openingBalance],
                ['statement.invoiced', s.summary.invoiced],
                ['statement.received', s.summary.received],
              ] as Array<[MessageKey, number]>
            ).map(([label, amount]) => (
              <div key={label}>
                <dt className="fact-label">{t(label)}</dt>
                <dd className="fact-value">
                  <Money amount={amount} currency={s.summary.currency} />
                </dd>
              </div>
            ))}
            <div>
              <dt className="fact-label">{t('balance.netBalance')}</dt>
              <dd className="fact-value" data-testid="statement-net-balance">
                <NetBalance t={t} amount={s.summary.balanceDue} currency={s.summary.currency} />
              </dd>
            </div>
          </dl>
          {s.lines.length > 0 && (
            <StatementLines
              t={t}
              modeName={(mode) => t(`payments.mode.${mode}`)}
              lines={s.lines}
              currency={s.summary.currency}
              transaction={{
                label: t('statement.transaction'),
                name: (line) => `${t(`statement.kind.${line.kind}`)}${line.number ? ` ${line.number}` : ''}`,
              }}
            />
          )}
        </>
      )}
    </section>
  );
}

/** The audit trail of the customer's contact persons in the portal: invitations, sign-ins, changes. */
export function PortalActivity({ customer }: { customer: CustomerData }) {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const list = usePagedList(['customer', customer.id, 'audit'], (cursor) =>
    data(
      api.GET('/api/v1/audit-log', {
        params: { query: { customerId: customer.id, limit: 10, ...(cursor ? { cursor } : {}) } },
      }),
    ),
  );
  return (
    <section aria-labelledby="customer-audit">
      <h2 id="customer-audit">{t('audit.title')}</h2>
      <PagedList list={list} empty={t('audit.empty')}>
        {(rows) => (
          <ol className="timeline">
            {rows.map((entry) => (
              <li key={entry.id}>
                <p>
                  <strong>{entry.contactPersonName ?? t('audit.someone')}</strong> —{' '}
                  {t(`audit.event.${entry.event}` as MessageKey) ?? entry.event}
                </p>
                <p className="muted small">
                  {formatDateTime(entry.createdAt, locale, timeZone)}
                  {entry.ip ? ` · ${entry.ip}` : ''}
                </p>
              </li>
            ))}
          </ol>
        )}
      </PagedList>
    </section>
  );
}

/** Invites, at once, every contact person with an e-mail and no portal access yet. */
export function InviteAll({ customer }: { customer: CustomerData }) {
  const { t } = useI18n();
  const { mutate } = useSWRConfig();
  const state = useActionMessage();
  const [busy, setBusy] = useState(false);
  const pending = customer.contactPersons.filter((p) => p.email && p.portalStatus === 'none');
  if (pending.length < 2 && !state.message) return null;

  async function inviteAll() {
    setBusy(true);
    state.clear();
    let invited = 0;
    try {
      for (const person of pending) {
        await data(
          api.POST('/api/v1/customers/{id}/contact-persons/{contactPersonId}/portal-invitation', {
            params: { path: { id: customer.id, contactPersonId: person.id } },
          }),
        );
        invited += 1;
      }
      state.done(t.plural('portal.invitedAll', invited));
    } catch (caught) {
      state.failed(caught);
    } finally {
      setBusy(false);
      refresh(mutate, 'customers');
      await mutate(['customer', customer.id]);
    }
  }

  return (
    <div className="invite-all">
      {pending.length >= 2 && (
        <button type="button" className="button secondary" disabled={busy} onClick={inviteAll}>
          {t('portal.inviteAll', { count: pending.length })}
        </button>
      )}
      <ActionMessage state={state} />
    </div>
  );
}

/** The customer's credit (unapplied payments, retainer credit) and applying it to open invoices. */
export function Credit({ customer }: { customer: CustomerData }) {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const { mutate } = useSWRConfig();
  const state = useActionMessage();
  const [amounts, setAmounts] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const credits = useSWR(['customer', customer.id, 'credits'], () =>
    data(api.GET('/api/v1/customers/{id}/credits', { params: { path: { id: customer.id } } })),
  );
  const available = credits.data?.availableCredit ?? 0;
  const open = useSWR(
    available > 0 ? ['invoices', 'open', customer.id] : null,
    async () =>
      (
        await data(
          api.GET('/api/v1/invoices', { params: { query: { customerId: customer.id, status: 'unpaid', limit: 100 } } }),
        )
      ).data,
  );
  if (!credits.data || available === 0) return null;
  const currency = credits.data.currency;

  async function apply() {
    const allocations = (open.data ?? []).flatMap((invoice) => {
      const amount = parseMoney(amounts[invoice.id] ?? '', currency);
      return amount ? [{ invoiceId: invoice.id, amount }] : [];
    });
    if (allocations.length === 0) return;
    setBusy(true);
    state.clear();
    try {
      await data(
        api.POST('/api/v1/customers/{id}/apply-credit', {
          params: { path: { id: customer.id } },
          body: { allocations },
        }),
      );
      setAmounts({});
      refresh(mutate, 'invoices', 'payments', 'invoice', 'history');
      await Promise.all([credits.mutate(), open.mutate(), mutate(customerBalanceKey(customer.id))]);
      state.done(t('credit.applied'));
    } catch (caught) {
      state.failed(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="customer-credit" className="card">
      <h2 id="customer-credit">{t('credit.title')}</h2>
      <p>
        {t('credit.available')} <Money amount={available} currency={currency} />
        {credits.data.retainerCredit > 0 && (
          <span className="muted">
            {' '}
            ({t('payment.retainerCredit')} <Money amount={credits.data.retainerCredit} currency={currency} />)
          </span>
        )}
      </p>
      {(open.data ?? []).length > 0 && (
        <>
          <table className="list">
            <thead>
              <tr>
                <th scope="col">{t('payment.invoice')}</th>
                <th scope="col">{t('doc.due')}</th>
                <th scope="col" className="num">
                  {t('doc.balance')}
                </th>
                <th scope="col">{t('credit.apply')}</th>
              </tr>
            </thead>
            <tbody>
              {(open.data ?? []).map((invoice) => (
                <tr key={invoice.id}>
                  <th scope="row" data-label={t('payment.invoice')}>
                    <Link to={`/invoices/${invoice.id}`}>{invoice.number}</Link>
                  </th>
                  <td data-label={t('doc.due')}>{formatDate(invoice.dueDate, locale)}</td>
                  <td className="num" data-label={t('doc.balance')}>
                    <Money amount={invoice.balance} currency={invoice.currency} />
                  </td>
                  <td data-label={t('credit.apply')}>
                    <Field
                      path={`/credit/${invoice.id}`}
                      hideLabel
                      inputMode="decimal"
                      label={t('credit.applyTo', { number: invoice.number })}
                      value={amounts[invoice.id] ?? ''}
                      hint={undefined}
                      onChange={(value) => setAmounts((all) => ({ ...all, [invoice.id]: value }))}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" className="button secondary" disabled={busy} onClick={apply}>
            {t('credit.applyButton')}
          </button>
          <span className="muted small"> {t('credit.hint', { max: moneyText(available, currency) })}</span>
        </>
      )}
      <ActionMessage state={state} />
    </section>
  );
}
