import { type FormEvent, type ReactNode, useId, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import useSWR, { useSWRConfig } from 'swr';
import { LANGUAGE_NAMES, LANGUAGES } from '../../../src/domain/languages.js';
import { ApiError, api, data } from '../../ui/api.js';
import type { paths } from '../../ui/api-types.js';
import { refresh } from '../../ui/cache.js';
import { CountrySelect } from '../../ui/country-select.js';
import { AddressFields, addressBody, addressText, isBlankAddress, sameAddress } from '../components/address-fields.js';
import { ErrorScreen } from '../components/error-screen.js';
import { Skeleton } from '../components/skeleton.js';
import { useI18n } from '../i18n.js';
import type { MessageKey } from '../messages/en.js';
import { customerKey } from './customer.js';
import NotFound from './not-found.js';

type CustomerData = paths['/api/v1/customers/{id}']['get']['responses'][200]['content']['application/json'];

const FIELDS = [
  'displayName',
  'companyName',
  'email',
  'phone',
  'website',
  'currency',
  'paymentTermsDays',
  'notes',
] as const;
type Field = (typeof FIELDS)[number];
const CONTACT_FIELDS = ['firstName', 'lastName', 'email', 'phone'] as const;
type ContactField = (typeof CONTACT_FIELDS)[number];

/** A contact person's fields as the form holds them: text, and their language ('' follows the organization). */
type ContactValues = Record<ContactField | 'language', string>;

interface ContactDraft {
  key: number;
  id?: string;
  values: ContactValues;
  original?: ContactValues;
}

const LABELS: Record<Field, MessageKey> = {
  displayName: 'form.displayName',
  companyName: 'form.companyName',
  email: 'form.email',
  phone: 'form.phone',
  website: 'form.website',
  currency: 'form.currency',
  paymentTermsDays: 'form.paymentTerms',
  notes: 'form.notes',
};
const CONTACT_LABELS: Record<ContactField, MessageKey> = {
  firstName: 'form.firstName',
  lastName: 'form.lastName',
  email: 'form.email',
  phone: 'form.phone',
};

const emptyContact = (key: number): ContactDraft => ({
  key,
  values: { firstName: '', lastName: '', email: '', phone: '', language: '' },
});

/** Text → the API's value: trimmed, and null when empty (an optional field left blank). */
const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

/** Create a customer with contact persons (`/customers/new`) or edit one (`/customers/:id/edit`). */
export default function CustomerForm() {
  const { id } = useParams();
  const existing = useSWR(id ? customerKey(id) : null, () =>
    data(api.GET('/api/v1/customers/{id}', { params: { path: { id: id ?? '' } } })),
  );
  if (!id) return <Form />;
  if (existing.error) {
    if (existing.error instanceof ApiError && existing.error.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => existing.mutate()} />;
  }
  if (!existing.data) return <Skeleton />;
  return <Form customer={existing.data} />;
}

function Form({ customer }: { customer?: CustomerData }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { mutate } = useSWRConfig();
  const ids = useId();
  const summary = useRef<HTMLParagraphElement>(null);
  const nextKey = useRef(1);
  const [values, setValues] = useState<Record<Field, string>>(() => ({
    displayName: customer?.displayName ?? '',
    companyName: customer?.companyName ?? '',
    email: customer?.email ?? '',
    phone: customer?.phone ?? '',
    website: customer?.website ?? '',
    currency: customer?.currency ?? '',
    paymentTermsDays: customer?.paymentTermsDays == null ? '' : String(customer.paymentTermsDays),
    notes: customer?.notes ?? '',
  }));
  // What e-invoices need of the customer (docs/e-invoices.md).
  const [eInvoice, setEInvoice] = useState({
    countryCode: customer?.countryCode ?? '',
    taxId: customer?.taxId ?? '',
    peppolId: customer?.peppolId ?? '',
  });
  const [billing, setBilling] = useState(() => addressText(customer?.billingAddress));
  const [shipping, setShipping] = useState(() => addressText(customer?.shippingAddress));
  // "Same as billing address" sends the billing address as the shipping one too; a blank shipping address is
  // folded away until asked for (documents then show no "Ship to").
  const [shipsToBilling, setShipsToBilling] = useState(
    () => !isBlankAddress(shipping) && sameAddress(shipping, billing),
  );
  const [shippingOpen, setShippingOpen] = useState(() => !isBlankAddress(shipping));
  const [contacts, setContacts] = useState<ContactDraft[]>(() =>
    customer
      ? customer.contactPersons.map((person) => {
          const current = {
            firstName: person.firstName,
            lastName: person.lastName ?? '',
            email: person.email ?? '',
            phone: person.phone ?? '',
            language: person.language ?? '',
          };
          return { key: nextKey.current++, id: person.id, values: current, original: current };
        })
      : [emptyContact(nextKey.current++)],
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const fieldId = (path: string) => `${ids}${path.replaceAll('/', '-')}`;

  function customerBody() {
    const terms = values.paymentTermsDays.trim();
    return {
      displayName: values.displayName.trim(),
      companyName: orNull(values.companyName),
      email: orNull(values.email),
      phone: orNull(values.phone),
      website: orNull(values.website),
      ...(values.currency.trim() ? { currency: values.currency.trim().toUpperCase() } : {}),
      paymentTermsDays: terms === '' ? null : Number(terms),
      notes: orNull(values.notes),
      billingAddress: addressBody(billing),
      shippingAddress: addressBody(shipsToBilling ? billing : shipping),
      countryCode: orNull(eInvoice.countryCode),
      taxId: orNull(eInvoice.taxId),
      peppolId: orNull(eInvoice.peppolId),
    };
  }
  const contactBody = (draft: ContactDraft) => ({
    firstName: draft.values.firstName.trim(),
    lastName: orNull(draft.values.lastName),
    email: orNull(draft.values.email),
    phone: orNull(draft.values.phone),
    language: LANGUAGES.find((language) => language === draft.values.language) ?? null,
  });

  function check(): Record<string, string> {
    const found: Record<string, string> = {};
    if (!values.displayName.trim()) found['/displayName'] = t('form.required');
    contacts.forEach((draft, index) => {
      if (!draft.values.firstName.trim()) found[`/contactPersons/${index}/firstName`] = t('form.required');
    });
    return found;
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFailure(null);
    const found = check();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setFailure(t('form.invalid'));
      summary.current?.focus();
      return;
    }
    setBusy(true);
    try {
      let customerId: string;
      if (!customer) {
        const created = await data(
          api.POST('/api/v1/customers', {
            body: {
              ...customerBody(),
              contactPersons: contacts.map((draft, index) => ({ ...contactBody(draft), isPrimary: index === 0 })),
            },
          }),
        );
        customerId = created.id;
      } else {
        customerId = customer.id;
        await data(api.PATCH('/api/v1/customers/{id}', { params: { path: { id: customerId } }, body: customerBody() }));
        for (const [index, draft] of contacts.entries()) {
          try {
            if (!draft.id) {
              await data(
                api.POST('/api/v1/customers/{id}/contact-persons', {
                  params: { path: { id: customerId } },
                  body: contactBody(draft),
                }),
              );
            } else if (JSON.stringify(draft.values) !== JSON.stringify(draft.original)) {
              await data(
                api.PATCH('/api/v1/customers/{id}/contact-persons/{contactPersonId}', {
                  params: { path: { id: customerId, contactPersonId: draft.id } },
                  body: contactBody(draft),
                }),
              );
            }
          } catch (caught) {
            // Name the contact person's fields as the create body would (`/contactPersons/<n>/…`).
            if (caught instanceof ApiError) {
              throw new ApiError(
                caught.status,
                caught.code,
                caught.message,
                caught.errors.map((error) => ({ ...error, path: `/contactPersons/${index}${error.path}` })),
              );
            }
            throw caught;
          }
        }
      }
      refresh(mutate, 'customers');
      // The customer as it is now (contact persons included), so its page shows it without a second fetch.
      const fresh = await data(api.GET('/api/v1/customers/{id}', { params: { path: { id: customerId } } }));
      await mutate(customerKey(customerId), fresh, { revalidate: false });
      navigate(`/customers/${customerId}`);
    } catch (caught) {
      setBusy(false);
      if (caught instanceof ApiError && caught.status === 400 && caught.errors.length > 0) {
        setErrors(Object.fromEntries(caught.errors.map((error) => [error.path, error.message])));
        setFailure(t('form.invalid'));
      } else {
        setFailure(caught instanceof ApiError && caught.status !== 500 ? caught.message : t('app.error'));
      }
      summary.current?.focus();
    }
  }

  const input = (path: string, label: string, value: string, onChange: (value: string) => void, extra: Extra = {}) => (
    <TextField id={fieldId(path)} label={label} value={value} onChange={onChange} error={errors[path]} {...extra} />
  );

  return (
    <section>
      <h1>{customer ? t('form.editTitle', { name: customer.displayName }) : t('form.newTitle')}</h1>
      <form className="customer-form" onSubmit={submit} noValidate>
        <p ref={summary} tabIndex={-1} className={failure ? 'notice error' : 'visually-hidden'} role="alert">
          {failure}
        </p>
        <div className="form-grid">
          {FIELDS.map((field) =>
            input(
              `/${field}`,
              t(LABELS[field]),
              values[field],
              (value) => setValues((current) => ({ ...current, [field]: value })),
              EXTRAS[field]
                ? { ...EXTRAS[field], hint: field === 'currency' ? t('form.currencyHint') : undefined }
                : {},
            ),
          )}
        </div>
        <AddressFields
          legend={t('address.billing')}
          path="/billingAddress"
          value={billing}
          onChange={setBilling}
          errors={errors}
          section="billing"
        />
        <AddressFields
          legend={t('address.shipping')}
          path="/shippingAddress"
          value={shipping}
          onChange={setShipping}
          errors={errors}
          section="shipping"
          showLines={!shipsToBilling && shippingOpen}
        >
          <label className="checkbox">
            <input
              type="checkbox"
              checked={shipsToBilling}
              onChange={(event) => {
                setShipsToBilling(event.target.checked);
                if (!event.target.checked) setShippingOpen(true);
              }}
            />
            {t('address.sameAsBilling')}
          </label>
          {!shipsToBilling && !shippingOpen && (
            <p className="muted small">
              {t('address.noShipping')}{' '}
              <button type="button" className="button link" onClick={() => setShippingOpen(true)}>
                {t('address.addShipping')}
              </button>
            </p>
          )}
        </AddressFields>
        <fieldset className="form-section">
          <legend>{t('eInvoice.customerSection')}</legend>
          {/* Full width: country names run long ("South Georgia & South Sandwich Islands"). */}
          <div className="field">
            <label htmlFor={fieldId('/countryCode')}>{t('eInvoice.country')}</label>
            <CountrySelect
              id={fieldId('/countryCode')}
              name="countryCode"
              value={eInvoice.countryCode}
              onChange={(countryCode) => setEInvoice((current) => ({ ...current, countryCode }))}
              emptyLabel={t('eInvoice.noCountry')}
            />
          </div>
          <div className="form-grid">
            {input('/taxId', t('eInvoice.taxId'), eInvoice.taxId, (taxId) =>
              setEInvoice((current) => ({ ...current, taxId })),
            )}
            {input(
              '/peppolId',
              t('eInvoice.peppolId'),
              eInvoice.peppolId,
              (peppolId) => setEInvoice((current) => ({ ...current, peppolId })),
              { hint: t('eInvoice.peppolIdHint') },
            )}
          </div>
        </fieldset>
        <fieldset className="contacts-fieldset">
          <legend>{t('form.contacts')}</legend>
          {contacts.map((draft, index) => (
            <fieldset key={draft.key} className="contact-draft">
              <legend>{t('form.contact', { n: index + 1 })}</legend>
              <div className="form-grid">
                {CONTACT_FIELDS.map((field) =>
                  input(
                    `/contactPersons/${index}/${field}`,
                    t(CONTACT_LABELS[field]),
                    draft.values[field],
                    (value) =>
                      setContacts((current) =>
                        current.map((other) =>
                          other.key === draft.key ? { ...other, values: { ...other.values, [field]: value } } : other,
                        ),
                      ),
                    CONTACT_EXTRAS[field] ?? {},
                  ),
                )}
                <div className="field">
                  <label htmlFor={fieldId(`/contactPersons/${index}/language`)}>{t('form.contactLanguage')}</label>
                  <select
                    id={fieldId(`/contactPersons/${index}/language`)}
                    value={draft.values.language}
                    aria-describedby={`${fieldId(`/contactPersons/${index}/language`)}-hint`}
                    onChange={(event) =>
                      setContacts((current) =>
                        current.map((other) =>
                          other.key === draft.key
                            ? { ...other, values: { ...other.values, language: event.target.value } }
                            : other,
                        ),
                      )
                    }
                  >
                    <option value="">{t('form.contactLanguageDefault')}</option>
                    {LANGUAGES.map((language) => (
                      <option key={language} value={language} lang={language}>
                        {LANGUAGE_NAMES[language]}
                      </option>
                    ))}
                  </select>
                  <span id={`${fieldId(`/contactPersons/${index}/language`)}-hint`} className="muted small">
                    {t('form.contactLanguageHint')}
                  </span>
                </div>
              </div>
              {!draft.id && (
                <button
                  type="button"
                  className="button link"
                  onClick={() => setContacts((current) => current.filter((other) => other.key !== draft.key))}
                >
                  {t('form.removeContact', { n: index + 1 })}
                </button>
              )}
            </fieldset>
          ))}
          <button
            type="button"
            className="button secondary"
            onClick={() => setContacts((current) => [...current, emptyContact(nextKey.current++)])}
          >
            {t('form.addContact')}
          </button>
        </fieldset>
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t('app.saving') : customer ? t('app.save') : t('form.create')}
          </button>
          <Link to={customer ? `/customers/${customer.id}` : '/customers'} className="button secondary">
            {t('app.cancel')}
          </Link>
        </div>
      </form>
    </section>
  );
}

