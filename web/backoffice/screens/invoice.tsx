import { Link, useParams } from 'react-router';
import useSWR from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { Money } from '../../ui/money.js';
import { ErrorScreen, Skeleton } from '../app.js';
import { Comments, History } from '../components/activity.js';
import { DocumentBody, NotesAndTerms, StatusPill, TotalRow, ViewedLine } from '../components/document.js';
import { useBackOffice } from '../context.js';
import { useI18n } from '../i18n.js';
import NotFound from './not-found.js';

export default function Invoice() {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const { id = '' } = useParams();
  const invoice = useSWR(['invoice', id], () => data(api.GET('/api/v1/invoices/{id}', { params: { path: { id } } })));
  if (invoice.error) {
    if (invoice.error instanceof ApiError && invoice.error.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => invoice.mutate()} />;
  }
  if (!invoice.data) return <Skeleton />;
  const doc = invoice.data;
  const paid = doc.paymentsApplied + doc.creditsApplied;
  return (
    <article className="document-page">
      <p className="small no-print">
        <Link to="/invoices">{t('doc.backTo', { list: t('invoices.title') })}</Link>
      </p>
      <header className="document-header">
        <div>
          <h1>{t('invoice.title', { number: doc.number })}</h1>
          <p>
            <Link to={`/customers/${doc.customer.id}`}>{doc.customer.displayName}</Link>
          </p>
          <p className="muted">
            {formatDate(doc.issueDate, locale)} · <StatusPill status={doc.status} />
          </p>
          {doc.reference && <p className="muted small">{t('doc.reference', { reference: doc.reference })}</p>}
          <ViewedLine document={doc} sent={doc.status !== 'draft'} />
        </div>
        <div className="amount-due">
          <span className="muted">{t('invoice.amountDue')}</span>
          <strong className="big-amount">
            <Money amount={doc.balance} currency={doc.currency} />
          </strong>
          {doc.balance > 0 && (
            <span className="muted small">{t('invoice.dueOn', { date: formatDate(doc.dueDate, locale) })}</span>
          )}
        </div>
      </header>
      {doc.subject && <p>{doc.subject}</p>}
      <DocumentBody
        document={doc}
        after={
          <>
            {paid > 0 && <TotalRow label={t('doc.paid')} amount={-paid} currency={doc.currency} />}
            {doc.writtenOff > 0 && (
              <TotalRow label={t('doc.writtenOff')} amount={-doc.writtenOff} currency={doc.currency} />
            )}
            <TotalRow label={t('doc.balance')} amount={doc.balance} currency={doc.currency} strong />
          </>
        }
      />
      <NotesAndTerms notes={doc.notes} terms={doc.terms} />
      <div className="activity-columns">
        <Comments subject="invoices" id={doc.id} />
        <History subject="invoices" id={doc.id} />
      </div>
    </article>
  );
}
