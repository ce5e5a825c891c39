import { Link, useNavigate, useParams } from 'react-router';
import useSWR from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { DocumentHeader } from '../../ui/document-header.js';
import { formatDate } from '../../ui/format.js';
import { ActionBar, offers } from '../components/actions.js';
import { Comments, History } from '../components/activity.js';
import { DocumentBody, NotesAndTerms, StatusPill, ViewedLine } from '../components/document.js';
import { ErrorScreen } from '../components/error-screen.js';
import { Skeleton } from '../components/skeleton.js';
import { useBackOffice } from '../context.js';
import { formatDay } from '../format.js';
import { useI18n } from '../i18n.js';
import NotFound from './not-found.js';

export default function Estimate() {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const estimate = useSWR(['estimate', id], () =>
    data(api.GET('/api/v1/estimates/{id}', { params: { path: { id } } })),
  );
  if (estimate.error) {
    if (estimate.error instanceof ApiError && estimate.error.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => estimate.mutate()} />;
  }
  if (!estimate.data) return <Skeleton />;
  const doc = estimate.data;
  const decided = formatDay(doc.decidedAt, locale, timeZone);
  const path = { params: { path: { id: doc.id } } };
  const update = async (call: Promise<typeof doc>) => estimate.mutate(await call, { revalidate: false });
  const can = (action: (typeof doc.availableActions)[number]) => offers(doc, action);
  // A declined estimate, or one the client asked changes to, is revised before it goes out again: its screen offers
  // "Edit and resend" (the form saves, then sends) rather than sending it unchanged, though the API would.
  const revising = doc.status === 'declined' || doc.status === 'changes_requested';
  const actions = [
    ...(can('send') && !revising
      ? [
          {
            label: t('send.action'),
            primary: true,
            done: t('send.done'),
            run: () => update(data(api.POST('/api/v1/estimates/{id}/send', path))),
          },
          {
            label: t('estimate.markSent'),
            done: t('estimate.markedSent'),
            run: () => update(data(api.POST('/api/v1/estimates/{id}/mark-sent', path))),
          },
        ]
      : []),
    ...(can('delete')
      ? [
          {
            label: t('estimate.delete'),
            danger: true,
            confirm: t('estimate.deleteConfirm', { number: doc.number }),
            done: '',
            run: async () => {
              await data(api.DELETE('/api/v1/estimates/{id}', path));
              navigate('/estimates');
            },
          },
        ]
      : []),
    ...(can('send_again')
      ? [
          {
            label: t('send.again'),
            done: t('send.againDone'),
            run: () => update(data(api.POST('/api/v1/estimates/{id}/send', path))),
          },
        ]
      : []),
    ...(can('convert')
      ? [
          {
            label: t('estimate.convert'),
            primary: doc.status === 'accepted',
            done: '',
            run: async () => {
              const invoice = await data(api.POST('/api/v1/estimates/{id}/convert', path));
              navigate(`/invoices/${invoice.id}`);
            },
          },
        ]
      : []),
  ];
  return (
    <article className="document-page">
      <p className="small no-print">
        <Link to="/estimates">{t('doc.backTo', { list: t('estimates.title') })}</Link>
      </p>
      <DocumentHeader
        title={t('estimate.title', { number: doc.number })}
        customer={<Link to={`/customers/${doc.customer.id}`}>{doc.customer.displayName}</Link>}
        issueDate={doc.issueDate}
        status={<StatusPill status={doc.status} />}
        amount={{
          label: t('doc.total'),
          amount: doc.total,
          currency: doc.currency,
          note: doc.expiryDate && t('estimate.expiresOn', { date: formatDate(doc.expiryDate, locale) }),
        }}
      >
        {doc.reference && <p className="muted small">{t('doc.reference', { reference: doc.reference })}</p>}
        <ViewedLine document={doc} sent={doc.status !== 'draft'} />
        {doc.signatureName && (doc.status === 'accepted' || doc.status === 'invoiced') && (
          <p className="notice success">{t('estimate.accepted', { date: decided, name: doc.signatureName })}</p>
        )}
        {doc.changeRequest && (
          <div className="notice warning" data-testid="change-request">
            <p className="strong">
              {t('estimate.changesRequested', {
                name: doc.changeRequest.contactPersonName ?? doc.customer.displayName,
                date: formatDay(doc.changeRequest.requestedAt, locale, timeZone),
              })}
            </p>
            <blockquote className="pre-line">{doc.changeRequest.message}</blockquote>
            <p className="small">{t('estimate.changesRequestedHint')}</p>
          </div>
        )}
        {doc.quoteRequestId && (
          <p className="small">
            <Link to={`/quote-requests?status=all`}>{t('estimate.fromQuoteRequest')}</Link>
          </p>
        )}
        {doc.status === 'declined' && (
          <div className="notice">
            <p>{t('estimate.declined', { date: decided })}</p>
            {doc.declineReason && (
              <p className="pre-line">{t('estimate.declineReason', { reason: doc.declineReason })}</p>
            )}
          </div>
        )}
      </DocumentHeader>
      <ActionBar
        label={t('doc.actions')}
        lists={['estimates', 'invoices']}
        actions={actions}
        links={
          <>
            {can('edit') && (
              <Link className={`button ${revising ? 'primary' : 'secondary'}`} to={`/estimates/${doc.id}/edit`}>
                {revising ? t('estimate.editAndResend') : t('doc.edit')}
              </Link>
            )}
            <a className="button link" href={`/api/v1/estimates/${doc.id}/pdf`}>
              {t('doc.pdf')}
            </a>
          </>
        }
      />
      {doc.subject && <p>{doc.subject}</p>}
      <DocumentBody document={doc} />
      <NotesAndTerms notes={doc.notes} terms={doc.terms} />
      <div className="activity-columns">
        <Comments subject="estimates" id={doc.id} />
        <History subject="estimates" id={doc.id} />
      </div>
    </article>
  );
}
