import { type FormEvent, useId, useState } from 'react';
import { Link } from 'react-router';
import useSWR from 'swr';
import { api, data } from '../../../ui/api.js';
import type { paths } from '../../../ui/api-types.js';
import { useConfirm } from '../../components/confirm.js';
import { SettingsFrame } from '../../components/settings-nav.js';
import { errorOutcome, type Outcome, OutcomeNotice } from '../../components/settings-notice.js';
import { Skeleton } from '../../components/skeleton.js';
import { useBackOffice } from '../../context.js';
import { formatDateTime } from '../../format.js';
import { useI18n } from '../../i18n.js';

type Gateway = paths['/api/v1/payment-gateways/{id}']['get']['responses'][200]['content']['application/json'];
type NewGateway = paths['/api/v1/payment-gateways']['post']['requestBody']['content']['application/json'];
type GatewayUpdate = paths['/api/v1/payment-gateways/{id}']['put']['requestBody']['content']['application/json'];

/**
 * The payment gateways (PRODUCT.md §6), in the order Pay Now tries them: each with what it takes (currencies,
 * minimum, saved cards, recurring, the address fields its page asks for), the sandbox with its merchant rules,
 * Stripe with its credentials. Credentials are write-only: the page says whether they are set, never what they are.
 */
export default function OnlinePaymentsSettings() {
  const { t } = useI18n();
  const { identity } = useBackOffice();
  const readOnly = identity.user.role === 'staff';
  const gateways = useSWR(readOnly ? null : ['payment-gateways'], () => data(api.GET('/api/v1/payment-gateways')));
  const reload = () => gateways.mutate();
  return (
    <SettingsFrame title={t('onlinePayments.title')}>
      {readOnly ? (
        <p className="empty">{t('onlinePayments.adminsOnly')}</p>
      ) : gateways.error ? (
        <OutcomeNotice outcome={errorOutcome(gateways.error, t('app.error'))} />
      ) : !gateways.data ? (
        <Skeleton />
      ) : (
        <>
          <DefaultTaxWarning />
          {gateways.data.data.length === 0 ? (
            <p className="notice">{t('onlinePayments.mode.none')}</p>
          ) : (
            <p className="field-hint">{t('onlinePayments.order')}</p>
          )}
          {gateways.data.data.map((gateway, index, all) => (
            <section key={gateway.id} className="form-section" aria-label={modeOf(t, gateway)}>
              {all.length > 1 && <GatewayOrder gateway={gateway} index={index} count={all.length} moved={reload} />}
              <GatewayForm gateway={gateway} saved={reload} />
            </section>
          ))}
          <section className="form-section" aria-labelledby="add-gateway">
            <h2 id="add-gateway">{t('onlinePayments.addTitle')}</h2>
            <GatewayForm gateway={null} saved={reload} />
          </section>
        </>
      )}
    </SettingsFrame>
  );
}

function modeOf(t: ReturnType<typeof useI18n>['t'], gateway: Gateway): string {
  if (gateway.kind === 'sandbox') return t('onlinePayments.mode.sandbox');
  if (gateway.kind === 'paypal')
    return gateway.testMode ? t('onlinePayments.paypal.modeTest') : t('onlinePayments.paypal.mode');
  return gateway.testMode ? t('onlinePayments.mode.stripeTest') : t('onlinePayments.mode.stripe');
}

