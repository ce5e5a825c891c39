import { Link, useParams } from 'react-router';
import useSWR from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { DocumentHeader } from '../../ui/document-header.js';
import { formatDate } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import type { MessageKey } from '../../ui/messages/en.js';
import { Comments } from '../components/comments.js';
import { DocumentParties, Money, NotesAndTerms, StatusPill, TotalRow } from '../components/document.js';
import { DocumentActions } from '../components/document-actions.js';
import { ErrorScreen } from '../components/error-screen.js';
import { PendingPayments } from '../components/pending-payment.js';
import { Skeleton } from '../components/skeleton.js';
import { payPath } from '../pay-path.js';
import { usePaysOnline, usePortal } from '../portal-context.js';
import NotFound from './not-found.js';

/** A retainer invoice: its lines and total, what was paid (each payment links to it), and the balance due. */
export default function Retainer() {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const paysOnline = usePaysOnline();
  const { id = '' } = useParams();
  const retainer = useSWR(['retainer-invoice', slug, id], () =>
    data(api.GET('/api/portal/{slug}/retainer-invoices/{id}', { params: { path: { slug, id } } })),
  );
  if (retainer.error) {
    if (retainer.error instanceof ApiError && retainer.error.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => retainer.mutate()} />;
  }
  if (!retainer.data) return <Skeleton />;
  const doc = retainer.data;
  const c = doc.currency;
  return (
    <article className="document-page">
      <DocumentHeader
        title={t('retainer.title', { number: doc.number })}
        issueDate={doc.issueDate}
        status={<StatusPill status={doc.status} kind="invoice" />}
        amount={{
          label: t('retainer.balanceDue'),
          amount: doc.balance,
          currency: c,
          actions: paysOnline && doc.balance > 0 && doc.status !== 'void' && doc.status !== 'paid' && (
            <div className="pay-actions no-print">
              <Link className="button primary" to={payPath({ retainer: doc.id })}>
                {t('pay.now')}
              </Link>
            </div>
          ),
        }}
      >
        {doc.reference && <p className="muted small">{t('retainer.reference', { reference: doc.reference })}</p>}
      </DocumentHeader>
      <PendingPayments
        pending={doc.pendingPayments}
        currency={c}
        screen="retainer-invoice"
        onChanged={() => retainer.mutate()}
      />
      <DocumentParties from={doc.from} billTo={doc.billTo} shipTo={doc.shipTo} />
      <div className="document">
        <table className="lines">
          <thead>
            <tr>
              <th scope="col">{t('doc.description')}</th>
              <th scope="col" className="num">
                {t('doc.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {doc.lines.map((line, index) => (
              // Lines have no id in the portal's view; their order is their identity.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <tr key={index}>
                <td className="pre-line">{line.description}</td>
                <td className="num">
                  <Money amount={line.amount} currency={c} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl className="totals">
          <TotalRow label={t('doc.total')} amount={doc.total} currency={c} />
          <TotalRow label={t('retainer.amountPaid')} amount={-doc.amountPaid} currency={c} />
          <TotalRow label={t('retainer.balanceDue')} amount={doc.balance} currency={c} strong />
        </dl>
      </div>

      <section className="related" aria-labelledby="retainer-payments">
        <h2 id="retainer-payments">{t('retainer.paymentsReceived')}</h2>
        {doc.payments.length === 0 ? (
          <p className="muted">{t('retainer.noPayments')}</p>
        ) : (
          <ul className="rows">
            {doc.payments.map((payment) => (
              <li key={payment.id}>
                <span>
                  <Link to={`/payments/${payment.id}`}>{payment.number}</Link>{' '}
                  <span className="muted small">
                    {formatDate(payment.date, locale)} · {t(`mode.${payment.mode}` as MessageKey)}
                    {payment.reference ? ` · ${payment.reference}` : ''}
                  </span>
                </span>
                <Money amount={payment.amount} currency={c} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <NotesAndTerms notes={doc.notes} terms={doc.terms} />
      <DocumentActions kind="retainer-invoices" id={doc.id} number={doc.number} />
      <Comments subject="retainer-invoices" id={doc.id} />
    </article>
  );
}
