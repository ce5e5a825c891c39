import { type ChangeEvent, type FormEvent, useId, useState } from 'react';
import { useSWRConfig } from 'swr';
import { ApiError, api, data } from '../../../ui/api.js';
import type { paths } from '../../../ui/api-types.js';
import { CountrySelect } from '../../../ui/country-select.js';
import { AddressFields, addressBody, addressText } from '../../components/address-fields.js';
import { SettingsFrame } from '../../components/settings-nav.js';
import { errorOutcome, type Outcome, OutcomeNotice } from '../../components/settings-notice.js';
import { type Organization, useBackOffice } from '../../context.js';
import { useI18n } from '../../i18n.js';
import { SESSION_KEY } from '../../session.js';

type Patch = NonNullable<paths['/api/v1/organization']['patch']['requestBody']>['content']['application/json'];

const LOGO_MAX_BYTES = 512 * 1024;

const ATTACHMENTS = ['none', 'ubl', 'cii', 'facturx'] as const;
const attachmentOf = (value: string) => ATTACHMENTS.find((choice) => choice === value) ?? 'none';

/** The organization's profile (what documents and the portal show) and its logo. */
export default function OrganizationSettings() {
  const { t } = useI18n();
  const office = useBackOffice();
  const readOnly = office.identity.user.role === 'staff';
  return (
    <SettingsFrame title={t('organization.title')}>
      <LogoSection organization={office.organization} readOnly={readOnly} />
      {/* Not keyed on the profile's time of change: a form re-created by its own save loses its "Saved.", and one
          re-created by a new logo loses what was being typed. Its fields already hold what it saved. */}
      <ProfileForm organization={office.organization} readOnly={readOnly} />
      {!readOnly && <DataExportSection />}
    </SettingsFrame>
  );
}

/** "Download all data": the export streams as a file download (GET /api/v1/export), owners and admins only. */
function DataExportSection() {
  const { t } = useI18n();
  const id = useId();
  return (
    <section className="form-section" aria-labelledby={`${id}-export`}>
      <h2 id={`${id}-export`}>{t('organization.export')}</h2>
      <p className="muted small">{t('organization.exportHint')}</p>
      <a className="button secondary" href="/api/v1/export" download>
        {t('organization.downloadAll')}
      </a>
    </section>
  );
}

function useRefreshOrganization() {
  const { mutate } = useSWRConfig();
  const office = useBackOffice();
  return (organization: Organization) =>
    mutate(SESSION_KEY, { identity: office.identity, organization }, { revalidate: false });
}

