import { Link, useParams } from 'react-router';
import useSWR from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { DocumentHeader } from '../../ui/document-header.js';
import { formatDate } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import { BankTransferInstructions } from '../components/bank-transfer.js';
import { Comments } from '../components/comments.js';
import { DocumentBody, DocumentParties, NotesAndTerms, StatusPill, TotalRow } from '../components/document.js';
import { DocumentActions } from '../components/document-actions.js';
import { ErrorScreen } from '../components/error-screen.js';
import { PendingPayments } from '../components/pending-payment.js';
import { Skeleton } from '../components/skeleton.js';
import { payPath } from '../pay-path.js';
import { usePaysOnline, usePortal } from '../portal-context.js';
import NotFound from './not-found.js';

export default function Invoice() {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const paysOnline = usePaysOnline();
  const { id = '' } = useParams();
  const invoice = useSWR(['invoice', slug, id], () =>
    data(api.GET('/api/portal/{slug}/invoices/{id}', { params: { path: { slug, id } } })),
  );
  if (invoice.error) {
    if (invoice.error instanceof ApiError && invoice.error.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => invoice.mutate()} />;
  }
  if (!invoice.data) return <Skeleton />;
  const doc = invoice.data;
  const payable = paysOnline && doc.balance > 0 && doc.status !== 'void';
  return (
    <article className="document-page">
      <DocumentHeader
        title={t('invoice.title', { number: doc.number })}
        issueDate={doc.issueDate}
        status={<StatusPill status={doc.status} kind="invoice" />}
        amount={{
          label: t('invoice.amountDue'),
          amount: doc.balance,
          currency: doc.currency,
          note: doc.balance > 0 && t('invoice.dueOn', { date: formatDate(doc.dueDate, locale) }),
          actions: payable && (
            <div className="pay-actions no-print">
              <Link className="button primary" to={payPath({ invoices: [doc.id] })}>
                {t('pay.now')}
              </Link>
              {doc.allowPartialPayments && (
                <Link className="button link" to={payPath({ invoices: [doc.id] }, { other: true })}>
                  {t('pay.other')}
                </Link>
              )}
            </div>
          ),
        }}
      />
      <PendingPayments
        pending={doc.pendingPayments}
        currency={doc.currency}
        screen="invoice"
        onChanged={() => invoice.mutate()}
      />
      <DocumentParties from={doc.from} billTo={doc.billTo} shipTo={doc.shipTo} />
      {doc.subject && <p>{doc.subject}</p>}
      <DocumentBody
        document={doc}
        after={
          <>
            {doc.payments.map((payment) => (
              <TotalRow
                key={`${payment.paymentNumber}-${payment.date}`}
                label={`${t('invoice.paymentsApplied')} ${payment.paymentNumber} (${formatDate(payment.date, locale)})`}
                amount={-payment.amount}
                currency={doc.currency}
              />
            ))}
            {doc.creditsApplied > 0 && (
              <TotalRow label={t('invoice.credits')} amount={-doc.creditsApplied} currency={doc.currency} />
            )}
            {doc.writtenOff > 0 && (
              <TotalRow label={t('invoice.writtenOff')} amount={-doc.writtenOff} currency={doc.currency} />
            )}
            <TotalRow label={t('doc.balance')} amount={doc.balance} currency={doc.currency} strong />
          </>
        }
      />
      <BankTransferInstructions invoiceId={doc.id} />
      <NotesAndTerms notes={doc.notes} terms={doc.terms} />
      <DocumentActions kind="invoices" id={doc.id} number={doc.number} eInvoice={doc.status !== 'void'} />
      <Comments subject="invoices" id={doc.id} />
    </article>
  );
}
