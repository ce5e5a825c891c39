import type { ApiError } from '../../ui/api.js';
import { EInvoiceMenu } from '../../ui/e-invoice-menu.js';
import { useI18n } from '../i18n.js';
import type { MessageKey } from '../messages/en.js';

/** What each refusal's field means to the business, and where to mend it (docs/e-invoices.md). */
const EXPLANATIONS: Record<string, MessageKey> = {
  '/organization/countryCode': 'eInvoice.missing.organizationCountry',
  '/organization/taxId': 'eInvoice.missing.organizationTaxId',
  '/organization/peppolId': 'eInvoice.missing.organizationAddress',
  '/customer/countryCode': 'eInvoice.missing.customerCountry',
  '/customer/peppolId': 'eInvoice.missing.customerAddress',
  '/status': 'eInvoice.unsupported.void',
  '/discountBeforeTax': 'eInvoice.unsupported.discountAfterTax',
  '/currency': 'eInvoice.unsupported.decimals',
};

/** The invoice page's "E-invoice" menu, with the business's own words for what is still missing. */
export function InvoiceEInvoiceMenu({ invoiceId }: { invoiceId: string }) {
  const { t } = useI18n();
  const explain = (problem: ApiError) => {
    const sentences = problem.errors.map((error) => {
      const key = EXPLANATIONS[error.path];
      return key ? t(key) : error.message;
    });
    const lead = problem.code === 'e_invoice_incomplete' ? t('eInvoice.incomplete') : t('eInvoice.unsupported');
    return [lead, ...sentences].join(' ');
  };
  return (
    <EInvoiceMenu
      t={t}
      href={(format) => `/api/v1/invoices/${encodeURIComponent(invoiceId)}/e-invoice?format=${format}`}
      explain={explain}
    />
  );
}
