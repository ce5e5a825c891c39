import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import useSWR, { useSWRConfig } from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import type { paths } from '../../ui/api-types.js';
import { refresh } from '../../ui/cache.js';
import { formatMoney } from '../../ui/format.js';
import { Money } from '../../ui/money.js';
import { offers } from '../components/actions.js';
import { TotalRow } from '../components/document.js';
import { ErrorScreen } from '../components/error-screen.js';
import {
  Field,
  FormSummary,
  fieldId,
  moneyText,
  parseMoney,
  SelectField,
  useCustomers,
  useFormErrors,
} from '../components/forms.js';
import { Skeleton } from '../components/skeleton.js';
import { useBackOffice } from '../context.js';
import { useI18n } from '../i18n.js';
import NotFound from './not-found.js';

type Kind = 'invoice' | 'estimate';
type PreviewBody = paths['/api/v1/documents/preview']['post']['requestBody']['content']['application/json'];
type Preview = paths['/api/v1/documents/preview']['post']['responses'][200]['content']['application/json'];
type InvoiceData = paths['/api/v1/invoices/{id}']['get']['responses'][200]['content']['application/json'];
type EstimateData = paths['/api/v1/estimates/{id}']['get']['responses'][200]['content']['application/json'];
type QuoteRequestData = paths['/api/v1/quote-requests/{id}']['get']['responses'][200]['content']['application/json'];
type Pricing = Omit<PreviewBody, 'customerId' | 'currency' | 'invoiceId' | 'estimateId'>;

interface LineDraft {
  key: number;
  name: string;
  description: string;
  quantity: string;
  rate: string;
  discountType: '' | 'percent' | 'amount';
  discountValue: string;
  taxId: string;
}

interface Draft {
  customerId: string;
  issueDate: string;
  /** The invoice's due date, or the estimate's expiry date. */
  endDate: string;
  reference: string;
  subject: string;
  notes: string;
  terms: string;
  discountType: '' | 'percent' | 'amount';
  discountValue: string;
  discountAfterTax: boolean;
  shipping: string;
  adjustment: string;
  adjustmentLabel: string;
  lines: LineDraft[];
}

const PREVIEW_DELAY_MS = 300;
const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

/**
 * Create or edit an invoice or an estimate (`/invoices/new`, `/invoices/:id/edit`, the same for estimates):
 * lines with their discounts and taxes, the document's discount, shipping and adjustment, and live totals that
 * the server computes by its own rules (POST /api/v1/documents/preview) while the user types.
 */
export default function DocumentForm({ kind }: { kind: Kind }) {
  const { id } = useParams();
  const [params] = useSearchParams();
  // A new estimate made from a client's quote request (`?quoteRequest=qrq_…`): its customer and words come first.
  const quoteRequestId = kind === 'estimate' && !id ? params.get('quoteRequest') : null;
  const quoteRequest = useSWR(quoteRequestId ? ['quote-request', quoteRequestId] : null, () =>
    data(api.GET('/api/v1/quote-requests/{id}', { params: { path: { id: quoteRequestId ?? '' } } })),
  );
  const existing = useSWR(
    id ? [kind, id] : null,
    (): Promise<InvoiceData | EstimateData> =>
      kind === 'invoice'
        ? data(api.GET('/api/v1/invoices/{id}', { params: { path: { id: id ?? '' } } }))
        : data(api.GET('/api/v1/estimates/{id}', { params: { path: { id: id ?? '' } } })),
  );
  const customers = useCustomers();
  const taxes = useSWR(['taxes', 'picker'], () =>
    data(api.GET('/api/v1/taxes', { params: { query: { limit: 100 } } })),
  );
  const failed = existing.error ?? customers.error ?? taxes.error ?? quoteRequest.error;
  if (failed) {
    if (failed instanceof ApiError && failed.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => Promise.all([existing.mutate(), customers.mutate(), taxes.mutate()])} />;
  }
  if ((id && !existing.data) || !customers.data || !taxes.data || (quoteRequestId && !quoteRequest.data)) {
    return <Skeleton />;
  }
  return (
    <Editor
      kind={kind}
      document={existing.data}
      customers={customers.data.data}
      taxes={taxes.data.data}
      quoteRequest={quoteRequest.data}
    />
  );
}

