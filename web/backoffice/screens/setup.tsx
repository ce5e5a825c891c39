import { type FormEvent, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { useSWRConfig } from 'swr';
import { ApiError, api, data, setCsrfToken } from '../../ui/api.js';
import { useI18n } from '../i18n.js';
import { loadSession, SESSION_KEY } from '../session.js';

/** "Kōbe Works & Co." → "kobe-works-co", as the server's create-admin does. */
function slugFrom(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
}

const browserTimeZone = () => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
};

const FIELDS = [
  'organizationName',
  'portalName',
  'currency',
  'timeZone',
  'ownerName',
  'ownerEmail',
  'password',
] as const;
type Field = (typeof FIELDS)[number];

/** First run: the database is empty, so the first visitor creates the organization and its owner. */
export default function Setup() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { mutate } = useSWRConfig();
  const id = useId();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [visible, setVisible] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (field: Field) => String(form.get(field) ?? '').trim();
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const identity = await data(
        api.POST('/api/v1/setup', {
          body: {
            organizationName: value('organizationName'),
            portalName: value('portalName'),
            currency: value('currency').toUpperCase(),
            timeZone: value('timeZone'),
            ownerName: value('ownerName'),
            ownerEmail: value('ownerEmail'),
            password: String(form.get('password') ?? ''),
            ...(navigator.language.startsWith('fr') ? { locale: 'fr-FR' } : {}),
          },
        }),
      );
      setCsrfToken(identity.csrfToken);
      await mutate(['setup'], { needed: false }, { revalidate: false });
      await mutate(SESSION_KEY, loadSession(), { revalidate: false });
      navigate('/', { replace: true });
    } catch (caught) {
      if (caught instanceof ApiError && caught.status < 500) {
        const errors: Partial<Record<Field, string>> = {};
        for (const e of caught.errors) {
          const field = e.path.replace(/^\/(body\/)?/, '') as Field;
          if (FIELDS.includes(field)) errors[field] = e.message;
        }
        setFieldErrors(errors);
        setError(Object.keys(errors).length > 0 ? t('setup.fixFields') : caught.message);
      } else {
        setError(t('app.error'));
      }
      setBusy(false);
    }
  }

  const described = (field: Field, hint?: boolean) =>
    [hint ? `${id}-${field}-hint` : '', fieldErrors[field] ? `${id}-${field}-error` : ''].filter(Boolean).join(' ') ||
    undefined;
  const errorOf = (field: Field) =>
    fieldErrors[field] ? (
      <span id={`${id}-${field}-error`} className="field-error">
        {fieldErrors[field]}
      </span>
    ) : null;

  return (
    <main className="auth-page">
      <div className="auth-card setup-card">
        <p className="strong brand-word">{t('app.title')}</p>
        <h1>{t('setup.title')}</h1>
        <p className="muted small">{t('setup.intro')}</p>
        <form onSubmit={submit} noValidate={false}>
          {error && (
            <p className="notice error" role="alert">
              {error}
            </p>
          )}
          <fieldset className="form-section">
            <legend>{t('setup.organization')}</legend>
            <div className="field">
              <label htmlFor={`${id}-organizationName`}>{t('setup.organizationName')}</label>
              <input
                id={`${id}-organizationName`}
                name="organizationName"
                required
                maxLength={200}
                autoComplete="organization"
                value={name}
                aria-invalid={fieldErrors.organizationName ? true : undefined}
                aria-describedby={described('organizationName')}
                onChange={(event) => {
                  setName(event.target.value);
                  if (!slugEdited) setSlug(slugFrom(event.target.value));
                }}
              />
              {errorOf('organizationName')}
            </div>
            <div className="field">
              <label htmlFor={`${id}-portalName`}>{t('setup.portalName')}</label>
              <input
                id={`${id}-portalName`}
                name="portalName"
                required
                maxLength={60}
                pattern="[a-z0-9](?:[a-z0-9\-]{0,58}[a-z0-9])?"
                value={slug}
                aria-invalid={fieldErrors.portalName ? true : undefined}
                aria-describedby={described('portalName', true)}
                onChange={(event) => {
                  setSlug(event.target.value);
                  setSlugEdited(true);
                }}
              />
              <span id={`${id}-portalName-hint`} className="field-hint">
                {t('setup.portalNameHint', { url: `${location.origin}/portal/${slug || '…'}/` })}
              </span>
              {errorOf('portalName')}
            </div>
            <div className="form-grid">
              <div className="field">
                <label htmlFor={`${id}-currency`}>{t('setup.currency')}</label>
                <input
                  id={`${id}-currency`}
                  name="currency"
                  required
                  defaultValue="USD"
                  pattern="[A-Za-z]{3}"
                  maxLength={3}
                  aria-invalid={fieldErrors.currency ? true : undefined}
                  aria-describedby={described('currency', true)}
                />
                <span id={`${id}-currency-hint`} className="field-hint">
                  {t('setup.currencyHint')}
                </span>
                {errorOf('currency')}
              </div>
              <div className="field">
                <label htmlFor={`${id}-timeZone`}>{t('setup.timeZone')}</label>
                <input
                  id={`${id}-timeZone`}
                  name="timeZone"
                  required
                  defaultValue={browserTimeZone()}
                  maxLength={64}
                  aria-invalid={fieldErrors.timeZone ? true : undefined}
                  aria-describedby={described('timeZone', true)}
                />
                <span id={`${id}-timeZone-hint`} className="field-hint">
                  {t('setup.timeZoneHint')}
                </span>
                {errorOf('timeZone')}
              </div>
            </div>
          </fieldset>
          <fieldset className="form-section">
            <legend>{t('setup.owner')}</legend>
            <div className="field">
              <label htmlFor={`${id}-ownerName`}>{t('setup.ownerName')}</label>
              <input
                id={`${id}-ownerName`}
                name="ownerName"
                required
                maxLength={200}
                autoComplete="name"
                aria-invalid={fieldErrors.ownerName ? true : undefined}
                aria-describedby={described('ownerName')}
              />
              {errorOf('ownerName')}
            </div>
            <div className="field">
              <label htmlFor={`${id}-ownerEmail`}>{t('auth.email')}</label>
              <input
                id={`${id}-ownerEmail`}
                name="ownerEmail"
                type="email"
                required
                autoComplete="username"
                aria-invalid={fieldErrors.ownerEmail ? true : undefined}
                aria-describedby={described('ownerEmail')}
              />
              {errorOf('ownerEmail')}
            </div>
            <div className="field">
              <label htmlFor={`${id}-password`}>{t('auth.password')}</label>
              <div className="password-row">
                <input
                  id={`${id}-password`}
                  name="password"
                  type={visible ? 'text' : 'password'}
                  autoComplete="new-password"
                  required
                  minLength={15}
                  maxLength={128}
                  aria-invalid={fieldErrors.password ? true : undefined}
                  aria-describedby={described('password', true)}
                />
                <label className="checkbox small">
                  <input type="checkbox" checked={visible} onChange={(event) => setVisible(event.target.checked)} />
                  {t('auth.showPassword')}
                </label>
              </div>
              <span id={`${id}-password-hint`} className="field-hint">
                {t('setup.passwordRules')}
              </span>
              {errorOf('password')}
            </div>
          </fieldset>
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? t('setup.creating') : t('setup.create')}
          </button>
        </form>
      </div>
    </main>
  );
}
