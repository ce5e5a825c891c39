import { type FormEvent, useId } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, data } from '../../ui/api.js';
import { usePagedList } from '../../ui/use-list.js';
import { ListTable, PagedList } from '../components/paged-list.js';
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
      <PagedList list={list} empty={q ? t('customers.noMatch', { q }) : t('customers.empty')}>
        {(rows) => (
          <ListTable
            rows={rows}
            columns={[
              {
                label: t('customers.name'),
                cell: (customer) => <Link to={`/customers/${customer.id}`}>{customer.displayName}</Link>,
              },
              { label: t('customers.company'), cell: (customer) => customer.companyName },
              { label: t('customers.email'), cell: (customer) => customer.email },
              { label: t('customers.contacts'), numeric: true, cell: (customer) => customer.contactPersons.length },
              {
                label: t('customers.portal'),
                numeric: true,
                cell: (customer) =>
                  t('customers.portalCount', {
                    active: customer.contactPersons.filter((person) => person.portalStatus === 'active').length,
                    total: customer.contactPersons.length,
                  }),
              },
            ]}
          />
        )}
      </PagedList>
    </section>
  );
}
