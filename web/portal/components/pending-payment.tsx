import { useState } from 'react';
import { useSWRConfig } from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import type { paths } from '../../ui/api-types.js';
import { refresh } from '../../ui/cache.js';
import { formatMoney } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import { CHANGED_BY_A_PAYMENT } from '../changed-by-a-payment.js';
import { usePortal } from '../portal-context.js';

type Pending =
  paths['/api/portal/{slug}/invoices/{id}']['get']['responses'][200]['content']['application/json']['pendingPayments'][number];

/**
 * The online payments still open on a document (issue 18): a payment page left waiting holds part of the balance
 * until it lapses, so the client sees it, when it lapses, and — when it is theirs — can cancel it, which frees the
 * document at once. A charge already in flight cannot be cancelled: it is shown as being processed.
 */
export function PendingPayments({
  pending,
  currency,
  screen,
  document,
  onChanged,
}: {
  pending: Pending[];
  currency: string;
  /** Which document it is on, where the screen shows several ("Invoice INV-00012"). */
  document?: string;
  /** The cached answer this screen shows: read again in place by `onChanged` (so what was said stays said). */
  screen: (typeof CHANGED_BY_A_PAYMENT)[number];
  onChanged: () => void;
}) {
  // Said here, not by the payment's own line, which is gone once it is cancelled.
  const [done, setDone] = useState('');
  return (
    <div className="pending-payments no-print">
      {pending.map((payment) => (
        <PendingPayment
          key={payment.attemptId ?? payment.startedAt}
          payment={payment}
          currency={currency}
          screen={screen}
          document={document}
          onChanged={(message) => {
            setDone(message);
            onChanged();
          }}
        />
      ))}
      <p className={done ? 'notice success' : 'visually-hidden'} role="status">
        {done}
      </p>
    </div>
  );
}

function PendingPayment({
  payment,
  currency,
  screen,
  document,
  onChanged,
}: {
  payment: Pending;
  currency: string;
  screen: string;
  document: string | undefined;
  onChanged: (message: string) => void;
}) {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const { mutate } = useSWRConfig();
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState('');
  const when = (iso: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  const values = {
    amount: formatMoney(payment.amount, currency, locale),
    started: when(payment.startedAt),
    lapses: payment.lapsesAt ? when(payment.lapsesAt) : '',
  };
  const waiting = payment.status === 'requires_action';
  const text = payment.yours
    ? t(waiting ? 'pending.yoursWaiting' : 'pending.yoursProcessing', values)
    : t(waiting ? 'pending.otherWaiting' : 'pending.otherProcessing', values);
  const attemptId = payment.attemptId;

  async function cancel() {
    if (!attemptId) return;
    setBusy(true);
    setSaid('');
    try {
      const attempt = await data(
        api.POST('/api/portal/{slug}/payment-attempts/{id}/cancel', { params: { path: { slug, id: attemptId } } }),
      );
      if (attempt.status === 'requires_action') {
        // The payment provider could not be reached: the page stays open until it lapses.
        setSaid(t('pending.notCancelled'));
        setBusy(false);
        return;
      }
      await refresh(mutate, ...CHANGED_BY_A_PAYMENT.filter((name) => name !== screen));
      onChanged(attempt.status === 'succeeded' ? t('pending.paidMeanwhile') : t('pending.cancelled'));
    } catch (caught) {
      setBusy(false);
      // A charge in flight (409) cannot be cancelled: the server says so, and the page shows it as it now stands.
      setSaid(caught instanceof ApiError && caught.message ? caught.message : t('pending.notCancelled'));
      onChanged('');
    }
  }

  return (
    <div className="notice pending-payment">
      {document && <p className="small">{document}</p>}
      <p>
        <strong>{t('pending.title')}</strong> {text}
      </p>
      {payment.yours && waiting && attemptId && (
        <button type="button" className="button secondary" onClick={cancel} disabled={busy}>
          {busy ? t('pending.cancelling') : t('pending.cancel')}
        </button>
      )}
      <p className={said ? 'field-error' : 'visually-hidden'} role="status">
        {said}
      </p>
    </div>
  );
}
