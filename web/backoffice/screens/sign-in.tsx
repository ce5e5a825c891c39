import { type FormEvent, useId, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useSWRConfig } from 'swr';
import { ApiError, api, data, setCsrfToken } from '../../ui/api.js';
import { returnPathFrom } from '../../ui/return-path.js';
import { type PendingSignIn, PendingSignInStep } from '../components/pending-sign-in.js';
import { useI18n } from '../i18n.js';
import { loadSession, SESSION_KEY } from '../session.js';

export default function SignIn() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { mutate } = useSWRConfig();
  const ids = useId();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [visible, setVisible] = useState(false);
  const [pending, setPending] = useState<PendingSignIn | null>(null);

  /** Signed in: keep the session and go where the user was headed (a path of the back office only). */
  async function signedIn(csrfToken: string) {
    setCsrfToken(csrfToken);
    await mutate(SESSION_KEY, loadSession(), { revalidate: false });
    navigate(returnPathFrom(params.get('returnTo')), { replace: true });
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const identity = await data(
        api.POST('/api/v1/session', {
          body: { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') },
        }),
      );
      if ('secondFactor' in identity) {
        setPending(identity.secondFactor);
        setBusy(false);
        return;
      }
      await signedIn(identity.csrfToken);
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status !== 500 ? caught.message : t('app.error'));
      setBusy(false);
    }
  }

  if (pending) return <PendingSignInStep pending={pending} signedIn={signedIn} />;

  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="strong brand-word">{t('app.title')}</p>
        <h1>{t('auth.title')}</h1>
        <p className="muted small">{t('auth.intro')}</p>
        <form onSubmit={submit}>
          {error && (
            <p className="notice error" role="alert">
              {error}
            </p>
          )}
          <label className="field">
            <span>{t('auth.email')}</span>
            <input name="email" type="email" autoComplete="username" required />
          </label>
          <div className="field">
            <label htmlFor={`${ids}-password`}>{t('auth.password')}</label>
            <div className="password-row">
              <input
                id={`${ids}-password`}
                name="password"
                type={visible ? 'text' : 'password'}
                autoComplete="current-password"
                required
                maxLength={128}
              />
              <label className="checkbox small">
                <input type="checkbox" checked={visible} onChange={(event) => setVisible(event.target.checked)} />
                {t('auth.showPassword')}
              </label>
            </div>
          </div>
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? t('auth.signingIn') : t('auth.signIn')}
          </button>
        </form>
        <p className="small">
          <Link to="/forgot-password">{t('reset.forgotLink')}</Link>
        </p>
      </div>
    </main>
  );
}
