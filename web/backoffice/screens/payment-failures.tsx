import { Link } from 'react-router';
import { api, data } from '../../ui/api.js';
import { Money } from '../../ui/money.js';
import { usePagedList } from '../../ui/use-list.js';
import { PagedList } from '../components/paged-list.js';
import { useBackOffice } from '../context.js';
import { formatDateTime } from '../format.js';
import { useI18n } from '../i18n.js';

/** Online payments that did not go through: the CP code, what went wrong, what to do, who tried and when. */
export default function PaymentFailures() {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const list = usePagedList(['payment-failures'], (cursor) =>
    data(api.GET('/api/v1/payment-failures', { params: { query: cursor ? { cursor } : {} } })),
  );
  return (
    <section>
      <p className="small">
        <Link to="/payments">{t('doc.backTo', { list: t('payments.title') })}</Link>
      </p>
      <h1>{t('failures.title')}</h1>
      <p className="muted">{t('failures.intro')}</p>
      <PagedList list={list} empty={t('failures.empty')}>
        {(rows) => (
          <ul className="failure-list">
            {rows.map((failure) => (
              <li key={failure.attemptId} className="card failure">
                <p className="failure-head">
                  <span className="pill danger">{failure.code}</span>{' '}
                  <strong>
                    <Money amount={failure.amount} currency={failure.currency} />
                  </strong>{' '}
                  <span className="muted">{formatDateTime(failure.createdAt, locale, timeZone)}</span>
                </p>
                <dl className="facts">
                  <div>
                    <dt className="fact-label">{t('failures.who')}</dt>
                    <dd className="fact-value">
                      {failure.paidBy.name} ·{' '}
                      <Link to={`/customers/${failure.customer.id}`}>{failure.customer.name}</Link>
                    </dd>
                  </div>
                  <div>
                    <dt className="fact-label">{t('failures.for')}</dt>
                    <dd className="fact-value">
                      {failure.documents.map((doc, index) => (
                        <span key={doc.invoiceId ?? doc.retainerInvoiceId ?? index}>
                          {index > 0 && ', '}
                          <Link
                            to={doc.invoiceId ? `/invoices/${doc.invoiceId}` : `/retainers/${doc.retainerInvoiceId}`}
                          >
                            {doc.number}
                          </Link>
                        </span>
                      ))}
                    </dd>
                  </div>
                  <div>
                    <dt className="fact-label">{t('failures.wrong')}</dt>
                    <dd className="fact-value">{failure.whatWentWrong}</dd>
                  </div>
                  <div>
                    <dt className="fact-label">{t('failures.todo')}</dt>
                    <dd className="fact-value">{failure.whatToDo}</dd>
                  </div>
                  {failure.gatewayMessage && (
                    <div>
                      <dt className="fact-label">{t('failures.gateway')}</dt>
                      <dd className="fact-value">{failure.gatewayMessage}</dd>
                    </div>
                  )}
                </dl>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}
