import { type FormEvent, useId, useState } from 'react';
import { Link } from 'react-router';
import useSWR from 'swr';
import { api, data } from '../../../ui/api.js';
import type { paths } from '../../../ui/api-types.js';
import { SettingsFrame } from '../../components/settings-nav.js';
import { errorOutcome, type Outcome, OutcomeNotice } from '../../components/settings-notice.js';
import { Skeleton } from '../../components/skeleton.js';
import { useBackOffice } from '../../context.js';
import { formatDateTime } from '../../format.js';
import { useI18n } from '../../i18n.js';

type Gateway = paths['/api/v1/payment-gateway']['get']['responses'][200]['content']['application/json'];
type GatewayInput = paths['/api/v1/payment-gateway']['put']['requestBody']['content']['application/json'];

/**
 * The payment gateway (PRODUCT.md §6): the sandbox with its merchant rules, or Stripe with its credentials.
 * Credentials are write-only: the page says whether they are set, never what they are.
 */
export default function OnlinePaymentsSettings() {
  const { t } = useI18n();
  const { identity } = useBackOffice();
  const readOnly = identity.user.role === 'staff';
  const gateway = useSWR(readOnly ? null : ['payment-gateway'], () => data(api.GET('/api/v1/payment-gateway')));
  return (
    <SettingsFrame title={t('onlinePayments.title')}>
      {readOnly ? (
        <p className="empty">{t('onlinePayments.adminsOnly')}</p>
      ) : gateway.error ? (
        <OutcomeNotice outcome={errorOutcome(gateway.error, t('app.error'))} />
      ) : !gateway.data ? (
        <Skeleton />
      ) : (
        <>
          <DefaultTaxWarning />
          <GatewayForm gateway={gateway.data} saved={(next) => gateway.mutate(next, { revalidate: false })} />
        </>
      )}
    </SettingsFrame>
  );
}

/**
 * An organization that charges tax refuses every portal payment (CP2001) until one tax is the default: say so
 * here, where the business sets payments up, with the way to fix it.
 */
function DefaultTaxWarning() {
  const { t } = useI18n();
  const { organization } = useBackOffice();
  const taxes = useSWR(organization.chargesTax ? ['taxes', 'settings'] : null, () =>
    data(api.GET('/api/v1/taxes', { params: { query: { limit: 100 } } })),
  );
  if (!organization.chargesTax || !taxes.data || taxes.data.data.some((tax) => tax.isDefault)) return null;
  return (
    <div className="notice error" role="alert">
      <p>{t('onlinePayments.noDefaultTax')}</p>
      <Link to="/settings/taxes">{t('onlinePayments.noDefaultTaxFix')}</Link>
    </div>
  );
}

function ActiveMode({ gateway }: { gateway: Gateway }) {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const mode =
    gateway.source === 'none'
      ? t('onlinePayments.mode.none')
      : gateway.kind === 'stripe'
        ? gateway.testMode
          ? t('onlinePayments.mode.stripeTest')
          : t('onlinePayments.mode.stripe')
        : t('onlinePayments.mode.sandbox');
  return (
    <dl className="facts">
      <div>
        <dt className="fact-label">{t('onlinePayments.active')}</dt>
        <dd className="fact-value">
          <span className={`pill ${gateway.source === 'none' ? 'danger' : 'success'}`}>{mode}</span>
        </dd>
      </div>
      {gateway.updatedAt && (
        <div>
          <dt className="fact-label">{t('onlinePayments.updatedAt')}</dt>
          <dd className="fact-value">{formatDateTime(gateway.updatedAt, locale, timeZone)}</dd>
        </div>
      )}
      {gateway.webhookUrl && (
        <div>
          <dt className="fact-label">{t('onlinePayments.webhookUrl')}</dt>
          <dd className="fact-value">
            <code className="long-value">{gateway.webhookUrl}</code>
          </dd>
        </div>
      )}
    </dl>
  );
}