function draftOf(
  kind: Kind,
  doc: InvoiceData | EstimateData | undefined,
  customerId: string,
  quoteRequest?: QuoteRequestData,
): Draft {
  if (!doc) {
    return {
      customerId: quoteRequest?.customer.id ?? customerId,
      issueDate: '',
      endDate: '',
      reference: '',
      // The request's description is the estimate's subject (up to the subject's 250 characters), its details the notes.
      subject: quoteRequest?.description.slice(0, 250) ?? '',
      notes: quoteRequest?.details ?? '',
      terms: '',
      discountType: '',
      discountValue: '',
      discountAfterTax: false,
      shipping: '',
      adjustment: '',
      adjustmentLabel: '',
      lines: [emptyLine(1)],
    };
  }
  const c = doc.currency;
  const end = kind === 'invoice' ? (doc as InvoiceData).dueDate : ((doc as EstimateData).expiryDate ?? '');
  return {
    customerId: doc.customer.id,
    issueDate: doc.issueDate,
    endDate: end,
    reference: doc.reference ?? '',
    subject: doc.subject ?? '',
    notes: doc.notes ?? '',
    terms: doc.terms ?? '',
    discountType: doc.discount?.type ?? '',
    discountValue: !doc.discount
      ? ''
      : doc.discount.type === 'percent'
        ? doc.discount.value
        : moneyText(doc.discount.value, c),
    discountAfterTax: !doc.discountBeforeTax,
    shipping: moneyText(doc.shipping, c, true),
    adjustment: moneyText(doc.adjustment, c, true),
    adjustmentLabel: doc.adjustmentLabel ?? '',
    lines: doc.lines.map((line, index) => ({
      key: index + 1,
      name: line.name,
      description: line.description ?? '',
      quantity: line.quantity,
      rate: moneyText(line.rate, c),
      discountType: line.discount?.type ?? '',
      discountValue: !line.discount
        ? ''
        : line.discount.type === 'percent'
          ? line.discount.value
          : moneyText(line.discount.value, c),
      taxId: line.taxId ?? '',
    })),
  };
}

const emptyLine = (key: number): LineDraft => ({
  key,
  name: '',
  description: '',
  quantity: '1',
  rate: '',
  discountType: '',
  discountValue: '',
  taxId: '',
});

/** The draft as the API's priced input, or the fields that cannot be read (by API path). */
/** A quantity or a percentage as the API takes it: up to 12 digits and 4 decimals, a comma read as the point. */
const DECIMAL = /^\d{1,12}(\.\d{1,4})?$/;

function pricingOf(
  draft: Draft,
  currency: string,
  t: (key: 'edit.badAmount' | 'edit.badQuantity' | 'edit.badPercent') => string,
) {
  const errors: Record<string, string> = {};
  const money = (text: string, path: string, signed = false) => {
    const value = parseMoney(text, currency, signed);
    if (value === null) errors[path] = t('edit.badAmount');
    return value ?? 0;
  };
  // Checked here, in the business's words, before any request: the API's own answer names a pattern.
  const decimal = (text: string, path: string, message: 'edit.badQuantity' | 'edit.badPercent') => {
    const value = text.trim().replace(',', '.');
    if (!DECIMAL.test(value) || (message === 'edit.badPercent' && Number(value) > 100)) errors[path] = t(message);
    return value;
  };
  const discountOf = (type: LineDraft['discountType'], value: string, path: string) => {
    if (type === '' || value.trim() === '') return null;
    if (type === 'percent') return { type, value: decimal(value, `${path}/value`, 'edit.badPercent') };
    return { type, value: money(value, `${path}/value`) };
  };
  const pricing: Pricing = {
    lines: draft.lines.map((line, index) => ({
      name: line.name.trim() || '—',
      description: orNull(line.description),
      quantity: decimal(line.quantity, `/lines/${index}/quantity`, 'edit.badQuantity'),
      rate: money(line.rate, `/lines/${index}/rate`),
      discount: discountOf(line.discountType, line.discountValue, `/lines/${index}/discount`),
      taxId: line.taxId || null,
    })),
    discount: discountOf(draft.discountType, draft.discountValue, '/discount'),
    discountBeforeTax: !draft.discountAfterTax,
    shipping: money(draft.shipping, '/shipping'),
    adjustment: money(draft.adjustment, '/adjustment', true),
    adjustmentLabel: orNull(draft.adjustmentLabel),
  };
  return { pricing, errors };
}

