import { type FormEvent, useId, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useSWRConfig } from 'swr';
import { ApiError, api, data, setCsrfToken } from '../../ui/api.js';
import { type PendingSignIn, PendingSignInStep } from '../components/pending-sign-in.js';
import { useI18n } from '../i18n.js';
import { loadSession, SESSION_KEY } from '../session.js';

/**
 * A new password from a reset link, then signed in. The token travels in the link's fragment (`#token=…`), which
 * browsers never send to a server or in a Referer. A used or expired link says so and offers to ask again.
 */
export default function ResetPassword() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { mutate } = useSWRConfig();
  const ids = useId();
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  const [visible, setVisible] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [spent, setSpent] = useState(false);
  // A user with a second factor proves it before the link signs them in.
  const [pending, setPending] = useState<PendingSignIn | null>(null);

  async function signedIn(csrfToken: string) {
    setCsrfToken(csrfToken);
    await mutate(SESSION_KEY, loadSession(), { revalidate: false });
    navigate('/', { replace: true });
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!token) return;
    const password = String(new FormData(event.currentTarget).get('password') ?? '');
    setBusy(true);
    setError(null);
    try {
      const identity = await data(api.POST('/api/v1/password/reset', { body: { token, password } }));
      if ('secondFactor' in identity) {
        setPending(identity.secondFactor);
        setBusy(false);
        return;
      }
      await signedIn(identity.csrfToken);
    } catch (caught) {
      setBusy(false);
      if (caught instanceof ApiError && caught.errors.some((e) => e.path === '/token')) setSpent(true);
      else setError(caught instanceof ApiError && caught.status !== 500 ? caught.message : t('app.error'));
    }
  }

  if (pending) return <PendingSignInStep pending={pending} signedIn={signedIn} />;

  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="strong brand-word">{t('app.title')}</p>
        <h1>{t('reset.title')}</h1>
        {!token || spent ? (
          <div className="notice error" role="alert">
            <p>{token ? t('reset.spent') : t('reset.missingToken')}</p>
            <p>
              <Link to="/forgot-password">{t('reset.askAgain')}</Link>
            </p>
          </div>
        ) : (
          <form onSubmit={submit}>
            {error && (
              <p className="notice error" role="alert">
                {error}
              </p>
            )}
            <div className="field">
              <label htmlFor={`${ids}-password`}>{t('reset.newPassword')}</label>
              <div className="password-row">
                <input
                  id={`${ids}-password`}
                  name="password"
                  type={visible ? 'text' : 'password'}
                  autoComplete="new-password"
                  required
                  maxLength={1000}
                  aria-describedby={`${ids}-rules`}
                />
                <label className="checkbox small">
                  <input type="checkbox" checked={visible} onChange={(event) => setVisible(event.target.checked)} />
                  {t('auth.showPassword')}
                </label>
              </div>
              <span id={`${ids}-rules`} className="muted small">
                {t('setup.passwordRules')}
              </span>
            </div>
            <button type="submit" className="button primary wide" disabled={busy}>
              {busy ? t('app.saving') : t('reset.save')}
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
