import { type FormEvent, useId } from 'react';
import { Link, useSearchParams } from 'react-router';
import { usePagedList } from '../../portal/use-list.js';
import { api, data } from '../../ui/api.js';
import { ErrorScreen, Skeleton } from '../app.js';
import { useI18n } from '../i18n.js';

export default function Customers() {
  const { t } = useI18n();
  const ids = useId();
  const [params, setParams] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const list = usePagedList(['customers', q], (cursor) =>
    data(api.GET('/api/v1/customers', { params: { query: { ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) } } })),
  );

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('q') ?? '').trim();
    setParams(text ? { q: text } : {});
  }

  return (
    <section>
      <div className="page-head">
        <h1>{t('customers.title')}</h1>
        <Link to="/customers/new" className="button primary">
          {t('customers.new')}
        </Link>
      </div>
      <search>
        <form className="search-form" onSubmit={search}>
          <label htmlFor={`${ids}-q`}>{t('customers.search')}</label>
          <div className="search-row">
            <input
              id={`${ids}-q`}
              name="q"
              type="search"
              defaultValue={q}
              key={q}
              maxLength={100}
              aria-describedby={`${ids}-hint`}
            />
            <button type="submit" className="button secondary">
              {t('customers.searchButton')}
            </button>
          </div>
          <span id={`${ids}-hint`} className="muted small">
            {t('customers.searchHint')}
          </span>
        </form>
      </search>
      {list.loading ? (
        <Skeleton />
      ) : list.error ? (
        <ErrorScreen retry={() => list.retry()} />
      ) : list.rows.length === 0 ? (
        <p className="empty">{q ? t('customers.noMatch', { q }) : t('customers.empty')}</p>
      ) : (
        <>
          <table className="list">
            <thead>
              <tr>
                <th scope="col">{t('customers.name')}</th>
                <th scope="col">{t('customers.company')}</th>
                <th scope="col">{t('customers.email')}</th>
                <th scope="col" className="num">
                  {t('customers.contacts')}
                </th>
                <th scope="col" className="num">
                  {t('customers.portal')}
                </th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((customer) => (
                <tr key={customer.id}>
                  <th scope="row" data-label={t('customers.name')}>
                    <Link to={`/customers/${customer.id}`}>{customer.displayName}</Link>
                  </th>
                  <td data-label={t('customers.company')}>{customer.companyName}</td>
                  <td data-label={t('customers.email')}>{customer.email}</td>
                  <td className="num" data-label={t('customers.contacts')}>
                    {customer.contactPersons.length}
                  </td>
                  <td className="num" data-label={t('customers.portal')}>
                    {t('customers.portalCount', {
                      active: customer.contactPersons.filter((person) => person.portalStatus === 'active').length,
                      total: customer.contactPersons.length,
                    })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.hasMore && (
            <button type="button" className="button secondary" onClick={() => list.more()}>
              {t('app.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
