import { type Column, money, number, text } from './csv-file.js';

/** The columns every document line has (estimate_lines, invoice_lines), with its document's number and currency. */
export interface LineRow {
  id: string;
  documentId: string;
  documentNumber: string;
  currency: string;
  position: number;
  name: string;
  description: string | null;
  quantity: string;
  unit: string | null;
  rate: number;
  discountType: string | null;
  discountValue: string | null;
  taxName: string | null;
  taxRate: string | null;
  amount: number;
  discount: number;
  net: number;
}

/**
 * The CSV columns of estimate_lines and invoice_lines. The business's export names each line by its id; the
 * client's does not (`lineIds: false`: a line id is the business's internal detail).
 */
export const lineColumns = (documentHeader: string, options: { lineIds: boolean }): Column<LineRow>[] => [
  ...(options.lineIds ? [text<LineRow>('id', (r) => r.id)] : []),
  text(`${documentHeader}_id`, (r) => r.documentId),
  text(`${documentHeader}_number`, (r) => r.documentNumber),
  number('position', (r) => r.position),
  text('name', (r) => r.name),
  text('description', (r) => r.description),
  number('quantity', (r) => r.quantity),
  text('unit', (r) => r.unit),
  text('currency', (r) => r.currency),
  money(
    'rate',
    (r) => r.rate,
    (r) => r.currency,
  ),
  text('discount_type', (r) => r.discountType),
  number('discount_value', (r) => r.discountValue),
  text('tax_name', (r) => r.taxName),
  number('tax_rate', (r) => r.taxRate),
  money(
    'amount',
    (r) => r.amount,
    (r) => r.currency,
  ),
  money(
    'discount',
    (r) => r.discount,
    (r) => r.currency,
  ),
  money(
    'net',
    (r) => r.net,
    (r) => r.currency,
  ),
];

/** What a line query selects (lines as `l`, their document as `d`) for `lineColumns`. */
export const LINE_SELECTION = [
  'l.id',
  'l.documentId',
  'd.number as documentNumber',
  'd.currency',
  'l.position',
  'l.name',
  'l.description',
  'l.quantity',
  'l.unit',
  'l.rate',
  'l.discountType',
  'l.discountValue',
  'l.taxName',
  'l.taxRate',
  'l.amount',
  'l.discount',
  'l.net',
] as const;
