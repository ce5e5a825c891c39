import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  type DocumentPricing,
  DocumentBody as SharedDocumentBody,
  NotesAndTerms as SharedNotesAndTerms,
} from '../../ui/document-body.js';
import { useBackOffice } from '../context.js';
import { formatDateTime, formatDay } from '../format.js';
import { useI18n } from '../i18n.js';
import type { MessageKey } from '../messages/en.js';

const TONES: Record<string, string> = {
  overdue: 'danger',
  declined: 'danger',
  expired: 'muted',
  void: 'muted',
  draft: 'muted',
  paid: 'success',
  accepted: 'success',
  invoiced: 'success',
  partially_paid: 'warning',
  changes_requested: 'warning',
  sent: 'info',
};

/** A status as a coloured pill with its words (never colour alone). */
export function StatusPill({ status }: { status: string }) {
  const { t } = useI18n();
  return <span className={`pill ${TONES[status] ?? 'info'}`}>{t(`status.${status}` as MessageKey)}</span>;
}

/** Filter chips over a list: links that set `?status=` (keeping the other filters), the current one marked. */
export function FilterChips(props: { label: string; options: Array<[string, string]>; current: string }) {
  const [params] = useSearchParams();
  const to = (value: string) => {
    const next = new URLSearchParams(params);
    if (value === 'all') next.delete('status');
    else next.set('status', value);
    return `?${next.toString()}`;
  };
  return (
    <nav aria-label={props.label} className="chips">
      {props.options.map(([value, label]) => (
        <Link key={value} to={to(value)} className="chip" aria-current={props.current === value ? 'page' : undefined}>
          {label}
        </Link>
      ))}
    </nav>
  );
}

export function EyeIcon() {
  return (
    <svg className="eye" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 5C6.5 5 2.7 9.1 1.5 12c1.2 2.9 5 7 10.5 7s9.3-4.1 10.5-7C21.3 9.1 17.5 5 12 5zm0 11.5a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9zm0-2.5a2 2 0 1 0 0-4 2 2 0 0 0 0 4z"
      />
    </svg>
  );
}

interface Viewable {
  viewedAt: string | null;
  viewedByName: string | null;
}

/** The sentence behind the eye: "Viewed by Alice Martin on 12 Mar 2026, 10:30". */
export function useViewedText(document: Viewable): string | null {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  if (!document.viewedAt) return null;
  const date = formatDateTime(document.viewedAt, locale, timeZone);
  return document.viewedByName
    ? t('doc.viewedBy', { name: document.viewedByName, date })
    : t('doc.viewedByClient', { date });
}

/** The eye in a list: the icon and the day; the whole sentence for screen readers and as a tooltip. */
export function ViewedCell({ document }: { document: Viewable }) {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const text = useViewedText(document);
  if (!text) return <span className="muted small">{t('doc.notViewedShort')}</span>;
  return (
    <span className="viewed" title={text}>
      <EyeIcon />
      <span className="visually-hidden">{text}</span>
      <span aria-hidden="true">{formatDay(document.viewedAt, locale, timeZone)}</span>
    </span>
  );
}

/** The eye on a document: who viewed it and when, or that the client has not opened it yet. */
export function ViewedLine({ document, sent }: { document: Viewable; sent: boolean }) {
  const { t } = useI18n();
  const text = useViewedText(document);
  if (!text) return sent ? <p className="viewed muted">{t('doc.notViewed')}</p> : null;
  return (
    <p className="viewed viewed-line">
      <EyeIcon />
      <span>{text}</span>
    </p>
  );
}

/** The document's lines and totals, in this app's words (web/ui/document-body.tsx). */
export function DocumentBody(props: { document: DocumentPricing; after?: ReactNode }) {
  const { t } = useI18n();
  return <SharedDocumentBody {...props} t={t} />;
}

/** Notes and terms, as plain text, in this app's words (web/ui/document-body.tsx). */
export function NotesAndTerms(props: { notes: string | null; terms: string | null }) {
  const { t } = useI18n();
  return <SharedNotesAndTerms {...props} t={t} />;
}

export { TotalRow } from '../../ui/document-body.js';
