import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
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

type ApiKey = paths['/api/v1/api-keys']['get']['responses'][200]['content']['application/json'][number];

/** API keys for integrations: the secret is shown once, right after it is created; revoking is final. */
export default function ApiKeySettings() {
  const { t } = useI18n();
  const { identity } = useBackOffice();
  const readOnly = identity.user.role === 'staff';
  const keys = useSWR(readOnly ? null : ['api-keys'], () => data(api.GET('/api/v1/api-keys')));
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = useConfirm();

  async function create(name: string, role: 'admin' | 'staff'): Promise<boolean> {
    setBusy(true);
    setOutcome(null);
    setCreated(null);
    try {
      const key = await data(api.POST('/api/v1/api-keys', { body: { name, role } }));
      await keys.mutate();
      setCreated({ name: key.name, key: key.key });
      return true;
    } catch (caught) {
      setOutcome(errorOutcome(caught, t('app.error')));
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function reassign(key: ApiKey, userId: string, userName: string) {
    setBusy(true);
    setOutcome(null);
    try {
      await data(api.POST('/api/v1/api-keys/{id}/reassign', { params: { path: { id: key.id } }, body: { userId } }));
      await keys.mutate();
      setOutcome({ kind: 'success', text: t('apiKeys.reassigned', { name: key.name, user: userName }) });
    } catch (caught) {
      setOutcome(errorOutcome(caught, t('app.error')));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(key: ApiKey) {
    if (!(await confirm.ask(t('apiKeys.revokeConfirm', { name: key.name }), { confirmLabel: t('apiKeys.revoke') })))
      return;
    setBusy(true);
    setOutcome(null);
    try {
      await data(api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id: key.id } } }));
      await keys.mutate();
      setOutcome({ kind: 'success', text: t('apiKeys.revoked', { name: key.name }) });
    } catch (caught) {
      setOutcome(errorOutcome(caught, t('app.error')));
    } finally {
      setBusy(false);
    }
  }

  if (readOnly) {
    return (
      <SettingsFrame title={t('apiKeys.title')}>
        <p className="empty">{t('apiKeys.adminsOnly')}</p>
      </SettingsFrame>
    );
  }
  return (
    <SettingsFrame title={t('apiKeys.title')}>
      <p className="muted">{t('apiKeys.intro')}</p>
      {confirm.dialog}
      {created && <NewKey created={created} onDone={() => setCreated(null)} />}
      <OutcomeNotice outcome={outcome} />
      {keys.error ? (
        <OutcomeNotice outcome={errorOutcome(keys.error, t('app.error'))} />
      ) : !keys.data ? (
        <Skeleton />
      ) : keys.data.length === 0 ? (
        <p className="empty">{t('apiKeys.empty')}</p>
      ) : (
        <KeyTable
          rows={keys.data}
          busy={busy}
          onRevoke={revoke}
          onReassign={identity.user.role === 'owner' ? reassign : null}
        />
      )}
      <CreateForm busy={busy} onSubmit={create} />
    </SettingsFrame>
  );
}

/** The new key, once: focus moves here so it is read out, with a button to copy it. */
function NewKey({ created, onDone }: { created: { name: string; key: string }; onDone(): void }) {
  const { t } = useI18n();
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => heading.current?.focus(), []);
  async function copy() {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }
  return (
    <section className="notice success new-api-key" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} ref={heading} tabIndex={-1}>
        {t('apiKeys.createdHeading', { name: created.name })}
      </h2>
      <p>{t('apiKeys.onceOnly')}</p>
      <div className="field">
        <label htmlFor={`${id}-key`}>{t('apiKeys.secret')}</label>
        <input
          id={`${id}-key`}
          className="api-key-secret"
          readOnly
          value={created.key}
          onFocus={(event) => event.target.select()}
        />
      </div>
      <div className="actions">
        <button type="button" className="button primary" onClick={copy}>
          {t('apiKeys.copy')}
        </button>
        <button type="button" className="button secondary" onClick={onDone}>
          {t('apiKeys.done')}
        </button>
      </div>
      <p role="status" className="small">
        {copied ? t('apiKeys.copied') : ''}
      </p>
    </section>
  );
}

type Reassign = (key: ApiKey, userId: string, userName: string) => void;

