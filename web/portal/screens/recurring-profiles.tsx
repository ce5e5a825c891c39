import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import useSWR from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import type { paths } from '../../ui/api-types.js';
import { formatDate } from '../../ui/format.js';
import { useI18n } from '../../ui/i18n.js';
import type { MessageKey } from '../../ui/messages/en.js';
import { Money } from '../components/document.js';
import { ErrorScreen } from '../components/error-screen.js';
import { Skeleton } from '../components/skeleton.js';
import { newIdempotencyKey } from '../idempotency-key.js';
import { usePortal } from '../portal-context.js';

type Profile =
  paths['/api/portal/{slug}/recurring-profiles']['get']['responses'][200]['content']['application/json']['data'][number];

/** Card brands by their own names (not translated); another brand is just "card". */
const BRAND_NAMES: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
};

/** What the page says at its top after an action: the card saved, withdrawn, or why not. */
interface Outcome {
  kind: 'success' | 'error';
  message: string;
}

/**
 * The client's recurring invoices and their automatic payment: turn it on (the card is entered on the gateway's own
 * page, which sends the client back here with ?autopay=<card>) or withdraw it. Coming back, the list request itself
 * completes the set-up, so the page only has to read the profiles again and say what happened.
 */
export default function RecurringProfiles() {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const [params, setParams] = useSearchParams();
  const returning = params.get('autopay');
  const profiles = useSWR(['recurring-profiles', slug], () =>
    data(api.GET('/api/portal/{slug}/recurring-profiles', { params: { path: { slug }, query: { limit: 100 } } })),
  );
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const notice = useRef<HTMLDivElement>(null);

  // Back from the gateway's page: the list just read has completed (or not) the set-up of this card.
  useEffect(() => {
    if (!returning || !profiles.data) return;
    const on = profiles.data.data.find((profile) => profile.autopay.status === 'on' && profile.autopay.card);
    const pending = profiles.data.data.some((profile) => profile.autopay.status === 'pending');
    setOutcome(
      on && !pending
        ? { kind: 'success', message: t('autopay.turnedOn', { name: on.name }) }
        : { kind: 'error', message: t('autopay.notCompleted') },
    );
    setParams({}, { replace: true });
  }, [returning, profiles.data, setParams, t]);

  useEffect(() => {
    if (outcome) notice.current?.focus();
  }, [outcome]);

  async function turnOn(profile: Profile) {
    setBusy(profile.id);
    setOutcome(null);
    try {
      const setup = await data(
        api.POST('/api/portal/{slug}/recurring-profiles/{id}/autopay', {
          params: { path: { slug, id: profile.id } },
          headers: { 'Idempotency-Key': newIdempotencyKey() },
          body: {},
        }),
      );
      if (setup.status === 'requires_action' && setup.redirectUrl && /^https?:\/\//.test(setup.redirectUrl)) {
        // The card is entered on the gateway's page; it sends the client back to this page.
        window.location.assign(setup.redirectUrl);
        return;
      }
      if (setup.status === 'failed') {
        const code = setup.failure?.code ?? '';
        const message = setup.failure?.message ?? t('app.error');
        setOutcome({
          kind: 'error',
          message: /^CP\d{4}$/.test(code) ? `${message} ${t('autopay.code', { code })}` : message,
        });
      } else if (setup.status === 'on') {
        setOutcome({ kind: 'success', message: t('autopay.turnedOn', { name: profile.name }) });
      }
      await profiles.mutate();
    } catch (caught) {
      setOutcome({ kind: 'error', message: caught instanceof ApiError ? caught.message : t('autopay.network') });
    }
    setBusy(null);
  }

  async function withdraw(profile: Profile) {
    setBusy(profile.id);
    setOutcome(null);
    try {
      await data(
        api.DELETE('/api/portal/{slug}/recurring-profiles/{id}/autopay', {
          params: { path: { slug, id: profile.id } },
        }),
      );
      setOutcome({ kind: 'success', message: t('autopay.turnedOff', { name: profile.name }) });
      await profiles.mutate();
    } catch (caught) {
      setOutcome({ kind: 'error', message: caught instanceof ApiError ? caught.message : t('autopay.network') });
    }
    setBusy(null);
  }

  return (
    <section>
      <h1>{t('autopay.title')}</h1>
      <p className="muted">{t('autopay.intro')}</p>
      {outcome && (
        <div
          ref={notice}
          tabIndex={-1}
          className={outcome.kind === 'success' ? 'notice success' : 'notice error'}
          role={outcome.kind === 'success' ? 'status' : 'alert'}
        >
          {outcome.message}
        </div>
      )}
      {profiles.data === undefined && !profiles.error ? (
        <Skeleton />
      ) : profiles.error ? (
        <ErrorScreen retry={() => profiles.mutate()} />
      ) : profiles.data?.data.length === 0 ? (
        <p className="empty">{t('autopay.empty')}</p>
      ) : (
        <ul className="autopay-list">
          {profiles.data?.data.map((profile) => (
            <li key={profile.id} className="card">
              <h2>{profile.name}</h2>
              <dl className="facts">
                <div>
                  <dt className="fact-label">{t('autopay.schedule')}</dt>
                  <dd className="fact-value">
                    {profile.intervalCount === 1
                      ? t(`autopay.every.${profile.frequency}` as MessageKey)
                      : t(`autopay.everyN.${profile.frequency}` as MessageKey, {
                          count: String(profile.intervalCount),
                        })}
                  </dd>
                </div>
                <div>
                  <dt className="fact-label">{t('autopay.next')}</dt>
                  <dd className="fact-value">{profile.nextDate ? formatDate(profile.nextDate, locale) : '—'}</dd>
                </div>
                <div>
                  <dt className="fact-label">{t('autopay.amount')}</dt>
                  <dd className="fact-value">
                    {profile.amount === null ? '—' : <Money amount={profile.amount} currency={profile.currency} />}
                  </dd>
                </div>
                <div>
                  <dt className="fact-label">{t('autopay.status')}</dt>
                  <dd className="fact-value">
                    {profile.autopay.status === 'on' && profile.autopay.card
                      ? t('autopay.onWith', {
                          brand: BRAND_NAMES[profile.autopay.card.brand] ?? t('autopay.card'),
                          last4: profile.autopay.card.last4,
                          expiry: `${String(profile.autopay.card.expMonth).padStart(2, '0')}/${String(profile.autopay.card.expYear).slice(-2)}`,
                        })
                      : t(`autopay.state.${profile.autopay.status}` as MessageKey)}
                  </dd>
                </div>
              </dl>
              {profile.autopay.status === 'on' ? (
                <button
                  type="button"
                  className="button secondary"
                  disabled={busy !== null}
                  onClick={() => withdraw(profile)}
                >
                  {t('autopay.turnOff')}
                  <span className="visually-hidden"> {profile.name}</span>
                </button>
              ) : (
                <button
                  type="button"
                  className="button primary"
                  disabled={busy !== null}
                  onClick={() => turnOn(profile)}
                >
                  {busy === profile.id ? t('autopay.opening') : t('autopay.turnOn')}
                  <span className="visually-hidden"> {profile.name}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
