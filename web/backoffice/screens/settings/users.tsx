import { type FormEvent, useId } from 'react';
import useSWR from 'swr';
import { api, data } from '../../../ui/api.js';
import type { paths } from '../../../ui/api-types.js';
import { useConfirm } from '../../components/confirm.js';
import { ErrorScreen } from '../../components/error-screen.js';
import { SettingsFrame } from '../../components/settings-nav.js';
import { OutcomeNotice, useSettingsAction } from '../../components/settings-notice.js';
import { Skeleton } from '../../components/skeleton.js';
import { useBackOffice } from '../../context.js';
import { formatDay } from '../../format.js';
import { useI18n } from '../../i18n.js';

type User = paths['/api/v1/users']['get']['responses'][200]['content']['application/json'][number];
type NewUser = paths['/api/v1/users']['post']['requestBody']['content']['application/json'];

/** The organization's business users and their roles. The server keeps the owner an owner and refuses what it must. */
export default function UserSettings() {
  const { t } = useI18n();
  const { identity } = useBackOffice();
  const readOnly = identity.user.role === 'staff';
  const users = useSWR(['users'], () => data(api.GET('/api/v1/users')));
  const { outcome, busy, act } = useSettingsAction(() => users.mutate(), t('app.error'));
  const confirm = useConfirm();

  const changeRole = (user: User, role: 'admin' | 'staff') =>
    act(
      () => data(api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body: { role } })),
      t('users.roleSaved', { name: user.name, role: t(`users.role.${role}` as 'users.role.staff') }),
    );
  const setDisabled = (user: User, disabled: boolean) =>
    act(
      () =>
        data(
          disabled
            ? api.POST('/api/v1/users/{id}/disable', { params: { path: { id: user.id } } })
            : api.POST('/api/v1/users/{id}/enable', { params: { path: { id: user.id } } }),
        ),
      disabled ? t('users.disabledDone', { name: user.name }) : t('users.enabledDone', { name: user.name }),
    );
  /** A lost device: remove the user's second factors (signed out, audited, e-mailed to them). */
  async function resetFactors(user: User) {
    const asked = t('factors.resetConfirm', { name: user.name });
    if (!(await confirm.ask(asked, { confirmLabel: t('factors.reset') }))) return;
    await act(
      () => data(api.POST('/api/v1/users/{id}/second-factors/reset', { params: { path: { id: user.id } } })),
      t('users.resetFactorsDone', { name: user.name }),
    );
  }

  return (
    <SettingsFrame title={t('users.title')}>
      <OutcomeNotice outcome={outcome} />
      {users.error ? (
        <ErrorScreen retry={() => users.mutate()} />
      ) : !users.data ? (
        <Skeleton />
      ) : users.data.length === 0 ? (
        <p className="empty">{t('users.empty')}</p>
      ) : (
        <UserTable
          rows={users.data}
          me={identity.user.id}
          readOnly={readOnly}
          busy={busy}
          onRole={changeRole}
          onDisabled={setDisabled}
          onResetFactors={resetFactors}
        />
      )}
      {confirm.dialog}
      {!readOnly && (
        <AddUserForm
          busy={busy}
          onSubmit={(body) =>
            act(() => data(api.POST('/api/v1/users', { body })), t('users.added', { name: body.name }))
          }
        />
      )}
    </SettingsFrame>
  );
}

