import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import useSWR from 'swr';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../../../src/domain/webhook-events.js';
import { api, data } from '../../../ui/api.js';
import type { paths } from '../../../ui/api-types.js';
import { useConfirm } from '../../components/confirm.js';
import { SettingsFrame } from '../../components/settings-nav.js';
import { errorOutcome, type Outcome, OutcomeNotice } from '../../components/settings-notice.js';
import { Skeleton } from '../../components/skeleton.js';
import { useBackOffice } from '../../context.js';
import { formatDateTime } from '../../format.js';
import { useI18n } from '../../i18n.js';

type Endpoint =
  paths['/api/v1/webhook-endpoints']['get']['responses'][200]['content']['application/json']['data'][number];

/** Outgoing webhooks (docs/webhooks.md): endpoints, their signing secret shown once, and each one's deliveries. */
export default function WebhookSettings() {
  const { t } = useI18n();
  const { identity } = useBackOffice();
  const readOnly = identity.user.role === 'staff';
  const endpoints = useSWR(readOnly ? null : ['webhook-endpoints'], () => data(api.GET('/api/v1/webhook-endpoints')));
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = useConfirm();

  async function act(action: () => Promise<unknown>, success: string | null) {
    setBusy(true);
    setOutcome(null);
    try {
      await action();
      await endpoints.mutate();
      if (success) setOutcome({ kind: 'success', text: success });
      return true;
    } catch (caught) {
      setOutcome(errorOutcome(caught, t('app.error')));
      return false;
    } finally {
      setBusy(false);
    }
  }

  if (readOnly) {
    return (
      <SettingsFrame title={t('webhooks.title')}>
        <p className="empty">{t('webhooks.adminsOnly')}</p>
      </SettingsFrame>
    );
  }
  return (
    <SettingsFrame title={t('webhooks.title')}>
      <p className="muted">{t('webhooks.intro')}</p>
      {confirm.dialog}
      {secret && <NewSecret created={secret} onDone={() => setSecret(null)} />}
      <OutcomeNotice outcome={outcome} />
      {endpoints.error ? (
        <OutcomeNotice outcome={errorOutcome(endpoints.error, t('app.error'))} />
      ) : !endpoints.data ? (
        <Skeleton />
      ) : endpoints.data.data.length === 0 ? (
        <p className="empty">{t('webhooks.empty')}</p>
      ) : (
        endpoints.data.data.map((endpoint) => (
          <EndpointCard
            key={endpoint.id}
            endpoint={endpoint}
            busy={busy}
            onToggle={() =>
              act(
                () =>
                  data(
                    api.PATCH('/api/v1/webhook-endpoints/{id}', {
                      params: { path: { id: endpoint.id } },
                      body: { enabled: !endpoint.enabled },
                    }),
                  ),
                endpoint.enabled ? t('webhooks.turnedOff') : t('webhooks.turnedOn'),
              )
            }
            onRotate={async () => {
              if (!(await confirm.ask(t('webhooks.rotateConfirm'), { confirmLabel: t('webhooks.rotate') }))) return;
              await act(async () => {
                const rotated = await data(
                  api.POST('/api/v1/webhook-endpoints/{id}/rotate-secret', { params: { path: { id: endpoint.id } } }),
                );
                setSecret({ url: rotated.url, secret: rotated.secret });
              }, null);
            }}
            onRemove={async () => {
              if (
                !(await confirm.ask(t('webhooks.removeConfirm', { url: endpoint.url }), {
                  confirmLabel: t('webhooks.remove'),
                }))
              )
                return;
              await act(
                () => data(api.DELETE('/api/v1/webhook-endpoints/{id}', { params: { path: { id: endpoint.id } } })),
                t('webhooks.removed'),
              );
            }}
          />
        ))
      )}
      <CreateForm
        busy={busy}
        onSubmit={(body) =>
          act(async () => {
            const created = await data(api.POST('/api/v1/webhook-endpoints', { body }));
            setSecret({ url: created.url, secret: created.secret });
          }, null)
        }
      />
    </SettingsFrame>
  );
}

/** The signing secret, once: focus moves here so it is read out. */
function NewSecret({ created, onDone }: { created: { url: string; secret: string }; onDone(): void }) {
  const { t } = useI18n();
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="notice success new-api-key" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} ref={heading} tabIndex={-1}>
        {t('webhooks.secretHeading', { url: created.url })}
      </h2>
      <p>{t('webhooks.secretOnce')}</p>
      <div className="field">
        <label htmlFor={`${id}-secret`}>{t('webhooks.secret')}</label>
        <input
          id={`${id}-secret`}
          className="api-key-secret"
          readOnly
          value={created.secret}
          onFocus={(event) => event.target.select()}
        />
      </div>
      <div className="actions">
        <button type="button" className="button secondary" onClick={onDone}>
          {t('apiKeys.done')}
        </button>
      </div>
    </section>
  );
}

