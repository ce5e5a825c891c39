import { type FormEvent, useRef, useState } from 'react';
import { useParams } from 'react-router';
import useSWR, { useSWRConfig } from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { refresh } from '../../ui/cache.js';
import { DocumentHeader } from '../../ui/document-header.js';
import { formatDate } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import type { MessageKey } from '../../ui/messages/en.js';
import { Comments } from '../components/comments.js';
import { DocumentBody, DocumentParties, NotesAndTerms, StatusPill } from '../components/document.js';
import { DocumentActions } from '../components/document-actions.js';
import { ErrorScreen } from '../components/error-screen.js';
import { Skeleton } from '../components/skeleton.js';
import { usePortal } from '../portal-context.js';
import NotFound from './not-found.js';

/** The client's answers to a sent estimate: accept, decline, or ask for changes (docs/requests.md). */
type Decision = 'accept' | 'decline' | 'changes';

const DIALOG_WORDS = {
  accept: { title: 'estimate.acceptTitle', body: 'estimate.acceptBody', submit: 'estimate.accept' },
  decline: { title: 'estimate.declineTitle', body: 'estimate.declineBody', submit: 'estimate.decline' },
  changes: {
    title: 'estimate.requestChangesTitle',
    body: 'estimate.requestChangesBody',
    submit: 'estimate.sendRequest',
  },
} as const satisfies Record<Decision, { title: MessageKey; body: MessageKey; submit: MessageKey }>;

