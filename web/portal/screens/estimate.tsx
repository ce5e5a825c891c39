import { type FormEvent, useRef, useState } from 'react';
import { useParams } from 'react-router';
import useSWR, { useSWRConfig } from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { refresh } from '../../ui/cache.js';
import { DocumentHeader } from '../../ui/document-header.js';
import { formatDate } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import { Comments } from '../components/comments.js';
import { DocumentBody, DocumentParties, NotesAndTerms, StatusPill } from '../components/document.js';
import { DocumentActions } from '../components/document-actions.js';
import { ErrorScreen } from '../components/error-screen.js';
import { Skeleton } from '../components/skeleton.js';
import { usePortal } from '../portal-context.js';
import NotFound from './not-found.js';

type Decision = 'accept' | 'decline';

export default function Estimate() {
  const { t } = useI18n();
  const { slug, locale, identity } = usePortal();
  const { id = '' } = useParams();
  const { mutate } = useSWRConfig();
  const dialogs = { accept: useRef<HTMLDialogElement>(null), decline: useRef<HTMLDialogElement>(null) };
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
          : api.POST('/api/portal/{slug}/estimates/{id}/decline', { params, body: text ? { reason: text } : {} }),
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
          <button type="button" className="button secondary" onClick={() => open('decline')}>
            {t('estimate.decline')}
          </button>
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

      {(['accept', 'decline'] as const).map((decision) => (
        <dialog key={decision} ref={dialogs[decision]} aria-labelledby={`${decision}-title`} className="dialog">
          <form onSubmit={submit(decision)}>
            <h2 id={`${decision}-title`}>
              {t(decision === 'accept' ? 'estimate.acceptTitle' : 'estimate.declineTitle', { number: doc.number })}
            </h2>
            <p>{t(decision === 'accept' ? 'estimate.acceptBody' : 'estimate.declineBody')}</p>
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
                {t(decision === 'accept' ? 'estimate.accept' : 'estimate.decline')}
              </button>
            </div>
          </form>
        </dialog>
      ))}
    </article>
  );
}