function LogoSection({ organization, readOnly }: { organization: Organization; readOnly: boolean }) {
  const { t } = useI18n();
  const id = useId();
  const refresh = useRefreshOrganization();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const src = organization.hasLogo
    ? `/api/portal/${encodeURIComponent(organization.slug)}/brand/logo?v=${encodeURIComponent(organization.updatedAt)}`
    : null;

  async function upload(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setMessage(null);
    if (file.type !== 'image/png' && file.type !== 'image/jpeg') {
      setMessage({ kind: 'error', text: t('organization.logoType') });
      return;
    }
    if (file.size > LOGO_MAX_BYTES) {
      setMessage({ kind: 'error', text: t('organization.logoSize') });
      return;
    }
    setBusy(true);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      const next = await data(
        api.PUT('/api/v1/organization/logo', { body: { contentType: file.type, dataBase64: btoa(binary) } }),
      );
      await refresh(next);
      setMessage({ kind: 'success', text: t('organization.logoSaved') });
    } catch (caught) {
      setMessage({ kind: 'error', text: caught instanceof ApiError ? caught.message : t('app.error') });
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    setMessage(null);
    try {
      await data(api.DELETE('/api/v1/organization/logo'));
      await refresh(await data(api.GET('/api/v1/organization')));
      setMessage({ kind: 'success', text: t('organization.logoRemoved') });
    } catch {
      setMessage({ kind: 'error', text: t('app.error') });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="form-section logo-section" aria-labelledby={`${id}-logo`}>
      <h2 id={`${id}-logo`}>{t('organization.logo')}</h2>
      <p className="muted small">{t('organization.logoHint')}</p>
      {message && (
        <p className={`notice ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <div className="logo-row">
        {src ? (
          <img className="logo-preview" src={src} alt={t('organization.logoAlt', { name: organization.name })} />
        ) : (
          <p className="muted">{t('organization.noLogo')}</p>
        )}
        {!readOnly && (
          <div className="actions">
            <label className="button secondary file-button">
              {organization.hasLogo ? t('organization.replaceLogo') : t('organization.uploadLogo')}
              <input
                type="file"
                accept="image/png,image/jpeg"
                className="visually-hidden"
                onChange={upload}
                disabled={busy}
              />
            </label>
            {organization.hasLogo && (
              <button type="button" className="button secondary" onClick={remove} disabled={busy}>
                {t('organization.removeLogo')}
              </button>
            )}
          </div>
        )}
      </div>
    </section>
  );
}

function ProfileForm({ organization, readOnly }: { organization: Organization; readOnly: boolean }) {
  const { t } = useI18n();
  const id = useId();
  const refresh = useRefreshOrganization();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [address, setAddress] = useState(() => addressText(organization.address));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const optional = (name: string) => text(name) || null;
    const body: Patch = {
      name: text('name'),
      email: optional('email'),
      phone: optional('phone'),
      website: optional('website'),
      address: addressBody(address),
      timeZone: text('timeZone'),
      locale: text('locale'),
      taxRounding: text('taxRounding') === 'document' ? 'document' : 'line',
      chargesTax: form.get('chargesTax') === 'on',
      requireSecondFactor: form.get('requireSecondFactor') === 'on',
      paymentTermsDays: Number(form.get('paymentTermsDays')),
      estimateValidityDays: Number(form.get('estimateValidityDays')),
      countryCode: optional('countryCode'),
      taxId: optional('taxId'),
      companyId: optional('companyId'),
      peppolId: optional('peppolId'),
      eInvoiceAttachment: attachmentOf(text('eInvoiceAttachment')),
    };
    setBusy(true);
    setOutcome(null);
    try {
      const next = await data(api.PATCH('/api/v1/organization', { body }));
      await refresh(next);
      setOutcome({ kind: 'success', text: t('settings.saved') });
    } catch (caught) {
      setOutcome(errorOutcome(caught, t('app.error')));
    } finally {
      setBusy(false);
    }
  }

  const field = (name: string, label: string, props: Record<string, unknown> = {}) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input id={`${id}-${name}`} name={name} {...props} />
    </div>
  );

  return (
    <form onSubmit={submit} className="settings-form">
      <h2>{t('organization.profile')}</h2>
      <OutcomeNotice outcome={outcome} />
      <fieldset className="form-section" disabled={readOnly || busy}>
        <legend className="visually-hidden">{t('organization.profile')}</legend>
        {field('name', t('organization.name'), { defaultValue: organization.name, required: true, maxLength: 200 })}
        <div className="form-grid">
          {field('email', t('organization.email'), { type: 'email', defaultValue: organization.email ?? '' })}
          {field('phone', t('organization.phone'), { defaultValue: organization.phone ?? '', maxLength: 40 })}
          {field('website', t('organization.website'), { defaultValue: organization.website ?? '', maxLength: 200 })}
          {field('timeZone', t('organization.timeZone'), { defaultValue: organization.timeZone, required: true })}
          {field('locale', t('organization.locale'), {
            defaultValue: organization.locale,
            required: true,
            pattern: '[a-z]{2,3}(-[A-Z]{2})?',
          })}
          <div className="field">
            <label htmlFor={`${id}-currency`}>{t('organization.currency')}</label>
            <input id={`${id}-currency`} value={organization.baseCurrency} readOnly />
          </div>
          {field('paymentTermsDays', t('organization.paymentTermsDays'), {
            type: 'number',
            min: 0,
            max: 365,
            required: true,
            defaultValue: organization.paymentTermsDays,
          })}
          {field('estimateValidityDays', t('organization.estimateValidityDays'), {
            type: 'number',
            min: 1,
            max: 365,
            required: true,
            defaultValue: organization.estimateValidityDays,
          })}
        </div>
        <div className="field">
          <label htmlFor={`${id}-taxRounding`}>{t('organization.taxRounding')}</label>
          <select
            id={`${id}-taxRounding`}
            name="taxRounding"
            defaultValue={organization.taxRounding}
            aria-describedby={`${id}-taxRounding-hint`}
          >
            <option value="line">{t('organization.taxRounding.line')}</option>
            <option value="document">{t('organization.taxRounding.document')}</option>
          </select>
          <span id={`${id}-taxRounding-hint`} className="field-hint">
            {t('organization.taxRoundingHint')}
          </span>
        </div>
        <label className="checkbox">
          <input type="checkbox" name="chargesTax" defaultChecked={organization.chargesTax} />
          {t('organization.chargesTax')}
        </label>
        <label className="checkbox">
          <input type="checkbox" name="requireSecondFactor" defaultChecked={organization.requireSecondFactor} />
          {t('factors.requireUsers')}
        </label>
      </fieldset>
      <AddressFields
        legend={t('address.organization')}
        path="/address"
        value={address}
        onChange={setAddress}
        hide={['attention', 'phone']}
        disabled={readOnly || busy}
        markOptional={false}
      >
        <p className="muted small">{t('address.organizationHint')}</p>
      </AddressFields>
      <fieldset className="form-section" disabled={readOnly || busy} aria-describedby={`${id}-einvoice-hint`}>
        <legend>{t('eInvoice.settings')}</legend>
        <p id={`${id}-einvoice-hint`} className="muted small">
          {t('eInvoice.settingsHint')}
        </p>
        {/* Full width: country names run long ("South Georgia & South Sandwich Islands"). */}
        <div className="field">
          <label htmlFor={`${id}-countryCode`}>{t('eInvoice.country')}</label>
          <CountrySelect
            id={`${id}-countryCode`}
            name="countryCode"
            defaultValue={organization.countryCode}
            emptyLabel={t('eInvoice.noCountry')}
          />
        </div>
        <div className="form-grid">
          {field('taxId', t('eInvoice.taxId'), { defaultValue: organization.taxId ?? '', maxLength: 40 })}
          {field('companyId', t('eInvoice.companyId'), { defaultValue: organization.companyId ?? '', maxLength: 40 })}
          <div className="field">
            <label htmlFor={`${id}-peppolId`}>{t('eInvoice.peppolId')}</label>
            <input
              id={`${id}-peppolId`}
              name="peppolId"
              defaultValue={organization.peppolId ?? ''}
              pattern="\d{4}:[^\s:]{1,100}"
              aria-describedby={`${id}-peppolId-hint`}
            />
            <span id={`${id}-peppolId-hint`} className="field-hint">
              {t('eInvoice.peppolIdHint')}
            </span>
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${id}-eInvoiceAttachment`}>{t('eInvoice.attachment')}</label>
          <select
            id={`${id}-eInvoiceAttachment`}
            name="eInvoiceAttachment"
            defaultValue={organization.eInvoiceAttachment}
            aria-describedby={`${id}-eInvoiceAttachment-hint`}
          >
            {ATTACHMENTS.map((choice) => (
              <option key={choice} value={choice}>
                {t(`eInvoice.attachment.${choice}`)}
              </option>
            ))}
          </select>
          <span id={`${id}-eInvoiceAttachment-hint`} className="field-hint">
            {t('eInvoice.attachmentHint')}
          </span>
        </div>
      </fieldset>
      {!readOnly && (
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? t('app.saving') : t('app.save')}
        </button>
      )}
    </form>
  );
}
