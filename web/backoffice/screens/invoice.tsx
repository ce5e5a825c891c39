import { Link, useNavigate, useParams } from 'react-router';
import useSWR from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { DocumentHeader } from '../../ui/document-header.js';
import { formatDate } from '../../ui/format.js';
import { Money } from '../../ui/money.js';
import { ActionBar, offers } from '../components/actions.js';
import { Comments, History } from '../components/activity.js';
import { DocumentBody, NotesAndTerms, StatusPill, TotalRow, ViewedLine } from '../components/document.js';
import { InvoiceEInvoiceMenu } from '../components/e-invoice.js';
import { ErrorScreen } from '../components/error-screen.js';
import { PendingPayments } from '../components/pending-payments.js';
import { Skeleton } from '../components/skeleton.js';
import { useBackOffice } from '../context.js';
import { useI18n } from '../i18n.js';
import NotFound from './not-found.js';

export default function Invoice() {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const invoice = useSWR(['invoice', id], () => data(api.GET('/api/v1/invoices/{id}', { params: { path: { id } } })));
  if (invoice.error) {
    if (invoice.error instanceof ApiError && invoice.error.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => invoice.mutate()} />;
  }
  if (!invoice.data) return <Skeleton />;
  const doc = invoice.data;
  const paid = doc.paymentsApplied + doc.creditsApplied;
  const path = { params: { path: { id: doc.id } } };
  const update = async (call: Promise<typeof doc>) => invoice.mutate(await call, { revalidate: false });
  const can = (action: (typeof doc.availableActions)[number]) => offers(doc, action);
  const actions = [
    ...(can('send')
      ? [
          {
            label: t('send.action'),
            primary: true,
            done: t('send.done'),
            run: () => update(data(api.POST('/api/v1/invoices/{id}/send', path))),
          },
          {
            label: t('invoice.markSent'),
            done: t('invoice.markedSent'),
            run: () => update(data(api.POST('/api/v1/invoices/{id}/mark-sent', path))),
          },
        ]
      : []),
    ...(can('delete')
      ? [
          {
            label: t('invoice.delete'),
            danger: true,
            confirm: t('invoice.deleteConfirm', { number: doc.number }),
            done: '',
            run: async () => {
              await data(api.DELETE('/api/v1/invoices/{id}', path));
              navigate('/invoices');
            },
          },
        ]
      : []),
    ...(can('send_again')
      ? [
          {
            label: t('send.again'),
            done: t('send.againDone'),
            run: () => update(data(api.POST('/api/v1/invoices/{id}/send', path))),
          },
        ]
      : []),
    ...(can('void')
      ? [
          {
            label: t('invoice.void'),
            danger: true,
            confirm: t('invoice.voidConfirm', { number: doc.number }),
            done: t('invoice.voided'),
            run: () => update(data(api.POST('/api/v1/invoices/{id}/void', path))),
          },
        ]
      : []),
    ...(can('reopen')
      ? [
          {
            label: t('invoice.reopen'),
            done: t('invoice.reopened'),
            run: () => update(data(api.POST('/api/v1/invoices/{id}/reopen', path))),
          },
        ]
      : []),
  ];
  return (
    <article className="document-page">
      <p className="small no-print">
        <Link to="/invoices">{t('doc.backTo', { list: t('invoices.title') })}</Link>
      </p>
      <DocumentHeader
        title={t('invoice.title', { number: doc.number })}
        customer={<Link to={`/customers/${doc.customer.id}`}>{doc.customer.displayName}</Link>}
        issueDate={doc.issueDate}
        status={<StatusPill status={doc.status} />}
        amount={{
          label: t('invoice.amountDue'),
          amount: doc.balance,
          currency: doc.currency,
          note: doc.balance > 0 && t('invoice.dueOn', { date: formatDate(doc.dueDate, locale) }),
        }}
      >
        {doc.reference && <p className="muted small">{t('doc.reference', { reference: doc.reference })}</p>}
        <ViewedLine document={doc} sent={doc.status !== 'draft'} />
      </DocumentHeader>
      <ActionBar
        label={t('doc.actions')}
        lists={['invoices', 'payments', 'customer']}
        actions={actions}
        links={
          <>
            {can('edit') && (
              <Link className="button secondary" to={`/invoices/${doc.id}/edit`}>
                {t('doc.edit')}
              </Link>
            )}
            {can('record_payment') && (
              <Link className="button secondary" to={`/payments/new?customerId=${doc.customer.id}&invoiceId=${doc.id}`}>
                {t('invoice.recordPayment')}
              </Link>
            )}
            <a className="button link" href={`/api/v1/invoices/${doc.id}/pdf`}>
              {t('doc.pdf')}
            </a>
            {doc.status !== 'void' && <InvoiceEInvoiceMenu invoiceId={doc.id} />}
          </>
        }
      />
      <PendingPayments pending={doc.pendingPayments} currency={doc.currency} />
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
      {doc.allocations.length > 0 && (
        <section aria-labelledby="invoice-payments">
          <h2 id="invoice-payments" className="h3">
            {t('invoice.payments')}
          </h2>
          <ul className="plain-list">
            {doc.allocations.map((allocation) => (
              <li key={allocation.id}>
                <Link to={`/payments/${allocation.paymentId}`}>{allocation.paymentNumber}</Link> ·{' '}
                {formatDate(allocation.date, locale)} · <Money amount={allocation.amount} currency={doc.currency} />
                {allocation.kind === 'credit' && <span className="muted"> · {t('invoice.fromCredit')}</span>}
                {allocation.releasedAt && <span className="muted"> · {t('invoice.released')}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="activity-columns">
        <Comments subject="invoices" id={doc.id} />
        <History subject="invoices" id={doc.id} />
      </div>
    </article>
  );
}