function UserTable(props: {
  rows: User[];
  me: string;
  readOnly: boolean;
  busy: boolean;
  onRole(user: User, role: 'admin' | 'staff'): void;
  onDisabled(user: User, disabled: boolean): void;
  onResetFactors(user: User): void;
}) {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  return (
    <table className="list">
      <caption className="visually-hidden">{t('users.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('users.name')}</th>
          <th scope="col">{t('users.email')}</th>
          <th scope="col">{t('users.role')}</th>
          <th scope="col">{t('users.status')}</th>
          <th scope="col">{t('users.createdAt')}</th>
          {!props.readOnly && (
            <th scope="col">
              <span className="visually-hidden">{t('users.actions')}</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((user) => (
          <tr key={user.id}>
            <td data-label={t('users.name')}>
              {user.name}
              {user.id === props.me && <span className="muted small"> · {t('users.you')}</span>}
            </td>
            <td data-label={t('users.email')}>{user.email}</td>
            <td data-label={t('users.role')}>
              {props.readOnly || user.role === 'owner' ? (
                t(`users.role.${user.role}` as 'users.role.staff')
              ) : (
                <select
                  aria-label={t('users.roleOf', { name: user.name })}
                  value={user.role}
                  disabled={props.busy}
                  onChange={(event) => props.onRole(user, event.target.value === 'admin' ? 'admin' : 'staff')}
                >
                  <option value="admin">{t('users.role.admin')}</option>
                  <option value="staff">{t('users.role.staff')}</option>
                </select>
              )}
            </td>
            <td data-label={t('users.status')}>
              <span className={`pill ${user.disabled ? 'danger' : 'success'}`}>
                {user.disabled ? t('users.disabled') : t('users.active')}
              </span>
              {/* Under the status, not in a column of its own: the table already fills the page's width. */}
              <div className="muted small">
                {user.hasSecondFactor ? t('users.secondFactorOn') : t('users.secondFactorOff')}
                {!props.readOnly && user.hasSecondFactor && user.id !== props.me && (
                  <button
                    type="button"
                    className="button link"
                    disabled={props.busy}
                    onClick={() => props.onResetFactors(user)}
                    aria-label={t('users.resetFactorsOf', { name: user.name })}
                  >
                    {t('users.resetFactors')}
                  </button>
                )}
              </div>
            </td>
            <td className="nowrap" data-label={t('users.createdAt')}>
              {formatDay(user.createdAt, locale, timeZone)}
            </td>
            {!props.readOnly && (
              <td className="row-actions">
                {user.role !== 'owner' && user.id !== props.me && (
                  <button
                    type="button"
                    className={`button ${user.disabled ? 'secondary' : 'danger'}`}
                    disabled={props.busy}
                    onClick={() => props.onDisabled(user, !user.disabled)}
                    aria-label={
                      user.disabled
                        ? t('users.enableOf', { name: user.name })
                        : t('users.disableOf', { name: user.name })
                    }
                  >
                    {user.disabled ? t('users.enable') : t('users.disable')}
                  </button>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AddUserForm({ busy, onSubmit }: { busy: boolean; onSubmit(body: NewUser): Promise<boolean> }) {
  const { t } = useI18n();
  const id = useId();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const done = await onSubmit({
      name: text('name'),
      email: text('email'),
      role: text('role') === 'admin' ? 'admin' : 'staff',
      password: String(form.get('password') ?? ''),
    });
    if (done) element.reset();
  }
  return (
    <form onSubmit={submit} className="settings-form">
      <h2>{t('users.add')}</h2>
      <p className="muted small">{t('users.addHint')}</p>
      <fieldset className="form-section" disabled={busy}>
        <legend className="visually-hidden">{t('users.add')}</legend>
        <div className="form-grid">
          <div className="field">
            <label htmlFor={`${id}-name`}>{t('users.name')}</label>
            <input id={`${id}-name`} name="name" required maxLength={200} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-email`}>{t('users.email')}</label>
            <input id={`${id}-email`} name="email" type="email" required autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-role`}>{t('users.role')}</label>
            <select id={`${id}-role`} name="role" defaultValue="staff">
              <option value="staff">{t('users.role.staff')}</option>
              <option value="admin">{t('users.role.admin')}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-password`}>{t('users.password')}</label>
            <input
              id={`${id}-password`}
              name="password"
              type="password"
              required
              minLength={15}
              autoComplete="new-password"
              aria-describedby={`${id}-password-hint`}
            />
            <span id={`${id}-password-hint`} className="field-hint">
              {t('users.passwordHint')}
            </span>
          </div>
        </div>
      </fieldset>
      <button type="submit" className="button primary" disabled={busy}>
        {t('users.addButton')}
      </button>
    </form>
  );
}