/** Where Pay Now tries this gateway, and buttons to move it up or down the order. */
function GatewayOrder({
  gateway,
  index,
  count,
  moved,
}: {
  gateway: Gateway;
  index: number;
  count: number;
  moved(): void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  async function move(position: number) {
    setBusy(true);
    setOutcome(null);
    try {
      await data(
        api.POST('/api/v1/payment-gateways/{id}/position', {
          params: { path: { id: gateway.id } },
          body: { position },
        }),
      );
      moved();
    } catch (caught) {
      setOutcome(errorOutcome(caught, t('app.error')));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="actions">
      <span className="muted">{t('onlinePayments.position', { position: index + 1, count })}</span>
      <button type="button" className="button" disabled={busy || index === 0} onClick={() => move(index)}>
        {t('onlinePayments.moveUp')}
      </button>
      <button type="button" className="button" disabled={busy || index === count - 1} onClick={() => move(index + 2)}>
        {t('onlinePayments.moveDown')}
      </button>
      <OutcomeNotice outcome={outcome} />
    </div>
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

function GatewayFacts({ gateway }: { gateway: Gateway }) {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  return (
    <dl className="facts">
      <div>
        <dt className="fact-label">{t('onlinePayments.gateway')}</dt>
        <dd className="fact-value">
          <span className="pill success">{modeOf(t, gateway)}</span>
        </dd>
      </div>
      <div>
        <dt className="fact-label">{t('onlinePayments.updatedAt')}</dt>
        <dd className="fact-value">{formatDateTime(gateway.updatedAt, locale, timeZone)}</dd>
      </div>
      <div>
        <dt className="fact-label">{t('onlinePayments.webhookUrl')}</dt>
        <dd className="fact-value">
          <code className="long-value">{gateway.webhookUrl}</code>
        </dd>
      </div>
    </dl>
  );
}

/** One gateway's settings (`gateway`), or a new gateway's (null): its kind is chosen once, when it is added. */
function GatewayForm({ gateway, saved }: { gateway: Gateway | null; saved(): void }) {
  const { t } = useI18n();
  const id = useId();
  const [kind, setKind] = useState<Gateway['kind']>(gateway?.kind ?? 'sandbox');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const confirm = useConfirm();
  const rules = gateway?.sandbox;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const on = (name: string) => form.get(name) === 'on';
    const currencies = text('currencies')
      .toUpperCase()
      .split(/[\s,]+/)
      .filter(Boolean);
    const common = {
      currencies: currencies.length > 0 ? currencies : null,
      minimumAmount: Number(text('minimumAmount') || 0),
      referenceTransactions: on('referenceTransactions'),
      recurring: on('recurring'),
      addressFields: text('addressFields') === 'full_address' ? ('full_address' as const) : ('postal_code' as const),
    };
    let body: NewGateway & GatewayUpdate;
    if (kind === 'paypal') {
      // Left empty on an existing gateway: the stored credentials are kept.
      const keys = text('clientId') || text('clientSecret') || text('webhookId') || !gateway;
      body = {
        kind: 'paypal',
        currencies: common.currencies,
        minimumAmount: common.minimumAmount,
        ...(keys
          ? {
              clientId: text('clientId'),
              clientSecret: text('clientSecret'),
              webhookId: text('webhookId'),
              environment: text('environment') === 'live' ? ('live' as const) : ('sandbox' as const),
            }
          : {}),
      } as NewGateway & GatewayUpdate;
    } else if (kind === 'stripe') {
      // Left empty on an existing gateway: the stored keys are kept.
      const keys = text('secretKey') || text('webhookSecret') || !gateway;
      body = {
        kind: 'stripe',
        ...common,
        ...(keys ? { secretKey: text('secretKey'), webhookSecret: text('webhookSecret') } : {}),
      } as NewGateway & GatewayUpdate;
    } else {
      body = {
        kind: 'sandbox',
        ...common,
        credentialsValid: on('credentialsValid'),
        fraudFilters: {
          blockHighRiskCards: on('blockHighRiskCards'),
          maxAmount: text('maxAmount') ? Number(text('maxAmount')) : null,
        },
        addressVerification: on('addressVerification'),
        duplicateWindowSeconds: Number(text('duplicateWindowSeconds') || 0),
      };
    }
    setBusy(true);
    setOutcome(null);
    try {
      if (gateway) {
        await data(api.PUT('/api/v1/payment-gateways/{id}', { params: { path: { id: gateway.id } }, body }));
      } else {
        await data(api.POST('/api/v1/payment-gateways', { body }));
      }
      setOutcome({ kind: 'success', text: t('settings.saved') });
      // Write-only: the secrets just sent leave the page; a new gateway's form starts again empty.
      if (kind !== 'sandbox' || !gateway) element.reset();
      saved();
    } catch (caught) {
      setOutcome(errorOutcome(caught, t('app.error')));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!gateway) return;
    if (!(await confirm.ask(t('onlinePayments.removeConfirm'), { confirmLabel: t('onlinePayments.remove') }))) return;
    setBusy(true);
    setOutcome(null);
    try {
      await data(api.DELETE('/api/v1/payment-gateways/{id}', { params: { path: { id: gateway.id } } }));
      saved();
    } catch (caught) {
      setOutcome(errorOutcome(caught, t('app.error')));
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
      {confirm.dialog}
      {gateway && <GatewayFacts gateway={gateway} />}
      {gateway?.stripe && !gateway.stripe.credentialsReadable && (
        <p className="notice error" role="alert">
          {t('onlinePayments.unreadable')}
        </p>
      )}
      {gateway?.paypal && !gateway.paypal.credentialsReadable && (
        <p className="notice error" role="alert">
          {t('onlinePayments.paypal.unreadable')}
        </p>
      )}
      <OutcomeNotice outcome={outcome} />
      {!gateway && (
        <fieldset className="form-section" disabled={busy}>
          <legend>{t('onlinePayments.gateway')}</legend>
          <ul className="switch-list">
            {(['sandbox', 'stripe', 'paypal'] as const).map((option) => (
              <li key={option}>
                <label className="checkbox">
                  <input
                    type="radio"
                    name="kind"
                    value={option}
                    checked={kind === option}
                    onChange={() => setKind(option)}
                  />
                  {option === 'paypal' ? t('onlinePayments.paypal.kind') : t(`onlinePayments.kind.${option}`)}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      <fieldset className="form-section" disabled={busy}>
        <legend>{t('onlinePayments.takes')}</legend>
        {kind === 'paypal' && <p className="field-hint">{t('onlinePayments.paypal.noSavedCards')}</p>}
        {kind !== 'paypal' && (
          <ul className="switch-list">
            {check(
              'referenceTransactions',
              gateway?.referenceTransactions ?? true,
              t('onlinePayments.rule.referenceTransactions'),
              t('onlinePayments.rule.referenceTransactions.effect'),
            )}
            {check(
              'recurring',
              gateway?.recurring ?? true,
              t('onlinePayments.rule.recurring'),
              t('onlinePayments.rule.recurring.effect'),
            )}
          </ul>
        )}
        <div className="form-grid">
          <div className="field">
            <label htmlFor={`${id}-currencies`}>
              {t('onlinePayments.rule.currencies')} <span className="muted">{t('app.optional')}</span>
            </label>
            <input
              id={`${id}-currencies`}
              name="currencies"
              defaultValue={gateway?.currencies?.join(', ') ?? ''}
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
            gateway?.minimumAmount ?? 0,
          )}
          {kind !== 'paypal' && (
            <div className="field">
              <label htmlFor={`${id}-addressFields`}>{t('onlinePayments.rule.addressFields')}</label>
              <select
                id={`${id}-addressFields`}
                name="addressFields"
                defaultValue={gateway?.addressFields ?? 'postal_code'}
                aria-describedby={`${id}-addressFields-hint`}
              >
                <option value="postal_code">{t('onlinePayments.addressFields.postal_code')}</option>
                <option value="full_address">{t('onlinePayments.addressFields.full_address')}</option>
              </select>
              <span id={`${id}-addressFields-hint`} className="field-hint">
                {t('onlinePayments.rule.addressFields.effect')}
              </span>
            </div>
          )}
        </div>
      </fieldset>
      {kind === 'paypal' ? (
        <PayPalCredentials gateway={gateway} busy={busy} />
      ) : kind === 'stripe' ? (
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
              required={!gateway}
              pattern="(sk|rk)_(test|live)_[A-Za-z0-9]{8,247}"
              aria-describedby={`${id}-secretKey-state`}
            />
            <span id={`${id}-secretKey-state`} className="field-hint">
              {secretState(gateway?.stripe?.secretKey)}
            </span>
          </div>
          <div className="field">
            <label htmlFor={`${id}-webhookSecret`}>{t('onlinePayments.webhookSecret')}</label>
            <input
              id={`${id}-webhookSecret`}
              name="webhookSecret"
              type="password"
              autoComplete="off"
              required={!gateway}
              pattern="whsec_[A-Za-z0-9]{8,250}"
              aria-describedby={`${id}-webhookSecret-state`}
            />
            <span id={`${id}-webhookSecret-state`} className="field-hint">
              {secretState(gateway?.stripe?.webhookSecret)}
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
          </ul>
          <div className="form-grid">
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
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? t('app.saving') : gateway ? t('onlinePayments.save') : t('onlinePayments.add')}
        </button>
        {gateway && (
          <button type="button" className="button danger" disabled={busy} onClick={remove}>
            {t('onlinePayments.remove')}
          </button>
        )}
      </div>
    </form>
  );
}

/** PayPal's app credentials and webhook id (write-only, like Stripe's keys) and its environment. */
function PayPalCredentials({ gateway, busy }: { gateway: Gateway | null; busy: boolean }) {
  const { t } = useI18n();
  const id = useId();
  const stored = gateway?.paypal;
  const state = (value: string | undefined) =>
    value ? t('onlinePayments.secretSet', { hint: value }) : t('onlinePayments.secretNotSet');
  const field = (name: 'clientId' | 'clientSecret' | 'webhookId', pattern: string, hint: string) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{t(`onlinePayments.paypal.${name}`)}</label>
      <input
        id={`${id}-${name}`}
        name={name}
        type={name === 'clientSecret' ? 'password' : 'text'}
        autoComplete="off"
        spellCheck={false}
        required={!gateway}
        pattern={pattern}
        aria-describedby={`${id}-${name}-state`}
      />
      <span id={`${id}-${name}-state`} className="field-hint">
        {hint}
      </span>
    </div>
  );
  return (
    <fieldset className="form-section" disabled={busy}>
      <legend>{t('onlinePayments.paypal.credentials')}</legend>
      <p className="field-hint">{t('onlinePayments.paypal.credentialsHint')}</p>
      <div className="field">
        <label htmlFor={`${id}-environment`}>{t('onlinePayments.paypal.environment')}</label>
        <select id={`${id}-environment`} name="environment" defaultValue={stored?.environment ?? 'sandbox'}>
          <option value="sandbox">{t('onlinePayments.paypal.environment.sandbox')}</option>
          <option value="live">{t('onlinePayments.paypal.environment.live')}</option>
        </select>
      </div>
      {field('clientId', '[A-Za-z0-9_\\-]{16,128}', state(stored?.clientId))}
      {field('clientSecret', '[A-Za-z0-9_\\-]{16,128}', state(stored?.clientSecret))}
      {field(
        'webhookId',
        '[A-Z0-9]{10,40}',
        stored?.webhookId
          ? `${state(stored.webhookId)} ${t('onlinePayments.paypal.webhookIdHint')}`
          : t('onlinePayments.paypal.webhookIdHint'),
      )}
    </fieldset>
  );
}
