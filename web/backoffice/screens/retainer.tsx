import { Link, useNavigate, useParams } from 'react-router';
import useSWR from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { DocumentHeader } from '../../ui/document-header.js';
import { formatDate } from '../../ui/format.js';
import { Money } from '../../ui/money.js';
import { ActionBar, offers } from '../components/actions.js';
import { Comments, History } from '../components/activity.js';
import { NotesAndTerms, StatusPill, TotalRow } from '../components/document.js';
import { ErrorScreen } from '../components/error-screen.js';
import { PendingPayments } from '../components/pending-payments.js';
import { Skeleton } from '../components/skeleton.js';
import { useBackOffice } from '../context.js';
import { useI18n } from '../i18n.js';
import NotFound from './not-found.js';

export default function Retainer() {
  const { t } = useI18n();
  const { locale } = useBackOffice();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const retainer = useSWR(['retainer', id], () =>
    data(api.GET('/api/v1/retainer-invoices/{id}', { params: { path: { id } } })),
  );
  if (retainer.error) {
    if (retainer.error instanceof ApiError && retainer.error.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => retainer.mutate()} />;
  }
  if (!retainer.data) return <Skeleton />;
  const doc = retainer.data;
  const path = { params: { path: { id: doc.id } } };
  const update = async (call: Promise<typeof doc>) => retainer.mutate(await call, { revalidate: false });
  const can = (action: (typeof doc.availableActions)[number]) => offers(doc, action);
  const actions = [
    ...(can('send')
      ? [
          {
            label: t('invoice.markSent'),
            primary: true,
            done: t('invoice.markedSent'),
            run: () => update(data(api.POST('/api/v1/retainer-invoices/{id}/send', path))),
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
              await data(api.DELETE('/api/v1/retainer-invoices/{id}', path));
              navigate('/retainers');
            },
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
            run: () => update(data(api.POST('/api/v1/retainer-invoices/{id}/void', path))),
          },
        ]
      : []),
    ...(can('reopen')
      ? [
          {
            label: t('invoice.reopen'),
            done: t('invoice.reopened'),
            run: () => update(data(api.POST('/api/v1/retainer-invoices/{id}/reopen', path))),
          },
        ]
      : []),
  ];
  return (
    <article className="document-page">
      <p className="small no-print">
        <Link to="/retainers">{t('doc.backTo', { list: t('retainers.title') })}</Link>
      </p>
      <DocumentHeader
        title={t('retainer.title', { number: doc.number })}
        customer={<Link to={`/customers/${doc.customerId}`}>{doc.customerName}</Link>}
        issueDate={doc.issueDate}
        status={<StatusPill status={doc.status} />}
        amount={{ label: t('invoice.amountDue'), amount: doc.balance, currency: doc.currency }}
      >
        {doc.reference && <p className="muted small">{t('doc.reference', { reference: doc.reference })}</p>}
      </DocumentHeader>
      <ActionBar
        label={t('doc.actions')}
        lists={['retainers', 'payments']}
        actions={actions}
        links={
          <>
            {can('record_payment') && (
              <Link className="button secondary" to={`/payments/new?customerId=${doc.customerId}`}>
                {t('invoice.recordPayment')}
              </Link>
            )}
            <a className="button link" href={`/api/v1/retainer-invoices/${doc.id}/pdf`}>
              {t('doc.pdf')}
            </a>
          </>
        }
      />
      <PendingPayments pending={doc.pendingPayments} currency={doc.currency} />
      <div className="document">
        <table className="lines">
          <thead>
            <tr>
              <th scope="col">{t('edit.description')}</th>
              <th scope="col" className="num">
                {t('doc.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {doc.lines.map((line, index) => (
              // Retainer lines have no ids; their order is their identity.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <tr key={index}>
                <td className="pre-line">{line.description}</td>
                <td className="num">
                  <Money amount={line.amount} currency={doc.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl className="totals">
          <TotalRow label={t('doc.total')} amount={doc.total} currency={doc.currency} strong />
          {doc.amountPaid > 0 && <TotalRow label={t('doc.paid')} amount={-doc.amountPaid} currency={doc.currency} />}
          <TotalRow label={t('doc.balance')} amount={doc.balance} currency={doc.currency} strong />
        </dl>
      </div>
      {doc.payments.length > 0 && (
        <section aria-labelledby="retainer-payments">
          <h2 id="retainer-payments" className="h3">
            {t('invoice.payments')}
          </h2>
          <ul className="plain-list">
            {doc.payments.map((payment) => (
              <li key={payment.id}>
                <Link to={`/payments/${payment.id}`}>{payment.number}</Link> · {formatDate(payment.date, locale)} ·{' '}
                <Money amount={payment.amount} currency={doc.currency} />
                {payment.unapplied > 0 && (
                  <span className="muted">
                    {' '}
                    · {t('payment.retainerCredit')} <Money amount={payment.unapplied} currency={doc.currency} />
                  </span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      <NotesAndTerms notes={doc.notes} terms={doc.terms} />
      <div className="activity-columns">
        <Comments subject="retainer-invoices" id={doc.id} />
        <History subject="retainer-invoices" id={doc.id} />
      </div>
    </article>
  );
}
