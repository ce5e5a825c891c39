import { Type } from 'typebox';

export const EInvoiceQuery = Type.Object(
  {
    format: Type.Union([Type.Literal('ubl'), Type.Literal('cii'), Type.Literal('facturx')], {
      description:
        'ubl: UBL 2.1 XML (Peppol BIS Billing 3.0); cii: UN/CEFACT CII XML; facturx: Factur-X PDF (PDF/A-3, EN 16931).',
    }),
  },
  { additionalProperties: false },
);

/** The answer of an e-invoice download: XML or PDF, an attachment. */
export const EInvoiceResponse = {
  description: 'The e-invoice (attachment): application/xml for ubl and cii, application/pdf for facturx',
  content: {
    'application/xml': { schema: { type: 'string' } },
    'application/pdf': { schema: { type: 'string', format: 'binary' } },
  },
};
