import { type FormEvent, useState } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import type { paths } from '../../ui/api-types.js';
import { useI18n } from '../../ui/i18n.js';
import type { MessageKey } from '../../ui/messages/en.js';
import { ErrorScreen } from '../components/error-screen.js';
import { LanguageChoice } from '../components/language-choice.js';
import { Skeleton } from '../components/skeleton.js';
import { usePortal } from '../portal-context.js';
import { sessionKey } from '../session.js';

type Account = paths['/api/portal/{slug}/account']['get']['responses'][200]['content']['application/json'];
type Patch = NonNullable<paths['/api/portal/{slug}/account']['patch']['requestBody']>['content']['application/json'];
type Address = Account['customer']['billingAddress'];

/** A field of the form: where it lives in the API (its name is that path, dotted), its label, its limit. */
interface FieldSpec {
  name: string;
  label: MessageKey;
  max: number;
  type?: 'tel' | 'url' | 'text';
  autoComplete?: string;
  required?: boolean;
}

const PERSONAL: FieldSpec[] = [
  { name: 'contactPerson.salutation', label: 'account.salutation', max: 20, autoComplete: 'honorific-prefix' },
  { name: 'contactPerson.firstName', label: 'account.firstName', max: 200, autoComplete: 'given-name', required: true },
  { name: 'contactPerson.lastName', label: 'account.lastName', max: 200, autoComplete: 'family-name' },
  { name: 'contactPerson.phone', label: 'account.phone', max: 40, type: 'tel', autoComplete: 'tel' },
  { name: 'contactPerson.mobile', label: 'account.mobile', max: 40, type: 'tel', autoComplete: 'tel' },
  { name: 'contactPerson.designation', label: 'account.designation', max: 100, autoComplete: 'organization-title' },
];
const COMPANY: FieldSpec[] = [
  { name: 'customer.companyName', label: 'account.companyName', max: 200, autoComplete: 'organization' },
  { name: 'customer.phone', label: 'account.phone', max: 40, type: 'tel' },
  { name: 'customer.website', label: 'account.website', max: 200, type: 'url', autoComplete: 'url' },
];
const ADDRESS: Array<[keyof Address, MessageKey, number, string]> = [
  ['attention', 'account.attention', 200, 'name'],
  ['street1', 'account.street1', 200, 'address-line1'],
  ['street2', 'account.street2', 200, 'address-line2'],
  ['city', 'account.city', 100, 'address-level2'],
  ['state', 'account.state', 100, 'address-level1'],
  ['postalCode', 'account.postalCode', 20, 'postal-code'],
  ['country', 'account.country', 100, 'country-name'],
  ['phone', 'account.phone', 40, 'tel'],
];
const addressFields = (which: 'billingAddress' | 'shippingAddress'): FieldSpec[] =>
  ADDRESS.map(([key, label, max, autoComplete]) => ({
    name: `customer.${which}.${key}`,
    label,
    max,
    autoComplete: `${which === 'billingAddress' ? 'billing' : 'shipping'} ${autoComplete}`,
    type: key === 'phone' ? 'tel' : 'text',
  }));
const SECTIONS: Array<[MessageKey, FieldSpec[]]> = [
  ['account.personal', PERSONAL],
  ['account.company', COMPANY],
  ['account.billing', addressFields('billingAddress')],
  ['account.shipping', addressFields('shippingAddress')],
];

/** `customer.billingAddress.city` of the account. */
function valueAt(account: Account, name: string): string {
  let value: unknown = account;
  for (const part of name.split('.')) value = (value as Record<string, unknown> | null)?.[part];
  return typeof value === 'string' ? value : '';
}

/** The form as the PATCH body: nullable fields become null when emptied; an address keeps only its filled lines. */
function patchOf(form: FormData): Patch {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const orNull = (name: string) => text(name) || null;
  const address = (which: string) =>
    Object.fromEntries(
      ADDRESS.map(([key]) => [key, text(`customer.${which}.${key}`)]).filter(([, value]) => value !== ''),
    ) as Address;
  return {
    contactPerson: {
      salutation: orNull('contactPerson.salutation'),
      firstName: text('contactPerson.firstName'),
      lastName: orNull('contactPerson.lastName'),
      phone: orNull('contactPerson.phone'),
      mobile: orNull('contactPerson.mobile'),
      designation: orNull('contactPerson.designation'),
    },
    customer: {
      companyName: orNull('customer.companyName'),
      phone: orNull('customer.phone'),
      website: orNull('customer.website'),
      billingAddress: address('billingAddress'),
      shippingAddress: address('shippingAddress'),
    },
  };
}

const idOf = (name: string) => `field-${name.replaceAll('.', '-')}`;