export default function Estimate() {
  const { t } = useI18n();
  const { slug, locale, identity } = usePortal();
  const { id = '' } = useParams();
  const { mutate } = useSWRConfig();
  const dialogs = {
    accept: useRef<HTMLDialogElement>(null),
    decline: useRef<HTMLDialogElement>(null),
    changes: useRef<HTMLDialogElement>(null),
  };
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const estimate = useSWR(['estimate', slug, id], () =>
    data(api.GET('/api/portal/{slug}/estimates/{id}', { params: { path: { slug, id } } })),
  );

  async function decide(decision: Decision, text: string) {
    const params = { path: { slug, id } };
    setBusy(true);
    try {
      const updated = await data(
        decision === 'accept'
          ? api.POST('/api/portal/{slug}/estimates/{id}/accept', { params, body: text ? { signatureName: text } : {} })
          : decision === 'decline'
            ? api.POST('/api/portal/{slug}/estimates/{id}/decline', { params, body: text ? { reason: text } : {} })
            : api.POST('/api/portal/{slug}/estimates/{id}/request-changes', { params, body: { message: text } }),
      );
      await estimate.mutate(updated, { revalidate: false });
      // The lists and the dashboard show the new status on their next visit.
      refresh(mutate, 'estimates', 'home');
      dialogs[decision].current?.close();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('app.error'));
    } finally {
      setBusy(false);
    }
  }

  if (estimate.error) {
    if (estimate.error instanceof ApiError && estimate.error.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => estimate.mutate()} />;
  }
  if (!estimate.data) return <Skeleton />;
  const doc = estimate.data;
  const open = (decision: Decision) => {
    setError(null);
    dialogs[decision].current?.showModal();
  };
  const submit = (decision: Decision) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('text') ?? '').trim();
    // Accepting is signing: a name of spaces is no signature, and the business must see who accepted.
    if (decision === 'accept' && text === '') {
      setError(t('estimate.signatureRequired'));
      return;
    }
    // The business needs to know what to change: an empty request says nothing.
    if (decision === 'changes' && text === '') {
      setError(t('estimate.changeMessageRequired'));
      return;
    }
    decide(decision, text);
  };

  return (
    <article className="document-page">
      <DocumentHeader
        title={t('estimate.title', { number: doc.number })}
        issueDate={doc.issueDate}
        status={<StatusPill status={doc.status} kind="estimate" />}
      >
        {doc.revisedAt && (
          <p>
            <span className="pill info">
              {t('estimate.revised', { date: formatDate(doc.revisedAt.slice(0, 10), locale) })}
            </span>
          </p>
        )}
        {doc.expiryDate && doc.status === 'sent' && (
          <p className="muted small">{t('estimate.validUntil', { date: formatDate(doc.expiryDate, locale) })}</p>
        )}
      </DocumentHeader>
      {doc.status === 'sent' && (
        <div className="decision-bar no-print">
          <button type="button" className="button primary" onClick={() => open('accept')}>
            {t('estimate.accept')}
          </button>
          <button type="button" className="button secondary" onClick={() => open('changes')}>
            {t('estimate.requestChanges')}
          </button>
          <button type="button" className="button secondary" onClick={() => open('decline')}>
            {t('estimate.decline')}
          </button>
        </div>
      )}
      {doc.status === 'changes_requested' && doc.changeRequest && (
        <div className="notice">
          <p>
            {t('estimate.changesRequested', { date: formatDate(doc.changeRequest.requestedAt.slice(0, 10), locale) })}
          </p>
          <p className="pre-line">{t('estimate.yourRequest', { message: doc.changeRequest.message })}</p>
        </div>
      )}
      {doc.status === 'accepted' && doc.decidedAt && (
        <p className="notice success">
          {t('estimate.accepted', { date: formatDate(doc.decidedAt.slice(0, 10), locale) })}
        </p>
      )}
      {doc.status === 'declined' && doc.decidedAt && (
        <div className="notice">
          <p>{t('estimate.declined', { date: formatDate(doc.decidedAt.slice(0, 10), locale) })}</p>
          {doc.declineReason && <p className="pre-line">{t('estimate.yourReason', { reason: doc.declineReason })}</p>}
        </div>
      )}
      {doc.status === 'accepted' && doc.signatureName && (
        <p className="muted small">{t('estimate.signedAs', { name: doc.signatureName })}</p>
      )}
      <DocumentParties from={doc.from} billTo={doc.billTo} shipTo={doc.shipTo} />
      {doc.subject && <p>{doc.subject}</p>}
      <DocumentBody document={doc} />
      <NotesAndTerms notes={doc.notes} terms={doc.terms} />
      <DocumentActions kind="estimates" id={doc.id} number={doc.number} />
      <Comments subject="estimates" id={doc.id} />

      {(['accept', 'changes', 'decline'] as const).map((decision) => (
        <dialog key={decision} ref={dialogs[decision]} aria-labelledby={`${decision}-title`} className="dialog">
          <form onSubmit={submit(decision)} noValidate={decision === 'changes'}>
            <h2 id={`${decision}-title`}>{t(DIALOG_WORDS[decision].title, { number: doc.number })}</h2>
            <p>{t(DIALOG_WORDS[decision].body)}</p>
            {error && (
              <p className="notice error" role="alert" id={`${decision}-error`}>
                {error}
              </p>
            )}
            {decision === 'accept' ? (
              <label className="field">
                <span>{t('estimate.signature')}</span>
                <input
                  name="text"
                  defaultValue={identity.contactPerson.name}
                  maxLength={200}
                  autoComplete="name"
                  required
                  aria-describedby={error ? 'accept-error' : undefined}
                />
              </label>
            ) : decision === 'changes' ? (
              <label className="field">
                <span>{t('estimate.changeMessage')}</span>
                <textarea
                  name="text"
                  rows={5}
                  maxLength={5000}
                  required
                  aria-describedby={error ? 'changes-error' : undefined}
                />
              </label>
            ) : (
              <label className="field">
                <span>{t('estimate.reason')}</span>
                <textarea name="text" rows={4} maxLength={2000} />
              </label>
            )}
            <div className="dialog-actions">
              <button type="button" className="button secondary" onClick={() => dialogs[decision].current?.close()}>
                {t('estimate.cancel')}
              </button>
              <button type="submit" className="button primary" disabled={busy}>
                {t(DIALOG_WORDS[decision].submit)}
              </button>
            </div>
          </form>
        </dialog>
      ))}
    </article>
  );
}