function EndpointCard({
  endpoint,
  busy,
  onToggle,
  onRotate,
  onRemove,
}: {
  endpoint: Endpoint;
  busy: boolean;
  onToggle(): void;
  onRotate(): void;
  onRemove(): void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [open, setOpen] = useState(false);
  return (
    <section className="card webhook-endpoint" aria-labelledby={`${id}-url`}>
      <h2 id={`${id}-url`} className="webhook-url">
        {endpoint.url}
      </h2>
      {endpoint.description && <p>{endpoint.description}</p>}
      <p>
        <span className={`pill ${endpoint.enabled ? 'paid' : 'void'}`}>
          {endpoint.enabled ? t('webhooks.on') : t('webhooks.off')}
        </span>{' '}
        <span className="muted">
          {endpoint.events.map((event) => t(`webhooks.event.${event as WebhookEvent}`)).join(', ')}
        </span>
      </p>
      <div className="row-actions">
        <button type="button" className="button secondary" onClick={onToggle} disabled={busy}>
          {endpoint.enabled ? t('webhooks.turnOff') : t('webhooks.turnOn')}
        </button>
        <button type="button" className="button secondary" onClick={onRotate} disabled={busy}>
          {t('webhooks.rotate')}
        </button>
        <button type="button" className="button secondary" onClick={onRemove} disabled={busy}>
          {t('webhooks.remove')}
        </button>
        <button type="button" className="button link" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? t('webhooks.hideDeliveries') : t('webhooks.showDeliveries')}
        </button>
      </div>
      {open && <Deliveries endpointId={endpoint.id} />}
    </section>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const list = useSWR(['webhook-deliveries', endpointId], () =>
    data(api.GET('/api/v1/webhook-endpoints/{id}/deliveries', { params: { path: { id: endpointId } } })),
  );
  const [outcome, setOutcome] = useState<Outcome>(null);
  async function resend(deliveryId: string) {
    setOutcome(null);
    try {
      await data(
        api.POST('/api/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/resend', {
          params: { path: { id: endpointId, deliveryId } },
        }),
      );
      await list.mutate();
      setOutcome({ kind: 'success', text: t('webhooks.resent') });
    } catch (caught) {
      setOutcome(errorOutcome(caught, t('app.error')));
    }
  }
  if (list.error) return <OutcomeNotice outcome={errorOutcome(list.error, t('app.error'))} />;
  if (!list.data) return <Skeleton />;
  if (list.data.data.length === 0) return <p className="empty">{t('webhooks.noDeliveries')}</p>;
  return (
    <>
      <OutcomeNotice outcome={outcome} />
      <table className="list">
        <caption className="visually-hidden">{t('webhooks.deliveries')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('webhooks.when')}</th>
            <th scope="col">{t('webhooks.eventColumn')}</th>
            <th scope="col">{t('webhooks.status')}</th>
            <th scope="col">{t('webhooks.answer')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('apiKeys.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data.data.map((delivery) => (
            <tr key={delivery.id}>
              <td data-label={t('webhooks.when')} className="nowrap">
                {formatDateTime(delivery.createdAt, locale, timeZone)}
              </td>
              <td data-label={t('webhooks.eventColumn')}>{t(`webhooks.event.${delivery.event as WebhookEvent}`)}</td>
              <td data-label={t('webhooks.status')}>
                {t(`webhooks.status.${delivery.status}`)}
                {delivery.attempts > 1 ? ` · ${t.plural('webhooks.attempts', delivery.attempts)}` : ''}
              </td>
              <td data-label={t('webhooks.answer')}>
                {delivery.responseStatus ?? ''} {delivery.lastError ?? ''}
              </td>
              <td className="row-actions">
                {delivery.status !== 'sending' && (
                  <button type="button" className="button link" onClick={() => resend(delivery.id)}>
                    {t('webhooks.resend')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function CreateForm({
  busy,
  onSubmit,
}: {
  busy: boolean;
  onSubmit(body: { url: string; description: string | null; events: WebhookEvent[] }): Promise<boolean>;
}) {
  const { t } = useI18n();
  const id = useId();
  const [eventsError, setEventsError] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const values = new FormData(form);
    const events = WEBHOOK_EVENTS.filter((name) => values.get(name) === 'on');
    setEventsError(events.length === 0);
    if (events.length === 0) return;
    const done = await onSubmit({
      url: String(values.get('url') ?? '').trim(),
      description: String(values.get('description') ?? '').trim() || null,
      events,
    });
    if (done) form.reset();
  }
  return (
    <form onSubmit={submit} className="settings-form card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('webhooks.add')}</h2>
      <div className="field">
        <label htmlFor={`${id}-url`}>{t('webhooks.url')}</label>
        <input id={`${id}-url`} name="url" type="url" required maxLength={2000} placeholder="https://" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>
          {t('webhooks.description')} <span className="muted">{t('app.optional')}</span>
        </label>
        <input id={`${id}-description`} name="description" maxLength={200} />
      </div>
      <fieldset className="form-section" aria-describedby={eventsError ? `${id}-events-error` : undefined}>
        <legend>{t('webhooks.events')}</legend>
        <ul className="switch-list">
          {WEBHOOK_EVENTS.map((name) => (
            <li key={name}>
              <label className="checkbox">
                <input type="checkbox" name={name} />
                <span>{t(`webhooks.event.${name}`)}</span>
              </label>
            </li>
          ))}
        </ul>
        {eventsError && (
          <span id={`${id}-events-error`} className="field-error">
            {t('webhooks.chooseEvents')}
          </span>
        )}
      </fieldset>
      <button type="submit" className="button primary" disabled={busy}>
        {t('webhooks.addButton')}
      </button>
    </form>
  );
}