function Editor(props: {
  kind: Kind;
  document?: InvoiceData | EstimateData;
  customers: Array<{ id: string; displayName: string; currency: string }>;
  taxes: Array<{ id: string; name: string; rate: string }>;
  quoteRequest?: QuoteRequestData;
}) {
  const { kind, document: doc, quoteRequest } = props;
  const { t } = useI18n();
  const office = useBackOffice();
  const navigate = useNavigate();
  const { mutate } = useSWRConfig();
  const [params] = useSearchParams();
  const form = useFormErrors();
  const nextKey = useRef((doc?.lines.length ?? 1) + 1);
  const [draft, setDraft] = useState<Draft>(() => draftOf(kind, doc, params.get('customerId') ?? '', quoteRequest));
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<{ totals?: Preview; error?: string; pending: boolean }>({ pending: false });

  const customer = props.customers.find((c) => c.id === draft.customerId);
  const currency = doc?.currency ?? customer?.currency ?? office.organization.baseCurrency;
  const { pricing, errors: localErrors } = useMemo(() => pricingOf(draft, currency, t), [draft, currency, t]);
  const list = kind === 'invoice' ? 'invoices' : 'estimates';
  // An estimate the client declined or asked changes to: saved, then re-sent.
  const changeRequest = kind === 'estimate' ? (doc as EstimateData | undefined)?.changeRequest : null;
  const declined = kind === 'estimate' && (doc?.status === 'declined' || doc?.status === 'changes_requested');
  const editingSent = doc !== undefined && doc.status !== 'draft' && !declined;
  // What the API offers on the document: editing it, and sending it once saved (a draft, a declined estimate).
  const editable = !doc || offers(doc, 'edit');
  const sendable = !doc || offers(doc, 'send');

  // Live totals: the server prices the draft a moment after the user stops typing; older answers are dropped.
  const previewKey = JSON.stringify(pricing);
  const sequence = useRef(0);
  useEffect(() => {
    if (Object.keys(localErrors).length > 0) {
      setPreview({ pending: false, error: t('edit.previewFix') });
      return;
    }
    const mine = ++sequence.current;
    setPreview((current) => ({ ...current, pending: true }));
    const timer = setTimeout(async () => {
      const body: PreviewBody = {
        ...(JSON.parse(previewKey) as Pricing),
        ...(doc
          ? kind === 'invoice'
            ? { invoiceId: doc.id }
            : { estimateId: doc.id }
          : draft.customerId
            ? { customerId: draft.customerId }
            : { currency }),
      };
      try {
        const totals = await data(api.POST('/api/v1/documents/preview', { body }));
        if (mine === sequence.current) setPreview({ totals, pending: false });
      } catch (caught) {
        if (mine !== sequence.current) return;
        const detail =
          caught instanceof ApiError && caught.status === 400
            ? (caught.errors[0]?.message ?? caught.message)
            : t('app.error');
        setPreview({ error: detail, pending: false });
      }
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [previewKey, localErrors, doc, kind, draft.customerId, currency, t]);

  const set = <K extends keyof Draft>(field: K, value: Draft[K]) => setDraft((d) => ({ ...d, [field]: value }));
  const setLine = (key: number, change: Partial<LineDraft>) =>
    setDraft((d) => ({ ...d, lines: d.lines.map((line) => (line.key === key ? { ...line, ...change } : line)) }));

  function check(): Record<string, string> {
    const found: Record<string, string> = { ...localErrors };
    if (!draft.customerId) found['/customerId'] = t('form.required');
    draft.lines.forEach((line, index) => {
      if (!line.name.trim()) found[`/lines/${index}/name`] = t('form.required');
    });
    return found;
  }

  async function save(event: FormEvent<HTMLFormElement> | null, send: boolean) {
    event?.preventDefault();
    form.clear();
    if (!form.local(check())) return;
    setBusy(true);
    const fields = {
      reference: orNull(draft.reference),
      subject: orNull(draft.subject),
      notes: orNull(draft.notes),
      terms: orNull(draft.terms),
      ...(draft.issueDate ? { issueDate: draft.issueDate } : {}),
      ...pricing,
    };
    const end =
      kind === 'invoice'
        ? draft.endDate
          ? { dueDate: draft.endDate }
          : {}
        : { expiryDate: draft.endDate ? draft.endDate : doc ? null : undefined };
    try {
      let savedId: string;
      let fresh: InvoiceData | EstimateData;
      if (kind === 'invoice') {
        const saved = doc
          ? await data(
              api.PATCH('/api/v1/invoices/{id}', { params: { path: { id: doc.id } }, body: { ...fields, ...end } }),
            )
          : await data(api.POST('/api/v1/invoices', { body: { customerId: draft.customerId, ...fields, ...end } }));
        savedId = saved.id;
        fresh = send
          ? await data(api.POST('/api/v1/invoices/{id}/send', { params: { path: { id: savedId } } }))
          : saved;
      } else {
        const expiry = end as { expiryDate?: string | null };
        const body = { ...fields, ...(expiry.expiryDate !== undefined ? { expiryDate: expiry.expiryDate } : {}) };
        const saved = doc
          ? await data(api.PATCH('/api/v1/estimates/{id}', { params: { path: { id: doc.id } }, body }))
          : await data(
              api.POST('/api/v1/estimates', {
                body: {
                  customerId: draft.customerId,
                  ...(quoteRequest ? { quoteRequestId: quoteRequest.id } : {}),
                  ...body,
                },
              }),
            );
        savedId = saved.id;
        fresh = send
          ? await data(api.POST('/api/v1/estimates/{id}/send', { params: { path: { id: savedId } } }))
          : saved;
      }
      // The document as saved, under the key its page reads, so the page shows it at once.
      refresh(mutate, list, 'history', 'customer', 'quote-requests', 'quote-request');
      await mutate([kind, savedId], fresh, { revalidate: false });
      navigate(`/${list}/${savedId}`);
    } catch (caught) {
      setBusy(false);
      // Dates are one field in the form whichever document it is.
      form.fromApi(caught, (path) => (path === '/dueDate' || path === '/expiryDate' ? '/endDate' : path));
    }
  }

  const err = (path: string) => form.errors[path];
  const known = new Set<string>([
    '/customerId',
    '/issueDate',
    '/endDate',
    '/reference',
    '/subject',
    '/notes',
    '/terms',
  ]);
  for (const path of ['/discount/value', '/shipping', '/adjustment', '/adjustmentLabel']) known.add(path);
  draft.lines.forEach((_line, i) => {
    for (const f of ['name', 'description', 'quantity', 'rate', 'discount/value', 'taxId'])
      known.add(`/lines/${i}/${f}`);
  });
  const orphans = Object.entries(form.errors).filter(([path]) => !known.has(path));

  const taxOptions: Array<[string, string]> = [
    ['', t('edit.noTax')],
    ...props.taxes.map((tax): [string, string] => [tax.id, `${tax.name} (${tax.rate}%)`]),
  ];
  const discountOptions: Array<[string, string]> = [
    ['', t('edit.noDiscount')],
    ['percent', t('edit.percent')],
    ['amount', t('edit.amount', { currency })],
  ];
  const totals = preview.totals;
  const title = doc
    ? t(kind === 'invoice' ? 'edit.editInvoice' : 'edit.editEstimate', { number: doc.number })
    : t(kind === 'invoice' ? 'edit.newInvoice' : 'edit.newEstimate');

  if (doc && !editable) {
    return (
      <section>
        <h1>{title}</h1>
        <p className="notice">{t('edit.notEditable')}</p>
        <Link to={`/${list}/${doc.id}`}>{t('doc.backTo', { list: doc.number })}</Link>
      </section>
    );
  }
  return (
    <section className="document-form">
      <p className="small">
        <Link to={doc ? `/${list}/${doc.id}` : `/${list}`}>
          {t('doc.backTo', { list: doc ? doc.number : t(`${list}.title`) })}
        </Link>
      </p>
      <h1>{title}</h1>
      {changeRequest ? (
        <p className="notice warning pre-line">{t('edit.changesRequestedHint', { message: changeRequest.message })}</p>
      ) : (
        declined && <p className="notice">{t('edit.declinedHint')}</p>
      )}
      {quoteRequest && (
        <p className="notice pre-line">{t('edit.fromQuoteRequest', { description: quoteRequest.description })}</p>
      )}
      {editingSent && <p className="notice">{t('edit.sentHint')}</p>}
      <form onSubmit={(event) => save(event, false)} noValidate>
        <FormSummary form={form} />
        {orphans.length > 0 && (
          <ul className="notice error">
            {orphans.map(([path, message]) => (
              <li key={path}>{message}</li>
            ))}
          </ul>
        )}
        <div className="form-grid">
          <SelectField
            path="/customerId"
            label={t('doc.customer')}
            value={draft.customerId}
            disabled={doc !== undefined}
            error={err('/customerId')}
            onChange={(value) => set('customerId', value)}
            options={[
              ['', t('edit.pickCustomer')],
              ...props.customers.map((c): [string, string] => [c.id, `${c.displayName} (${c.currency})`]),
            ]}
          />
          <Field
            path="/reference"
            label={t('edit.reference')}
            value={draft.reference}
            maxLength={100}
            error={err('/reference')}
            onChange={(value) => set('reference', value)}
          />
          <Field
            path="/issueDate"
            type="date"
            label={t('edit.issueDate')}
            value={draft.issueDate}
            hint={doc ? undefined : t('edit.todayHint')}
            error={err('/issueDate')}
            onChange={(value) => set('issueDate', value)}
          />
          <Field
            path="/endDate"
            type="date"
            label={t(kind === 'invoice' ? 'edit.dueDate' : 'edit.expiryDate')}
            value={draft.endDate}
            hint={doc ? undefined : t(kind === 'invoice' ? 'edit.dueHint' : 'edit.expiryHint')}
            error={err('/endDate')}
            onChange={(value) => set('endDate', value)}
          />
          <Field
            path="/subject"
            className="wide-field"
            label={t('edit.subject')}
            value={draft.subject}
            maxLength={250}
            error={err('/subject')}
            onChange={(value) => set('subject', value)}
          />
        </div>

        <fieldset className="line-drafts">
          <legend>{t('edit.lines')}</legend>
          {draft.lines.map((line, index) => (
            <fieldset key={line.key} className="line-draft">
              <legend>{t('edit.line', { n: index + 1 })}</legend>
              <div className="line-grid">
                <Field
                  path={`/lines/${index}/name`}
                  className="line-name"
                  required
                  label={t('edit.itemName')}
                  value={line.name}
                  maxLength={200}
                  error={err(`/lines/${index}/name`)}
                  onChange={(value) => setLine(line.key, { name: value })}
                />
                <Field
                  path={`/lines/${index}/quantity`}
                  required
                  inputMode="decimal"
                  label={t('doc.quantity')}
                  value={line.quantity}
                  error={err(`/lines/${index}/quantity`)}
                  onChange={(value) => setLine(line.key, { quantity: value })}
                />
                <Field
                  path={`/lines/${index}/rate`}
                  required
                  inputMode="decimal"
                  label={t('edit.rate', { currency })}
                  value={line.rate}
                  error={err(`/lines/${index}/rate`)}
                  onChange={(value) => setLine(line.key, { rate: value })}
                />
                <SelectField
                  path={`/lines/${index}/discount/type`}
                  label={t('edit.lineDiscount')}
                  value={line.discountType}
                  options={discountOptions}
                  onChange={(value) => setLine(line.key, { discountType: value as LineDraft['discountType'] })}
                />
                {line.discountType && (
                  <Field
                    path={`/lines/${index}/discount/value`}
                    required
                    inputMode="decimal"
                    label={t(line.discountType === 'percent' ? 'edit.discountPercent' : 'edit.discountAmount')}
                    value={line.discountValue}
                    error={err(`/lines/${index}/discount/value`)}
                    onChange={(value) => setLine(line.key, { discountValue: value })}
                  />
                )}
                <SelectField
                  path={`/lines/${index}/taxId`}
                  label={t('edit.tax')}
                  value={line.taxId}
                  options={taxOptions}
                  error={err(`/lines/${index}/taxId`)}
                  onChange={(value) => setLine(line.key, { taxId: value })}
                />
                <Field
                  path={`/lines/${index}/description`}
                  className="line-description"
                  multiline
                  label={t('edit.description')}
                  value={line.description}
                  maxLength={2000}
                  error={err(`/lines/${index}/description`)}
                  onChange={(value) => setLine(line.key, { description: value })}
                />
              </div>
              <div className="line-foot">
                <p className="line-amount">
                  <span className="muted">{t('doc.amount')}</span>{' '}
                  {totals?.lines[index] ? <Money amount={totals.lines[index].net} currency={totals.currency} /> : '—'}
                </p>
                {draft.lines.length > 1 && (
                  <button
                    type="button"
                    className="button link danger"
                    onClick={() =>
                      setDraft((d) => ({ ...d, lines: d.lines.filter((other) => other.key !== line.key) }))
                    }
                  >
                    {t('edit.removeLine', { n: index + 1 })}
                  </button>
                )}
              </div>
            </fieldset>
          ))}
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              const key = nextKey.current++;
              setDraft((d) => ({ ...d, lines: [...d.lines, emptyLine(key)] }));
              // Focus the new line's name once it is rendered.
              setTimeout(() => document.getElementById(fieldId(`/lines/${draft.lines.length}/name`))?.focus(), 0);
            }}
          >
            {t('edit.addLine')}
          </button>
        </fieldset>

        <div className="editor-bottom">
          <fieldset className="form-section pricing-terms">
            <legend>{t('edit.adjustments')}</legend>
            <div className="form-grid">
              <SelectField
                path="/discount/type"
                label={t('edit.documentDiscount')}
                value={draft.discountType}
                options={discountOptions}
                onChange={(value) => set('discountType', value as Draft['discountType'])}
              />
              {draft.discountType && (
                <Field
                  path="/discount/value"
                  required
                  inputMode="decimal"
                  label={t(draft.discountType === 'percent' ? 'edit.discountPercent' : 'edit.discountAmount')}
                  value={draft.discountValue}
                  error={err('/discount/value')}
                  onChange={(value) => set('discountValue', value)}
                />
              )}
              {draft.discountType && (
                <label className="checkbox wide-field">
                  <input
                    type="checkbox"
                    checked={draft.discountAfterTax}
                    onChange={(event) => set('discountAfterTax', event.target.checked)}
                  />
                  {t('edit.discountAfterTax')}
                </label>
              )}
              <Field
                path="/shipping"
                inputMode="decimal"
                label={t('edit.shipping', { currency })}
                value={draft.shipping}
                error={err('/shipping')}
                onChange={(value) => set('shipping', value)}
              />
              <Field
                path="/adjustment"
                inputMode="decimal"
                label={t('edit.adjustment', { currency })}
                hint={t('edit.adjustmentHint')}
                value={draft.adjustment}
                error={err('/adjustment')}
                onChange={(value) => set('adjustment', value)}
              />
              <Field
                path="/adjustmentLabel"
                label={t('edit.adjustmentLabel')}
                value={draft.adjustmentLabel}
                maxLength={100}
                error={err('/adjustmentLabel')}
                onChange={(value) => set('adjustmentLabel', value)}
              />
            </div>
          </fieldset>

          <section className="live-totals card" aria-labelledby="live-totals-title">
            <h2 id="live-totals-title" className="h3">
              {t('edit.totals')}
            </h2>
            {totals ? (
              <dl className="totals" aria-busy={preview.pending}>
                <TotalRow label={t('doc.subtotal')} amount={totals.subtotal} currency={totals.currency} />
                {totals.discountTotal > 0 && (
                  <TotalRow label={t('doc.discount')} amount={-totals.discountTotal} currency={totals.currency} />
                )}
                {totals.taxes.map((tax) => (
                  <TotalRow
                    key={tax.rate}
                    label={`${tax.names.join(', ')} (${tax.rate}%)`}
                    amount={tax.amount}
                    currency={totals.currency}
                  />
                ))}
                {totals.shipping !== 0 && (
                  <TotalRow label={t('doc.shipping')} amount={totals.shipping} currency={totals.currency} />
                )}
                {totals.adjustment !== 0 && (
                  <TotalRow
                    label={draft.adjustmentLabel.trim() || t('edit.adjustmentDefault')}
                    amount={totals.adjustment}
                    currency={totals.currency}
                  />
                )}
                <TotalRow label={t('doc.total')} amount={totals.total} currency={totals.currency} strong />
              </dl>
            ) : (
              !preview.error && <p className="muted">{t('app.loading')}</p>
            )}
            <div role="status" aria-live="polite" className="small">
              {preview.error ? (
                <p className="field-error">{preview.error}</p>
              ) : totals && !preview.pending ? (
                <span className="visually-hidden">
                  {t('edit.totalIs', { total: formatMoney(totals.total, totals.currency, office.locale) })}
                </span>
              ) : null}
            </div>
            <p className="muted small">{t('edit.serverRules')}</p>
          </section>
        </div>

        <div className="form-grid">
          <Field
            path="/notes"
            multiline
            className="wide-field"
            label={t('doc.notes')}
            value={draft.notes}
            maxLength={5000}
            error={err('/notes')}
            onChange={(value) => set('notes', value)}
          />
          <Field
            path="/terms"
            multiline
            className="wide-field"
            label={t('doc.terms')}
            value={draft.terms}
            maxLength={5000}
            error={err('/terms')}
            onChange={(value) => set('terms', value)}
          />
        </div>

        <div className="actions">
          <button type="submit" className="button secondary" disabled={busy}>
            {busy ? t('app.saving') : editingSent || declined ? t('edit.save') : t('edit.saveDraft')}
          </button>
          {sendable && (
            <button type="button" className="button primary" disabled={busy} onClick={() => save(null, true)}>
              {declined ? t('edit.saveAndResend') : t('edit.saveAndSend')}
            </button>
          )}
          <Link to={doc ? `/${list}/${doc.id}` : `/${list}`} className="button link">
            {t('app.cancel')}
          </Link>
        </div>
      </form>
    </section>
  );
}
