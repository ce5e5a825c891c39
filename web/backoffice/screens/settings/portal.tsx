import { type FormEvent, useId, useState } from 'react';
import useSWR from 'swr';
import { ApiError, api, data } from '../../../ui/api.js';
import type { paths } from '../../../ui/api-types.js';
import { ErrorScreen } from '../../components/error-screen.js';
import { SettingsFrame } from '../../components/settings-nav.js';
import { Skeleton } from '../../components/skeleton.js';
import { useBackOffice } from '../../context.js';
import { useI18n } from '../../i18n.js';

type Settings = paths['/api/v1/portal-settings']['get']['responses'][200]['content']['application/json'];
type Patch = NonNullable<paths['/api/v1/portal-settings']['patch']['requestBody']>['content']['application/json'];

const SWITCHES = [
  'enabled',
  'notifyMe',
  'emailCustomerOnComment',
  'allowEditingDetails',
  'allowForwarding',
  'reviews',
  'showProjects',
  'quoteRequests',
  'preventDuplicatePayments',
  'requireSecondFactor',
] as const;

/** The client portal settings of PRODUCT.md §1, each with what it does. */
export default function PortalSettings() {
  const { t } = useI18n();
  const { identity } = useBackOffice();
  const settings = useSWR(['portal-settings'], () => data(api.GET('/api/v1/portal-settings')));
  return (
    <SettingsFrame title={t('portal.title')}>
      {settings.error ? (
        <ErrorScreen retry={() => settings.mutate()} />
      ) : !settings.data ? (
        <Skeleton />
      ) : (
        <PortalForm
          settings={settings.data}
          readOnly={identity.user.role === 'staff'}
          saved={(next) => settings.mutate(next, { revalidate: false })}
        />
      )}
    </SettingsFrame>
  );
}

function PortalForm({
  settings,
  readOnly,
  saved,
}: {
  settings: Settings;
  readOnly: boolean;
  saved: (next: Settings) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const patch: Patch = {};
    for (const name of SWITCHES) {
      const value = form.get(name) === 'on';
      if (value !== settings[name]) patch[name] = value;
    }
    const portalName = String(form.get('portalName') ?? '').trim();
    if (portalName !== settings.portalName) patch.portalName = portalName;
    const banner = String(form.get('banner') ?? '').trim();
    if ((banner || null) !== settings.banner) patch.banner = banner || null;
    const minLength = Number(form.get('passwordMinLength'));
    if (minLength !== settings.passwordMinLength) patch.passwordMinLength = minLength;
    setMessage(null);
    setFieldError(null);
    if (Object.keys(patch).length === 0) {
      setMessage({ kind: 'success', text: t('settings.noChanges') });
      return;
    }
    setBusy(true);
    try {
      const next = await data(api.PATCH('/api/v1/portal-settings', { body: patch }));
      setMessage({ kind: 'success', text: t('settings.saved') });
      saved(next);
    } catch (caught) {
      const text = caught instanceof ApiError && caught.status < 500 ? caught.message : t('app.error');
      if (caught instanceof ApiError && caught.errors.some((e) => e.path.endsWith('portalName'))) setFieldError(text);
      setMessage({ kind: 'error', text });
    } finally {
      setBusy(false);
    }
  }

  const preview = `/portal/${settings.portalName}/`;
  return (
    <form onSubmit={submit} className="settings-form">
      <p>
        <a className="button secondary" href={preview} target="_blank" rel="noopener">
          {t('portal.preview')}
        </a>{' '}
        <span className="muted small">{settings.portalUrl}</span>
      </p>
      {message && (
        <p className={`notice ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <fieldset className="form-section" disabled={readOnly || busy}>
        <legend>{t('portal.address')}</legend>
        <div className="field">
          <label htmlFor={`${id}-portalName`}>{t('portal.portalName')}</label>
          <input
            id={`${id}-portalName`}
            name="portalName"
            defaultValue={settings.portalName}
            required
            maxLength={60}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={`${id}-portalName-hint${fieldError ? ` ${id}-portalName-error` : ''}`}
          />
          <span id={`${id}-portalName-hint`} className="field-hint">
            {t('portal.portalNameHint')}
          </span>
          {fieldError && (
            <span id={`${id}-portalName-error`} className="field-error">
              {fieldError}
            </span>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${id}-banner`}>
            {t('portal.banner')} <span className="muted">{t('app.optional')}</span>
          </label>
          <textarea
            id={`${id}-banner`}
            name="banner"
            rows={3}
            maxLength={2000}
            defaultValue={settings.banner ?? ''}
            aria-describedby={`${id}-banner-hint`}
          />
          <span id={`${id}-banner-hint`} className="field-hint">
            {t('portal.bannerHint')}
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-passwordMinLength`}>{t('portal.passwordMinLength')}</label>
          <input
            id={`${id}-passwordMinLength`}
            name="passwordMinLength"
            type="number"
            min={12}
            max={128}
            required
            defaultValue={settings.passwordMinLength}
            aria-describedby={`${id}-passwordMinLength-hint`}
          />
          <span id={`${id}-passwordMinLength-hint`} className="field-hint">
            {t('portal.passwordMinLengthHint')}
          </span>
        </div>
      </fieldset>
      <fieldset className="form-section" disabled={readOnly || busy}>
        <legend>{t('portal.options')}</legend>
        <ul className="switch-list">
          {SWITCHES.map((name) => (
            <li key={name}>
              <label className="checkbox">
                <input
                  type="checkbox"
                  name={name}
                  defaultChecked={settings[name]}
                  aria-describedby={`${id}-${name}-hint`}
                />
                <span className="strong">{t(`portal.${name}` as 'portal.enabled')}</span>
              </label>
              <span id={`${id}-${name}-hint`} className="field-hint">
                {t(`portal.${name}.effect` as 'portal.enabled.effect')}
              </span>
            </li>
          ))}
        </ul>
      </fieldset>
      {!readOnly && (
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? t('app.saving') : t('app.save')}
        </button>
      )}
    </form>
  );
}
