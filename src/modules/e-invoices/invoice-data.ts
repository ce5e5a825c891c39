import type { Invoice } from '@e-invoice-eu/core';
import type { DocumentTotals } from '../../domain/document-math.js';
import { amountText } from './amounts.js';
import type { EInvoiceParty, PartyAddress } from './parties.js';
import type { EInvoiceFormat } from './render.js';
import { categoryKey, invoiceIsTaxed, lineCategory, type TaxCategory, untaxedCategory } from './tax-categories.js';

/**
 * One invoice and its §5.1 figures in the EN 16931 semantic model, written as the UBL-shaped object
 * @e-invoice-eu/core renders to UBL, CII and Factur-X. Every amount comes from `computeDocument` (the figures the
 * PDF prints); nothing here computes money except sums of those figures by tax category.
 *
 * EN 16931 totals (BT-106…BT-115) from §5.1:
 * - sum of line nets (BT-106) = subtotal; each line's net (BT-131) = its amount − its own discount (a line
 *   allowance);
 * - a discount before tax is a document allowance (BG-20) per tax category: the sum of the lines' shares;
 * - shipping and a positive adjustment are document charges (BG-21), a negative adjustment an allowance;
 * - tax per category (BT-117) = the §5.1 tax at that rate; the tax total (BT-110) = §5.1's tax total;
 * - the total with tax (BT-112) = §5.1's total; the paid amount (BT-113) = total − balance (payments, credits and
 *   write-off), so the amount due (BT-115) is the PDF's balance due.
 */

export interface EInvoiceSource {
  number: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  reference: string | null;
  notes: string | null;
  terms: string | null;
  balance: number;
  adjustmentLabel: string | null;
  lines: ReadonlyArray<{
    name: string;
    description: string | null;
    quantity: string;
    unit: string | null;
    rate: number;
  }>;
  figures: DocumentTotals;
}

/**
 * A UBL invoice follows Peppol BIS Billing 3.0 when both parties have a Peppol id (it addresses them so), else EN
 * 16931 itself, as CII and Factur-X (EN 16931 profile) always do.
 */
const PEPPOL_CUSTOMIZATION = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
const PEPPOL_PROFILE = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';
const EN16931_CUSTOMIZATION = 'urn:cen.eu:en16931:2017';

/** UN/ECE Recommendation 20 unit codes for the units people type most; anything else is "one" (C62). */
const UNIT_CODES: Record<string, string> = {
  hour: 'HUR',
  hours: 'HUR',
  hr: 'HUR',
  hrs: 'HUR',
  h: 'HUR',
  day: 'DAY',
  days: 'DAY',
  month: 'MON',
  months: 'MON',
  kg: 'KGM',
  km: 'KMT',
};
const unitCodeOf = (unit: string | null) => UNIT_CODES[(unit ?? '').trim().toLowerCase()] ?? 'C62';

function postalAddressOf(address: PartyAddress, countryCode: string) {
  return {
    ...(address.street1 ? { 'cbc:StreetName': address.street1 } : {}),
    ...(address.street2 ? { 'cbc:AdditionalStreetName': address.street2 } : {}),
    ...(address.city ? { 'cbc:CityName': address.city } : {}),
    ...(address.postalCode ? { 'cbc:PostalZone': address.postalCode } : {}),
    ...(address.state ? { 'cbc:CountrySubentity': address.state } : {}),
    'cac:Country': { 'cbc:IdentificationCode': countryCode },
  };
}

function partyOf(party: EInvoiceParty, role: 'seller' | 'buyer') {
  const vat = party.taxId ? { 'cbc:CompanyID': party.taxId, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } } : null;
  return {
    'cbc:EndpointID': party.endpoint.id,
    'cbc:EndpointID@schemeID': party.endpoint.scheme,
    ...(party.tradingName ? { 'cac:PartyName': { 'cbc:Name': party.tradingName } } : {}),
    'cac:PostalAddress': postalAddressOf(party, party.countryCode),
    // The seller may have two tax schemes (BT-31, BT-32), the buyer one: the library's schema says so.
    ...(vat ? { 'cac:PartyTaxScheme': role === 'seller' ? [vat] : vat } : {}),
    'cac:PartyLegalEntity': {
      'cbc:RegistrationName': party.name,
      ...(party.companyId ? { 'cbc:CompanyID': party.companyId } : {}),
    },
    ...(party.email || party.phone
      ? {
          'cac:Contact': {
            ...(party.phone ? { 'cbc:Telephone': party.phone } : {}),
            ...(party.email ? { 'cbc:ElectronicMail': party.email } : {}),
          },
        }
      : {}),
  };
}

