import { type FormEvent, useId, useState } from 'react';
import { ApiError, api, data } from '../../ui/api.js';
import { useI18n } from '../../ui/i18n.js';
import { PasswordField, strengthOf } from '../components/password-field.js';
import { usePortal } from '../portal-context.js';

/** Change password: the current one, then the new one with the rules and a strength hint. */
export default function ChangePassword() {
  const { t } = useI18n();
  const { slug, identity } = usePortal();
  const rulesId = useId();
  const currentErrorId = useId();
  const newErrorId = useId();
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ current?: string; new?: string; other?: string }>({});
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  // The form starts afresh after a change (new inputs, nothing left in them).
  const [formKey, setFormKey] = useState(0);
  const minLength = identity.settings.passwordMinLength;
  const strength = strengthOf(password, minLength);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setDone(false);
    setErrors({});
    try {
      await data(
        api.PUT('/api/portal/{slug}/password', {
          params: { path: { slug } },
          body: {
            currentPassword: String(form.get('currentPassword') ?? ''),
            newPassword: String(form.get('newPassword') ?? ''),
          },
        }),
      );
      setDone(true);
      setPassword('');
      setFormKey((key) => key + 1);
    } catch (caught) {
      if (caught instanceof ApiError) {
        const at = (path: string) => caught.errors.find((error) => error.path === path)?.message;
        const current = at('/currentPassword');
        const next = at('/newPassword');
        setErrors(current || next ? { current, new: next } : { other: caught.message });
      } else {
        setErrors({ other: t('app.error') });
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="narrow-page">
      <h1>{t('password.title')}</h1>
      <p className="muted">{t('password.note')}</p>
      <p role="status" className={done ? 'notice success' : 'visually-hidden'}>
        {done ? t('password.changed') : ''}
      </p>
      <form key={formKey} onSubmit={submit} className="card">
        {errors.other && (
          <p className="notice error" role="alert">
            {errors.other}
          </p>
        )}
        {(errors.current || errors.new) && (
          <p className="visually-hidden" role="alert">
            {[errors.current, errors.new].filter(Boolean).join(' ')}
          </p>
        )}
        <PasswordField
          name="currentPassword"
          label={t('password.current')}
          autoComplete="current-password"
          invalid={Boolean(errors.current)}
          describedBy={errors.current ? currentErrorId : undefined}
        />
        {errors.current && (
          <p id={currentErrorId} className="field-error">
            {errors.current}
          </p>
        )}
        <PasswordField
          name="newPassword"
          label={t('auth.newPassword')}
          autoComplete="new-password"
          invalid={Boolean(errors.new)}
          describedBy={errors.new ? `${newErrorId} ${rulesId}` : rulesId}
          onChange={setPassword}
        />
        {errors.new && (
          <p id={newErrorId} className="field-error">
            {errors.new}
          </p>
        )}
        <div id={rulesId} className="small muted">
          <p>{t('auth.rules', { min: minLength })}</p>
          <meter min={0} max={4} low={2} high={3} optimum={4} value={strength} aria-hidden="true" />
          <p aria-live="polite">{t('auth.strength', { level: t(`auth.strength.${strength}` as 'auth.strength.0') })}</p>
        </div>
        <button type="submit" className="button primary" disabled={busy}>
          {t('password.title')}
        </button>
      </form>
    </section>
  );
}
