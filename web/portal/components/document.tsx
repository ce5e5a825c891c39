import type { ReactNode } from 'react';
import { Link } from 'react-router';
import {
  type DocumentPricing,
  DocumentBody as SharedDocumentBody,
  NotesAndTerms as SharedNotesAndTerms,
} from '../../ui/document-body.js';
import { DocumentParties as SharedDocumentParties } from '../../ui/document-parties.js';
import { useI18n } from '../../ui/i18n.js';
import type { MessageKey } from '../../ui/messages/en.js';
import { Money } from '../../ui/money.js';

/** Shared with the back office (web/ui/money.tsx): the locale comes from the nearest I18nProvider. */
export { Money };

const TONES: Record<string, string> = {
  overdue: 'danger',
  declined: 'danger',
  expired: 'muted',
  void: 'muted',
  paid: 'success',
  accepted: 'success',
  invoiced: 'success',
  partially_paid: 'warning',
  changes_requested: 'warning',
  sent: 'info',
};

/** A status as a coloured pill with its words (never colour alone). */
export function StatusPill({ status, kind }: { status: string; kind: 'invoice' | 'estimate' }) {
  const { t } = useI18n();
  const key = (kind === 'estimate' ? `status.estimate.${status}` : `status.${status}`) as MessageKey;
  return <span className={`pill ${TONES[status] ?? 'info'}`}>{t(key)}</span>;
}

/** Filter chips over a list: links that set `?status=`, the current one marked for assistive technology. */
export function FilterChips(props: { label: string; options: Array<[string, string]>; current: string }) {
  return (
    <nav aria-label={props.label} className="chips">
      {props.options.map(([value, label]) => (
        <Link
          key={value}
          to={value === 'all' ? '?' : `?status=${value}`}
          className="chip"
          aria-current={props.current === value ? 'page' : undefined}
        >
          {label}
        </Link>
      ))}
    </nav>
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

/** Who the document is from and to, in this app's words (web/ui/document-parties.tsx). */
export function DocumentParties(props: Omit<Parameters<typeof SharedDocumentParties>[0], 't'>) {
  const { t } = useI18n();
  return <SharedDocumentParties {...props} t={t} />;
}

export { TotalRow } from '../../ui/document-body.js';
