import type { Invoice, Logger } from '@e-invoice-eu/core';

export type EInvoiceFormat = 'ubl' | 'cii' | 'facturx';

/** The library's names of our three formats: Factur-X at its EN 16931 profile ("Comfort"). */
const LIBRARY_FORMATS: Record<EInvoiceFormat, string> = {
  ubl: 'UBL',
  cii: 'CII',
  facturx: 'Factur-X-EN16931',
};

/** The library reports on the console otherwise; its warnings are about input we built, so they are dropped. */
const quiet: Logger = { log: () => {}, warn: () => {}, error: () => {} };

/**
 * Renders the data as XML (UBL, CII) or as the Factur-X PDF: our own invoice PDF made PDF/A-3 with the CII XML
 * attached as `factur-x.xml` (the library does both with pdf-lib).
 */
export async function renderEInvoice(
  data: Invoice,
  format: EInvoiceFormat,
  pdf: { filename: string; pdf: Buffer } | null,
): Promise<Buffer> {
  // Loaded with the first e-invoice: the library and its XML and PDF tools take ≈ 55 MB a server seldom needs.
  const { InvoiceService } = await import('@e-invoice-eu/core');
  const service = new InvoiceService(quiet);
  let output: string | Uint8Array;
  try {
    output = await service.generate(data, {
      format: LIBRARY_FORMATS[format],
      lang: 'en',
      noWarnings: true,
      ...(format === 'facturx' && pdf
        ? { pdf: { buffer: new Uint8Array(pdf.pdf), filename: pdf.filename, mimetype: 'application/pdf' } }
        : {}),
    });
  } catch (error) {
    // The library refusing our own mapping is our bug (a 500), never the asker's: its Ajv error must not pass for
    // a request validation error.
    const details = (error as { errors?: unknown }).errors;
    throw new Error(`The e-invoice library refused the invoice data: ${JSON.stringify(details ?? String(error))}`);
  }
  return typeof output === 'string' ? Buffer.from(output, 'utf8') : Buffer.from(output);
}