function KeyTable({
  rows,
  busy,
  onRevoke,
  onReassign,
}: {
  rows: ApiKey[];
  busy: boolean;
  onRevoke(key: ApiKey): void;
  /** The owner's: give a key to another user, whose role then bounds it (a key of a disabled user stops). */
  onReassign: Reassign | null;
}) {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const users = useSWR(onReassign ? ['users'] : null, () => data(api.GET('/api/v1/users')));
  const enabled = (users.data ?? []).filter((user) => !user.disabled);
  return (
    <table className="list">
      <caption className="visually-hidden">{t('apiKeys.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('apiKeys.name')}</th>
          <th scope="col">{t('apiKeys.prefix')}</th>
          <th scope="col">{t('apiKeys.role')}</th>
          <th scope="col">{t('apiKeys.createdAt')}</th>
          <th scope="col">{t('apiKeys.lastUsedAt')}</th>
          <th scope="col">{t('apiKeys.status')}</th>
          <th scope="col">
            <span className="visually-hidden">{t('apiKeys.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((key) => (
          <tr key={key.id}>
            <td data-label={t('apiKeys.name')}>{key.name}</td>
            <td data-label={t('apiKeys.prefix')}>
              <code>{key.prefix}…</code>
            </td>
            <td data-label={t('apiKeys.role')}>
              {t(`users.role.${key.role}`)}
              {key.userName ? ` · ${t('apiKeys.actsFor', { name: key.userName })}` : ''}
              {key.canManageAccess ? ` · ${t('apiKeys.managesAccess')}` : ''}
            </td>
            <td data-label={t('apiKeys.createdAt')}>{formatDateTime(key.createdAt, locale, timeZone)}</td>
            <td data-label={t('apiKeys.lastUsedAt')}>
              {key.lastUsedAt ? formatDateTime(key.lastUsedAt, locale, timeZone) : t('apiKeys.neverUsed')}
            </td>
            <td data-label={t('apiKeys.status')}>
              <span className={`pill ${key.revokedAt ? 'danger' : 'success'}`}>
                {key.revokedAt ? t('apiKeys.revokedStatus') : t('apiKeys.activeStatus')}
              </span>
            </td>
            <td className="row-actions">
              {!key.revokedAt && onReassign && enabled.length > 1 && (
                <ReassignControl apiKey={key} users={enabled} busy={busy} onReassign={onReassign} />
              )}
              {!key.revokedAt && (
                <button
                  type="button"
                  className="button danger"
                  disabled={busy}
                  onClick={() => onRevoke(key)}
                  aria-label={t('apiKeys.revokeOf', { name: key.name })}
                >
                  {t('apiKeys.revoke')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "Give to": a select of the enabled users and a button; the key then acts for that user. */
function ReassignControl({
  apiKey,
  users,
  busy,
  onReassign,
}: {
  apiKey: ApiKey;
  users: Array<{ id: string; name: string }>;
  busy: boolean;
  onReassign: Reassign;
}) {
  const { t } = useI18n();
  const id = useId();
  const others = users.filter((user) => user.id !== apiKey.userId);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const userId = String(new FormData(event.currentTarget).get('userId') ?? '');
    const user = others.find((candidate) => candidate.id === userId);
    if (user) onReassign(apiKey, user.id, user.name);
  }
  return (
    <form className="inline-form" onSubmit={submit}>
      <label htmlFor={`${id}-user`} className="visually-hidden">
        {t('apiKeys.reassignTo', { name: apiKey.name })}
      </label>
      <select id={`${id}-user`} name="userId" disabled={busy}>
        {others.map((user) => (
          <option key={user.id} value={user.id}>
            {user.name}
          </option>
        ))}
      </select>
      <button type="submit" className="button secondary" disabled={busy}>
        {t('apiKeys.reassign')}
      </button>
    </form>
  );
}

function CreateForm({
  busy,
  onSubmit,
}: {
  busy: boolean;
  onSubmit(name: string, role: 'admin' | 'staff'): Promise<boolean>;
}) {
  const { t } = useI18n();
  const id = useId();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const name = String(form.get('name') ?? '').trim();
    const role = form.get('role') === 'staff' ? 'staff' : 'admin';
    if (await onSubmit(name, role)) element.reset();
  }
  return (
    <form onSubmit={submit} className="settings-form">
      <h2>{t('apiKeys.create')}</h2>
      <fieldset className="form-section" disabled={busy}>
        <legend className="visually-hidden">{t('apiKeys.create')}</legend>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('apiKeys.name')}</label>
          <input
            id={`${id}-name`}
            name="name"
            required
            maxLength={200}
            autoComplete="off"
            aria-describedby={`${id}-name-hint`}
          />
          <span id={`${id}-name-hint`} className="field-hint">
            {t('apiKeys.nameHint')}
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>{t('apiKeys.role')}</label>
          <select id={`${id}-role`} name="role" defaultValue="admin" aria-describedby={`${id}-role-hint`}>
            <option value="admin">{t('users.role.admin')}</option>
            <option value="staff">{t('users.role.staff')}</option>
          </select>
          <span id={`${id}-role-hint`} className="field-hint">
            {t('apiKeys.roleHint')}
          </span>
        </div>
      </fieldset>
      <button type="submit" className="button primary" disabled={busy}>
        {t('apiKeys.createButton')}
      </button>
    </form>
  );
}
