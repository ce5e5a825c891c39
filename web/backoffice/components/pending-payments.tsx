import type { paths } from '../../ui/api-types.js';
import { formatMoney } from '../../ui/format.js';
import { useBackOffice } from '../context.js';
import { formatDateTime } from '../format.js';
import { useI18n } from '../i18n.js';

type Pending =
  paths['/api/v1/invoices/{id}']['get']['responses'][200]['content']['application/json']['pendingPayments'][number];

/**
 * The client's online payments still open on an invoice or a retainer invoice (issue 18): who started it, what it
 * holds of the balance and when it lapses — the reason the client cannot pay that part again meanwhile.
 */
export function PendingPayments({ pending, currency }: { pending: Pending[]; currency: string }) {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  if (pending.length === 0) return null;
  return (
    <section className="notice pending-payments" aria-labelledby="pending-payments">
      <h2 id="pending-payments" className="h3">
        {t.plural('pendingPayments.title', pending.length)}
      </h2>
      <ul className="plain-list">
        {pending.map((payment) => {
          const values = {
            name: payment.startedBy.name,
            amount: formatMoney(payment.amount, currency, locale),
            started: formatDateTime(payment.startedAt, locale, timeZone),
            lapses: formatDateTime(payment.lapsesAt, locale, timeZone),
          };
          return (
            <li key={payment.attemptId}>
              {payment.status === 'requires_action'
                ? t('pendingPayments.waiting', values)
                : t('pendingPayments.processing', values)}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
