import useSWR from 'swr';
import { api, data } from '../../ui/api.js';
import { BalanceFigures } from '../../ui/balance-story.js';
import { useI18n } from '../i18n.js';
import { ErrorScreen } from './error-screen.js';
import { Skeleton } from './skeleton.js';

export const customerBalanceKey = (customerId: string) => ['customer', customerId, 'balance'] as const;

/**
 * The customer's balance now, told as the client's portal tells it (Home, statement): outstanding invoices, credit
 * available and the net balance, credit in the customer's favour when it is negative.
 */
export function CustomerBalance({ customerId }: { customerId: string }) {
  const { t } = useI18n();
  const balance = useSWR(customerBalanceKey(customerId), () =>
    data(api.GET('/api/v1/customers/{id}/balance', { params: { path: { id: customerId } } })),
  );
  return (
    <section aria-labelledby="customer-balance" className="card">
      <h2 id="customer-balance">{t('balance.title')}</h2>
      {balance.error ? (
        <ErrorScreen retry={() => balance.mutate()} />
      ) : !balance.data ? (
        <Skeleton />
      ) : (
        <BalanceFigures t={t} balance={balance.data} />
      )}
    </section>
  );
}
