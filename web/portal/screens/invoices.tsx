import { useState } from 'react';
import { Link } from 'react-router';
import { api, data } from '../../ui/api.js';
import { formatDate, formatMoney } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import { usePagedList } from '../../ui/use-list.js';
import { FilterChips, Money, StatusPill } from '../components/document.js';
import { PagedList, useStatusFilter } from '../components/paged-list.js';
import { payPath } from '../pay-path.js';
import { usePaysOnline, usePortal } from '../portal-context.js';

const FILTERS = ['all', 'unpaid', 'overdue', 'partially_paid', 'paid', 'void'] as const;
type Selected = { id: string; currency: string; balance: number };
const payable = (invoice: { status: string; balance: number }) => invoice.balance > 0 && invoice.status !== 'void';

export default function Invoices() {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const paysOnline = usePaysOnline();
  const status = useStatusFilter(FILTERS);
  const list = usePagedList(['invoices', slug, status], (cursor) =>
    data(
      api.GET('/api/portal/{slug}/invoices', {
        params: {
          path: { slug },
          query: { ...(status === 'all' ? {} : { status }), ...(cursor ? { cursor } : {}) },
        },
      }),
    ),
  );
  // The invoices ticked to pay together (kept while the filter changes).
  const [selected, setSelected] = useState<Map<string, Selected>>(new Map());
  const toggle = (invoice: Selected, on: boolean) =>
    setSelected((current) => {
      const next = new Map(current);
      if (on) next.set(invoice.id, { id: invoice.id, currency: invoice.currency, balance: invoice.balance });
      else next.delete(invoice.id);
      return next;
    });
  const picked = [...selected.values()];
  const currencies = new Set(picked.map((i) => i.currency));
  const [currency] = [...currencies];
  const total = picked.reduce((sum, i) => sum + i.balance, 0);
  return (
    <section>
      <h1>{t('invoices.title')}</h1>
      <FilterChips
        label={t('invoices.title')}
        current={status}
        options={FILTERS.map((value) => [value, t(`invoices.filter.${value}`)])}
      />
      <PagedList list={list} empty={t('invoices.empty')}>
        {(rows) => (
          <>
            {picked.length > 0 && (
              <div className="pay-selected">
                {currencies.size > 1 || !currency ? (
                  <p className="notice">{t('pay.oneCurrency')}</p>
                ) : (
                  <Link className="button primary" to={payPath({ invoices: picked.map((i) => i.id) })}>
                    {t('pay.selected', { count: picked.length, total: formatMoney(total, currency, locale) })}
                  </Link>
                )}
                <button type="button" className="button link" onClick={() => setSelected(new Map())}>
                  {t('pay.clear')}
                </button>
              </div>
            )}
            <table className="list">
              <thead>
                <tr>
                  <th scope="col" className="select-cell">
                    <span className="visually-hidden">{t('pay.select')}</span>
                  </th>
                  <th scope="col">{t('doc.number')}</th>
                  <th scope="col">{t('doc.date')}</th>
                  <th scope="col">{t('doc.due')}</th>
                  <th scope="col">{t('doc.status')}</th>
                  <th scope="col" className="num">
                    {t('doc.total')}
                  </th>
                  <th scope="col" className="num">
                    {t('doc.balance')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((invoice) => (
                  <tr key={invoice.id}>
                    <td
                      className="select-cell"
                      data-label={paysOnline && payable(invoice) ? t('pay.select') : undefined}
                    >
                      {paysOnline && payable(invoice) && (
                        <input
                          type="checkbox"
                          aria-label={t('pay.selectInvoice', { number: invoice.number })}
                          checked={selected.has(invoice.id)}
                          onChange={(event) => toggle(invoice, event.currentTarget.checked)}
                        />
                      )}
                    </td>
                    <th scope="row" className="nowrap" data-label={t('doc.number')}>
                      <Link to={`/invoices/${invoice.id}`}>{invoice.number}</Link>
                    </th>
                    <td className="nowrap" data-label={t('doc.date')}>
                      {formatDate(invoice.issueDate, locale)}
                    </td>
                    <td className="nowrap" data-label={t('doc.due')}>
                      {formatDate(invoice.dueDate, locale)}
                    </td>
                    <td data-label={t('doc.status')}>
                      <StatusPill status={invoice.status} kind="invoice" />
                    </td>
                    <td className="num" data-label={t('doc.total')}>
                      <Money amount={invoice.total} currency={invoice.currency} />
                    </td>
                    <td className="num" data-label={t('doc.balance')}>
                      <Money amount={invoice.balance} currency={invoice.currency} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </PagedList>
    </section>
  );
}