interface Extra {
  type?: 'text' | 'email' | 'tel' | 'url';
  required?: boolean;
  multiline?: boolean;
  autoComplete?: string;
  inputMode?: 'numeric';
  maxLength?: number;
  hint?: string;
}

const EXTRAS: Partial<Record<Field, Extra>> = {
  displayName: { required: true, maxLength: 200 },
  companyName: { autoComplete: 'organization', maxLength: 200 },
  email: { type: 'email', autoComplete: 'email' },
  phone: { type: 'tel', autoComplete: 'tel', maxLength: 40 },
  website: { maxLength: 200 },
  currency: { maxLength: 3 },
  paymentTermsDays: { inputMode: 'numeric', maxLength: 3 },
  notes: { multiline: true, maxLength: 5000 },
};
const CONTACT_EXTRAS: Partial<Record<ContactField, Extra>> = {
  firstName: { required: true, autoComplete: 'off', maxLength: 200 },
  lastName: { autoComplete: 'off', maxLength: 200 },
  email: { type: 'email', autoComplete: 'off' },
  phone: { type: 'tel', autoComplete: 'off', maxLength: 40 },
};

/** A labelled field; its error (and hint) tied to it with aria-describedby. */
function TextField(
  props: Extra & { id: string; label: string; value: string; onChange(value: string): void; error?: string },
) {
  const { t } = useI18n();
  const describedBy = [props.error ? `${props.id}-error` : '', props.hint ? `${props.id}-hint` : '']
    .filter(Boolean)
    .join(' ');
  const common = {
    id: props.id,
    value: props.value,
    maxLength: props.maxLength,
    required: props.required,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': describedBy || undefined,
  };
  let control: ReactNode;
  if (props.multiline) {
    control = <textarea {...common} rows={3} onChange={(event) => props.onChange(event.target.value)} />;
  } else {
    control = (
      <input
        {...common}
        type={props.type ?? 'text'}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        onChange={(event) => props.onChange(event.target.value)}
      />
    );
  }
  return (
    <div className={props.multiline ? 'field wide-field' : 'field'}>
      <label htmlFor={props.id}>
        {props.label}
        {!props.required && <span className="muted small"> {t('app.optional')}</span>}
      </label>
      {control}
      {props.hint && (
        <span id={`${props.id}-hint`} className="muted small">
          {props.hint}
        </span>
      )}
      {props.error && (
        <span id={`${props.id}-error`} className="field-error">
          {props.error}
        </span>
      )}
    </div>
  );
}
