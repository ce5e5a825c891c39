import { useId, useState } from 'react';
import { ApiError } from './api.js';

/** The words of the menu; both apps' catalogues have these keys. */
export type EInvoiceWord = 'eInvoice.menu' | 'eInvoice.ubl' | 'eInvoice.cii' | 'eInvoice.facturx' | 'eInvoice.failed';

const FORMATS = ['ubl', 'cii', 'facturx'] as const;
type Format = (typeof FORMATS)[number];

/**
 * The "E-invoice" menu of an invoice page (back office and portal): UBL XML, CII XML or the Factur-X PDF. Each is
 * fetched first, so that a refusal (a detail still missing, `docs/e-invoices.md`) is said in words on the page —
 * `explain` turns the problem into the app's own sentence — rather than opened as a raw answer; a file is saved
 * under the name the server gave it.
 */
export function EInvoiceMenu(props: {
  t: (key: EInvoiceWord) => string;
  /** The download's URL for a format: `/api/v1/invoices/{id}/e-invoice?format=…` or the portal's. */
  href(format: Format): string;
  explain(problem: ApiError): string;
}) {
  const { t } = props;
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');

  async function download(format: Format) {
    setBusy(true);
    setMessage('');
    try {
      const response = await fetch(props.href(format), { credentials: 'same-origin' });
      if (!response.ok) {
        const problem = (await response.json().catch(() => ({}))) as {
          code?: string;
          detail?: string;
          errors?: ApiError['errors'];
        };
        const error = new ApiError(response.status, problem.code ?? 'error', problem.detail ?? '', problem.errors);
        setMessage(response.status === 422 ? props.explain(error) : t('eInvoice.failed'));
        return;
      }
      const filename = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = filename ?? `e-invoice.${format === 'facturx' ? 'pdf' : 'xml'}`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      setMessage(t('eInvoice.failed'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="e-invoice no-print">
      <details className="e-invoice-menu">
        <summary className="button secondary">{t('eInvoice.menu')}</summary>
        <ul className="e-invoice-formats" aria-label={t('eInvoice.menu')}>
          {FORMATS.map((format) => (
            <li key={format}>
              <button
                type="button"
                className="button link"
                disabled={busy}
                aria-describedby={message ? `${id}-message` : undefined}
                onClick={() => download(format)}
              >
                {t(`eInvoice.${format}`)}
              </button>
            </li>
          ))}
        </ul>
      </details>
      {message && (
        <p id={`${id}-message`} className="notice error" role="alert">
          {message}
        </p>
      )}
    </div>
  );
}