/** My details: the person's and the company's, editable when the business allows it, else shown as they are. */
export default function AccountScreen() {
  const { t } = useI18n();
  const { slug, identity } = usePortal();
  const { mutate } = useSWRConfig();
  const account = useSWR(['account', slug], () =>
    data(api.GET('/api/portal/{slug}/account', { params: { path: { slug } } })),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  if (account.error) return <ErrorScreen retry={() => account.mutate()} />;
  if (!account.data) return <Skeleton />;
  const a = account.data;
  const business = identity.organization.name;

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = patchOf(new FormData(event.currentTarget));
    if (!body.contactPerson?.firstName) {
      setSaved(false);
      setErrors({ 'contactPerson.firstName': t('account.firstNameRequired') });
      setFailure(t('account.invalid'));
      return;
    }
    setBusy(true);
    setSaved(false);
    setFailure(null);
    setErrors({});
    try {
      const updated = await data(api.PATCH('/api/portal/{slug}/account', { params: { path: { slug } }, body }));
      await account.mutate(updated, { revalidate: false });
      // The name in the top bar comes from the session.
      mutate(sessionKey(slug));
      setSaved(true);
    } catch (caught) {
      if (caught instanceof ApiError && caught.errors.length > 0) {
        // "/customer/billingAddress/city" → the field named "customer.billingAddress.city".
        const byField: Record<string, string> = {};
        for (const error of caught.errors) byField[error.path.replace(/^\//, '').replaceAll('/', '.')] = error.message;
        setErrors(byField);
        setFailure(t('account.invalid'));
      } else {
        setFailure(caught instanceof ApiError ? caught.message : t('app.error'));
      }
    } finally {
      setBusy(false);
    }
  }

  const emailNote = (
    <p className="muted small">{t('account.emailNote', { email: a.contactPerson.email, name: business })}</p>
  );
  const languageChoice = <LanguageChoice chosen={a.language} onSaved={() => account.mutate()} />;
  if (!a.canEdit) {
    return (
      <section className="account-page">
        <h1>{t('account.title')}</h1>
        <p className="notice">{t('account.readOnly', { name: business })}</p>
        {emailNote}
        {SECTIONS.map(([title, fields]) => (
          <section key={title} className="card" aria-labelledby={idOf(title)}>
            <h2 id={idOf(title)}>{t(title)}</h2>
            <dl className="details">
              {fields
                .filter((field) => valueAt(a, field.name) !== '')
                .map((field) => (
                  <div key={field.name}>
                    <dt>{t(field.label)}</dt>
                    <dd>{valueAt(a, field.name)}</dd>
                  </div>
                ))}
            </dl>
          </section>
        ))}
        {languageChoice}
        <MyData slug={slug} />
      </section>
    );
  }

  const unplaced = Object.entries(errors).filter(([name]) => !SECTIONS.some(([, f]) => f.some((x) => x.name === name)));
  return (
    <section className="account-page">
      <h1>{t('account.title')}</h1>
      {emailNote}
      <form onSubmit={save} noValidate>
        {failure && (
          <div className="notice error" role="alert">
            <p>{failure}</p>
            {unplaced.length > 0 && (
              <ul>
                {unplaced.map(([name, message]) => (
                  <li key={name}>{message}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        {SECTIONS.map(([title, fields]) => (
          <fieldset key={title} className="card form-section">
            <legend>{t(title)}</legend>
            <div className="form-grid">
              {fields.map((field) => {
                const id = idOf(field.name);
                const error = errors[field.name];
                return (
                  <div key={field.name} className="field">
                    <label htmlFor={id}>{t(field.label)}</label>
                    <input
                      id={id}
                      name={field.name}
                      type={field.type ?? 'text'}
                      defaultValue={valueAt(a, field.name)}
                      maxLength={field.max}
                      required={field.required}
                      autoComplete={field.autoComplete}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? `${id}-error` : undefined}
                    />
                    {error && (
                      <p id={`${id}-error`} className="field-error">
                        {error}
                      </p>
                    )}
                  </div>
                );
              })}
            </div>
          </fieldset>
        ))}
        <p role="status" className={saved ? 'notice success' : 'visually-hidden'}>
          {saved ? t('account.saved') : ''}
        </p>
        <button type="submit" className="button primary" disabled={busy}>
          {t('account.save')}
        </button>
      </form>
      {languageChoice}
      <MyData slug={slug} />
    </section>
  );
}

/** "Download my data": my details, documents, payments and comments as a ZIP (GET …/export), streamed. */
function MyData({ slug }: { slug: string }) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="my-data">
      <h2 id="my-data">{t('account.myData')}</h2>
      <p className="muted small">{t('account.myDataHint')}</p>
      <a className="button secondary" href={`/api/portal/${encodeURIComponent(slug)}/export`} download>
        {t('account.downloadMyData')}
      </a>
    </section>
  );
}
