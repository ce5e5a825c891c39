import useSWR from 'swr';
import { api, data } from '../../ui/api.js';
import { formatDate, formatMoney } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import { usePortal } from '../portal-context.js';

/**
 * "Pay by bank transfer" on an invoice the client owes: the account, the reference to quote, the amount, when the
 * details last changed (with a warning for 30 days after a change) and, in euros, a QR code a banking app scans.
 */
export function BankTransferInstructions({ invoiceId }: { invoiceId: string }) {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const found = useSWR(['bank-transfer', slug, invoiceId], () =>
    data(api.GET('/api/portal/{slug}/invoices/{id}/bank-transfer', { params: { path: { slug, id: invoiceId } } })),
  );
  const transfer = found.data?.bankTransfer;
  if (!transfer) return null;
  const changedOn = formatDate(transfer.lastChangedAt.slice(0, 10), locale);
  const bankCodeLabel = /^[A-Z]{6}/.test(transfer.bankCode ?? '') ? t('bankTransfer.bic') : t('bankTransfer.bankCode');
  return (
    <section className="card bank-transfer" aria-labelledby="bank-transfer-title">
      <h2 id="bank-transfer-title">{t('bankTransfer.title')}</h2>
      {transfer.recentlyChanged && (
        <p className="bank-details-warning" role="alert">
          {t('bankTransfer.changedWarning', { date: changedOn })}
        </p>
      )}
      <div className="bank-transfer-body">
        <dl className="facts">
          <dt>{t('bankTransfer.accountHolder')}</dt>
          <dd>{transfer.accountHolder}</dd>
          <dt>{transfer.isIban ? t('bankTransfer.iban') : t('bankTransfer.accountNumber')}</dt>
          <dd className="nowrap">{transfer.accountNumber}</dd>
          {transfer.bankCode && (
            <>
              <dt>{bankCodeLabel}</dt>
              <dd className="nowrap">{transfer.bankCode}</dd>
            </>
          )}
          {transfer.bankName && (
            <>
              <dt>{t('bankTransfer.bankName')}</dt>
              <dd>{transfer.bankName}</dd>
            </>
          )}
          <dt>{t('bankTransfer.reference')}</dt>
          <dd className="nowrap">{transfer.reference}</dd>
          <dt>{t('bankTransfer.amount')}</dt>
          <dd className="nowrap">{formatMoney(transfer.amount, transfer.currency, locale)}</dd>
        </dl>
        {transfer.hasQrCode && (
          <figure className="bank-transfer-qr">
            <img
              src={`/api/portal/${slug}/invoices/${invoiceId}/bank-transfer/qr-code`}
              width={160}
              height={160}
              alt={t('bankTransfer.qrAlt')}
            />
            <figcaption>{t('bankTransfer.qrCaption')}</figcaption>
          </figure>
        )}
      </div>
      <p className="muted">{t('bankTransfer.lastChanged', { date: changedOn })}</p>
    </section>
  );
}

/** On every page: the currencies the client owes in whose bank details changed within 30 days. */
export function BankDetailsNotice() {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const notices = useSWR(['bank-transfer-notices', slug], () =>
    data(api.GET('/api/portal/{slug}/bank-transfer-notices', { params: { path: { slug } } })),
  );
  const changes = notices.data?.data ?? [];
  if (changes.length === 0) return null;
  return (
    <div className="bank-details-warning" role="note">
      {changes.map((change) => (
        <p key={change.currency}>
          {t('bankTransfer.noticeWarning', {
            currency: change.currency,
            date: formatDate(change.changedAt.slice(0, 10), locale),
          })}
        </p>
      ))}
    </div>
  );
}
