import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, api, data } from '../../ui/api.js';
import { useI18n } from '../i18n.js';

/** "Forgot password?": asks for the e-mail and says the same whether or not it is a user's. */
export default function ForgotPassword() {
  const { t } = useI18n();
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email') ?? '');
    setBusy(true);
    setError(null);
    try {
      await data(api.POST('/api/v1/password/forgot', { body: { email } }));
      setSent(true);
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status !== 500 ? caught.message : t('app.error'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="strong brand-word">{t('app.title')}</p>
        <h1>{t('reset.forgotTitle')}</h1>
        {sent ? (
          <p className="notice" role="status">
            {t('reset.forgotSent')}
          </p>
        ) : (
          <form onSubmit={submit}>
            <p className="muted small">{t('reset.forgotIntro')}</p>
            {error && (
              <p className="notice error" role="alert">
                {error}
              </p>
            )}
            <label className="field">
              <span>{t('auth.email')}</span>
              <input name="email" type="email" autoComplete="username" required />
            </label>
            <button type="submit" className="button primary wide" disabled={busy}>
              {t('reset.forgotSend')}
            </button>
          </form>
        )}
        <p className="small">
          <Link to="/sign-in">{t('reset.backToSignIn')}</Link>
        </p>
      </div>
    </main>
  );
}