const taxCategoryOf = (category: TaxCategory) => ({
  'cbc:ID': category.code,
  ...(category.percent !== null ? { 'cbc:Percent': category.percent } : {}),
  'cac:TaxScheme': { 'cbc:ID': 'VAT' },
});

interface CategoryTotals {
  category: TaxCategory;
  taxable: number;
  tax: number;
}

export function eInvoiceData(
  format: EInvoiceFormat,
  source: EInvoiceSource,
  { seller, buyer, deliverTo }: { seller: EInvoiceParty; buyer: EInvoiceParty; deliverTo: PartyAddress },
): Invoice {
  const { figures, currency } = source;
  const amount = (minor: number) => amountText(minor, currency);
  const taxed = invoiceIsTaxed(figures.lines.map((line) => line.taxRate));

  // Tax categories, in the order they first appear: taxable amounts and tax from the §5.1 figures.
  const categories = new Map<string, CategoryTotals>();
  const add = (category: TaxCategory, taxable: number, tax: number) => {
    const key = categoryKey(category);
    const totals = categories.get(key) ?? { category, taxable: 0, tax: 0 };
    totals.taxable += taxable;
    totals.tax += tax;
    categories.set(key, totals);
  };

  const allowances: Array<{ category: TaxCategory; amount: number; reason: string; code?: string }> = [];
  const charges: Array<{ category: TaxCategory; amount: number; reason: string; code?: string }> = [];

  const discountShares = new Map<string, { category: TaxCategory; amount: number }>();
  const lines = figures.lines.map((line, index) => {
    const stored = source.lines[index];
    if (!stored) throw new Error('The figures and the lines differ.');
    const category = lineCategory(line.taxRate, taxed);
    add(category, line.taxableBase, line.tax);
    if (line.discountShare > 0) {
      const key = categoryKey(category);
      const share = discountShares.get(key) ?? { category, amount: 0 };
      share.amount += line.discountShare;
      discountShares.set(key, share);
    }
    return {
      'cbc:ID': String(index + 1),
      'cbc:InvoicedQuantity': stored.quantity,
      'cbc:InvoicedQuantity@unitCode': unitCodeOf(stored.unit),
      'cbc:LineExtensionAmount': amount(line.net),
      'cbc:LineExtensionAmount@currencyID': currency,
      ...(line.discount > 0
        ? {
            'cac:AllowanceCharge': [
              {
                'cbc:ChargeIndicator': 'false',
                'cbc:AllowanceChargeReasonCode': '95',
                'cbc:AllowanceChargeReason': 'Discount',
                'cbc:Amount': amount(line.discount),
                'cbc:Amount@currencyID': currency,
              },
            ],
          }
        : {}),
      'cac:Item': {
        ...(stored.description ? { 'cbc:Description': stored.description } : {}),
        'cbc:Name': stored.name,
        'cac:ClassifiedTaxCategory': taxCategoryOf(category),
      },
      'cac:Price': { 'cbc:PriceAmount': amount(stored.rate), 'cbc:PriceAmount@currencyID': currency },
    };
  });

  for (const share of discountShares.values()) {
    allowances.push({ category: share.category, amount: share.amount, reason: 'Discount', code: '95' });
  }
  const untaxed = untaxedCategory(taxed);
  if (figures.shipping > 0) {
    charges.push({ category: untaxed, amount: figures.shipping, reason: 'Shipping', code: 'FC' });
    add(untaxed, figures.shipping, 0);
  }
  if (figures.adjustment !== 0) {
    const reason = source.adjustmentLabel?.trim() || 'Adjustment';
    (figures.adjustment > 0 ? charges : allowances).push({
      category: untaxed,
      amount: Math.abs(figures.adjustment),
      reason,
    });
    add(untaxed, figures.adjustment, 0);
  }

  const allowanceTotal = allowances.reduce((sum, a) => sum + a.amount, 0);
  const chargeTotal = charges.reduce((sum, c) => sum + c.amount, 0);
  const taxExclusive = figures.subtotal - allowanceTotal + chargeTotal;
  const paid = figures.total - source.balance;
  const peppol = format === 'ubl' && seller.endpoint.peppol && buyer.endpoint.peppol;
  const notes = [source.notes, source.terms].filter((note): note is string => !!note && note.trim() !== '');
  const allowanceCharge = (indicator: boolean) => (entry: (typeof allowances)[number]) => ({
    'cbc:ChargeIndicator': String(indicator),
    ...(entry.code ? { 'cbc:AllowanceChargeReasonCode': entry.code } : {}),
    'cbc:AllowanceChargeReason': entry.reason,
    'cbc:Amount': amount(entry.amount),
    'cbc:Amount@currencyID': currency,
    'cac:TaxCategory': taxCategoryOf(entry.category),
  });

  const invoice = {
    'ubl:Invoice': {
      'cbc:CustomizationID': peppol ? PEPPOL_CUSTOMIZATION : EN16931_CUSTOMIZATION,
      ...(peppol ? { 'cbc:ProfileID': PEPPOL_PROFILE } : {}),
      'cbc:ID': source.number,
      'cbc:IssueDate': source.issueDate,
      'cbc:DueDate': source.dueDate,
      'cbc:InvoiceTypeCode': '380',
      ...(notes.length > 0 ? { 'cbc:Note': notes } : {}),
      'cbc:DocumentCurrencyCode': currency,
      // Peppol asks for a buyer reference or an order reference (PEPPOL-EN16931-R003): the invoice's reference,
      // else its number.
      'cbc:BuyerReference': source.reference ?? source.number,
      'cac:AccountingSupplierParty': { 'cac:Party': partyOf(seller, 'seller') },
      'cac:AccountingCustomerParty': { 'cac:Party': partyOf(buyer, 'buyer') },
      // CII D16B requires its delivery block, so the deliver-to address (BG-15) is always given.
      'cac:Delivery': { 'cac:DeliveryLocation': { 'cac:Address': postalAddressOf(deliverTo, buyer.countryCode) } },
      ...(allowances.length + charges.length > 0
        ? {
            'cac:AllowanceCharge': [...allowances.map(allowanceCharge(false)), ...charges.map(allowanceCharge(true))],
          }
        : {}),
      'cac:TaxTotal': [
        {
          'cbc:TaxAmount': amount(figures.taxTotal),
          'cbc:TaxAmount@currencyID': currency,
          'cac:TaxSubtotal': [...categories.values()].map((totals) => ({
            'cbc:TaxableAmount': amount(totals.taxable),
            'cbc:TaxableAmount@currencyID': currency,
            'cbc:TaxAmount': amount(totals.tax),
            'cbc:TaxAmount@currencyID': currency,
            'cac:TaxCategory': {
              ...taxCategoryOf(totals.category),
              ...(totals.category.exemptionReason ? { 'cbc:TaxExemptionReason': totals.category.exemptionReason } : {}),
            },
          })),
        },
      ],
      'cac:LegalMonetaryTotal': {
        'cbc:LineExtensionAmount': amount(figures.subtotal),
        'cbc:LineExtensionAmount@currencyID': currency,
        'cbc:TaxExclusiveAmount': amount(taxExclusive),
        'cbc:TaxExclusiveAmount@currencyID': currency,
        'cbc:TaxInclusiveAmount': amount(figures.total),
        'cbc:TaxInclusiveAmount@currencyID': currency,
        ...(allowanceTotal > 0
          ? { 'cbc:AllowanceTotalAmount': amount(allowanceTotal), 'cbc:AllowanceTotalAmount@currencyID': currency }
          : {}),
        ...(chargeTotal > 0
          ? { 'cbc:ChargeTotalAmount': amount(chargeTotal), 'cbc:ChargeTotalAmount@currencyID': currency }
          : {}),
        ...(paid !== 0 ? { 'cbc:PrepaidAmount': amount(paid), 'cbc:PrepaidAmount@currencyID': currency } : {}),
        'cbc:PayableAmount': amount(source.balance),
        'cbc:PayableAmount@currencyID': currency,
      },
      'cac:InvoiceLine': lines,
    },
  };
  // The library validates the object against its own JSON schema before rendering, so the cast is checked there.
  return invoice as unknown as Invoice;
}