function GatewayForm({ gateway, saved }: { gateway: Gateway; saved(next: Gateway): void }) {
  const { t } = useI18n();
  const id = useId();
  const [kind, setKind] = useState<'sandbox' | 'stripe'>(gateway.kind ?? 'sandbox');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const rules = gateway.sandbox?.rules;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const on = (name: string) => form.get(name) === 'on';
    let body: GatewayInput;
    if (kind === 'stripe') {
      body = { kind: 'stripe', secretKey: text('secretKey'), webhookSecret: text('webhookSecret') };
    } else {
      const currencies = text('currencies')
        .toUpperCase()
        .split(/[\s,]+/)
        .filter(Boolean);
      body = {
        kind: 'sandbox',
        rules: {
          credentialsValid: on('credentialsValid'),
          currencies: currencies.length > 0 ? currencies : null,
          minimumAmount: Number(text('minimumAmount') || 0),
          fraudFilters: {
            blockHighRiskCards: on('blockHighRiskCards'),
            maxAmount: text('maxAmount') ? Number(text('maxAmount')) : null,
          },
          addressVerification: on('addressVerification'),
          referenceTransactions: on('referenceTransactions'),
          recurring: on('recurring'),
          duplicateWindowSeconds: Number(text('duplicateWindowSeconds') || 0),
        },
      };
    }
    setBusy(true);
    setOutcome(null);
    try {
      const next = await data(api.PUT('/api/v1/payment-gateway', { body }));
      setOutcome({ kind: 'success', text: t('settings.saved') });
      // Write-only: the secrets just sent leave the page.
      if (kind === 'stripe') element.reset();
      saved(next);
    } catch (caught) {
      setOutcome(errorOutcome(caught, t('app.error')));
    } finally {
      setBusy(false);
    }
  }

  const check = (name: string, checked: boolean, label: string, hint: string) => (
    <li>
      <label className="checkbox">
        <input type="checkbox" name={name} defaultChecked={checked} aria-describedby={`${id}-${name}-hint`} />
        <span className="strong">{label}</span>
      </label>
      <span id={`${id}-${name}-hint`} className="field-hint">
        {hint}
      </span>
    </li>
  );
  const number = (name: string, label: string, hint: string, value: number | null) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        name={name}
        type="number"
        min={0}
        step={1}
        defaultValue={value ?? ''}
        aria-describedby={`${id}-${name}-hint`}
      />
      <span id={`${id}-${name}-hint`} className="field-hint">
        {hint}
      </span>
    </div>
  );
  const secretState = (value: string | undefined) =>
    value ? t('onlinePayments.secretSet', { hint: value }) : t('onlinePayments.secretNotSet');

  return (
    <form onSubmit={submit} className="settings-form">
      <ActiveMode gateway={gateway} />
      {gateway.stripe && !gateway.stripe.credentialsReadable && (
        <p className="notice error" role="alert">
          {t('onlinePayments.unreadable')}
        </p>
      )}
      <OutcomeNotice outcome={outcome} />
      <fieldset className="form-section" disabled={busy}>
        <legend>{t('onlinePayments.gateway')}</legend>
        <ul className="switch-list">
          <li>
            <label className="checkbox">
              <input
                type="radio"
                name="kind"
                value="sandbox"
                checked={kind === 'sandbox'}
                onChange={() => setKind('sandbox')}
              />
              {t('onlinePayments.kind.sandbox')}
            </label>
          </li>
          <li>
            <label className="checkbox">
              <input
                type="radio"
                name="kind"
                value="stripe"
                checked={kind === 'stripe'}
                onChange={() => setKind('stripe')}
              />
              {t('onlinePayments.kind.stripe')}
            </label>
          </li>
        </ul>
      </fieldset>
      {kind === 'stripe' ? (
        <fieldset className="form-section" disabled={busy}>
          <legend>{t('onlinePayments.credentials')}</legend>
          <p className="field-hint">{t('onlinePayments.credentialsHint')}</p>
          <div className="field">
            <label htmlFor={`${id}-secretKey`}>{t('onlinePayments.secretKey')}</label>
            <input
              id={`${id}-secretKey`}
              name="secretKey"
              type="password"
              autoComplete="off"
              required
              pattern="(sk|rk)_(test|live)_[A-Za-z0-9]{8,247}"
              aria-describedby={`${id}-secretKey-state`}
            />
            <span id={`${id}-secretKey-state`} className="field-hint">
              {secretState(gateway.stripe?.secretKey)}
            </span>
          </div>
          <div className="field">
            <label htmlFor={`${id}-webhookSecret`}>{t('onlinePayments.webhookSecret')}</label>
            <input
              id={`${id}-webhookSecret`}
              name="webhookSecret"
              type="password"
              autoComplete="off"
              required
              pattern="whsec_[A-Za-z0-9]{8,250}"
              aria-describedby={`${id}-webhookSecret-state`}
            />
            <span id={`${id}-webhookSecret-state`} className="field-hint">
              {secretState(gateway.stripe?.webhookSecret)}
            </span>
          </div>
        </fieldset>
      ) : (
        <fieldset className="form-section" disabled={busy}>
          <legend>{t('onlinePayments.rules')}</legend>
          <p className="field-hint">{t('onlinePayments.rulesHint')}</p>
          <ul className="switch-list">
            {check(
              'credentialsValid',
              rules?.credentialsValid ?? true,
              t('onlinePayments.rule.credentialsValid'),
              t('onlinePayments.rule.credentialsValid.effect'),
            )}
            {check(
              'blockHighRiskCards',
              rules?.fraudFilters.blockHighRiskCards ?? true,
              t('onlinePayments.rule.blockHighRiskCards'),
              t('onlinePayments.rule.blockHighRiskCards.effect'),
            )}
            {check(
              'addressVerification',
              rules?.addressVerification ?? false,
              t('onlinePayments.rule.addressVerification'),
              t('onlinePayments.rule.addressVerification.effect'),
            )}
            {check(
              'referenceTransactions',
              rules?.referenceTransactions ?? true,
              t('onlinePayments.rule.referenceTransactions'),
              t('onlinePayments.rule.referenceTransactions.effect'),
            )}
            {check(
              'recurring',
              rules?.recurring ?? true,
              t('onlinePayments.rule.recurring'),
              t('onlinePayments.rule.recurring.effect'),
            )}
          </ul>
          <div className="form-grid">
            <div className="field">
              <label htmlFor={`${id}-currencies`}>
                {t('onlinePayments.rule.currencies')} <span className="muted">{t('app.optional')}</span>
              </label>
              <input
                id={`${id}-currencies`}
                name="currencies"
                defaultValue={rules?.currencies?.join(', ') ?? ''}
                pattern="\s*[A-Za-z]{3}(\s*[, ]\s*[A-Za-z]{3})*\s*"
                aria-describedby={`${id}-currencies-hint`}
              />
              <span id={`${id}-currencies-hint`} className="field-hint">
                {t('onlinePayments.rule.currencies.effect')}
              </span>
            </div>
            {number(
              'minimumAmount',
              t('onlinePayments.rule.minimumAmount'),
              t('onlinePayments.rule.minimumAmount.effect'),
              rules?.minimumAmount ?? 0,
            )}
            {number(
              'maxAmount',
              t('onlinePayments.rule.maxAmount'),
              t('onlinePayments.rule.maxAmount.effect'),
              rules?.fraudFilters.maxAmount ?? null,
            )}
            {number(
              'duplicateWindowSeconds',
              t('onlinePayments.rule.duplicateWindowSeconds'),
              t('onlinePayments.rule.duplicateWindowSeconds.effect'),
              rules?.duplicateWindowSeconds ?? 0,
            )}
          </div>
        </fieldset>
      )}
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? t('app.saving') : t('onlinePayments.save')}
      </button>
    </form>
  );
}
