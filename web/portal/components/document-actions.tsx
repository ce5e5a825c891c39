import { type FormEvent, useId, useRef, useState } from 'react';
import { ApiError, api, data } from '../../ui/api.js';
import { EInvoiceMenu } from '../../ui/e-invoice-menu.js';
import { useI18n } from '../../ui/i18n.js';
import { usePortal } from '../portal-context.js';

type Kind = 'estimates' | 'invoices' | 'retainer-invoices';

/**
 * Save PDF (the server's PDF, downloaded as an attachment), Print (the browser's print of this page, styled for
 * paper), — for estimates and invoices, when the business allows it — Forward by e-mail, and an invoice's
 * e-invoice menu (UBL, CII, Factur-X; docs/e-invoices.md).
 */
export function DocumentActions(props: { kind: Kind; id: string; number: string; eInvoice?: boolean }) {
  const { kind, id, number } = props;
  const { t } = useI18n();
  const { slug, identity } = usePortal();
  const [sent, setSent] = useState('');
  const canForward = kind !== 'retainer-invoices' && identity.settings.allowForwarding;
  return (
    <>
      <div className="actions no-print">
        <a
          className="button secondary"
          href={`/api/portal/${encodeURIComponent(slug)}/${kind}/${encodeURIComponent(id)}/pdf`}
          download
        >
          {t('doc.savePdf')}
        </a>
        <button type="button" className="button secondary" onClick={() => window.print()}>
          {t('doc.print')}
        </button>
        {canForward && <Forward kind={kind} id={id} number={number} onSent={setSent} />}
        {props.eInvoice && (
          <EInvoiceMenu
            t={t}
            href={(format) =>
              `/api/portal/${encodeURIComponent(slug)}/invoices/${encodeURIComponent(id)}/e-invoice?format=${format}`
            }
            // What is missing is the business's to add: the client is only told the e-invoice is not ready.
            explain={() => t('eInvoice.unavailable')}
          />
        )}
      </div>
      <p className={sent ? 'notice success no-print' : 'visually-hidden'} role="status">
        {sent}
      </p>
    </>
  );
}

function Forward(props: { kind: 'estimates' | 'invoices'; id: string; number: string; onSent(text: string): void }) {
  const { t } = useI18n();
  const { slug, identity } = usePortal();
  const dialog = useRef<HTMLDialogElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const ids = useId();
  const [error, setError] = useState<{ message: string; field: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  function open() {
    setError(null);
    form.current?.reset();
    dialog.current?.showModal();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const values = new FormData(event.currentTarget);
    const email = String(values.get('email') ?? '').trim();
    const message = String(values.get('message') ?? '').trim();
    if (!email) {
      setError({ message: t('forward.emailMissing'), field: true });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const request = {
        params: { path: { slug, id: props.id } },
        body: message ? { email, message } : { email },
      };
      const result = await data(
        props.kind === 'estimates'
          ? api.POST('/api/portal/{slug}/estimates/{id}/forward', request)
          : api.POST('/api/portal/{slug}/invoices/{id}/forward', request),
      );
      dialog.current?.close();
      props.onSent(t('forward.sent', { email: result.forwardedTo }));
    } catch (caught) {
      const status = caught instanceof ApiError ? caught.status : 0;
      if (status === 429) setError({ message: t('forward.rateLimited'), field: false });
      else if (status === 400) setError({ message: t('forward.invalid'), field: true });
      else if (status === 403) setError({ message: t('forward.off'), field: false });
      else setError({ message: caught instanceof ApiError ? caught.message : t('app.error'), field: false });
    } finally {
      setBusy(false);
    }
  }

  const titleId = `${ids}-title`;
  const errorId = `${ids}-error`;
  return (
    <>
      <button type="button" className="button secondary" onClick={open}>
        {t('doc.forward')}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} className="dialog">
        <form ref={form} onSubmit={submit} noValidate>
          <h2 id={titleId}>{t('forward.title', { number: props.number })}</h2>
          <p>{t('forward.body', { customer: identity.customer.name })}</p>
          {error && (
            <p id={errorId} className="notice error" role="alert">
              {error.message}
            </p>
          )}
          <label className="field">
            <span>{t('forward.email')}</span>
            <input
              name="email"
              type="email"
              maxLength={254}
              autoComplete="off"
              required
              onChange={() => error && setError(null)}
              aria-invalid={error?.field ? true : undefined}
              aria-describedby={error?.field ? errorId : undefined}
            />
          </label>
          <label className="field">
            <span>{t('forward.message')}</span>
            <textarea name="message" rows={4} maxLength={2000} />
          </label>
          <div className="dialog-actions">
            <button type="button" className="button secondary" onClick={() => dialog.current?.close()}>
              {t('forward.cancel')}
            </button>
            <button type="submit" className="button primary" disabled={busy}>
              {t('forward.send')}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
