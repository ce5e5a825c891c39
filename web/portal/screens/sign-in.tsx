import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useSWRConfig } from 'swr';
import { ApiError, api, data, setCsrfToken } from '../../ui/api.js';
import { useI18n } from '../../ui/i18n.js';
import { PasswordField } from '../components/password-field.js';
import { type PendingSignIn, PendingSignInStep } from '../components/pending-sign-in.js';
import { sessionKey } from '../session.js';

export default function SignIn({ slug }: { slug: string }) {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { mutate } = useSWRConfig();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<PendingSignIn | null>(null);

  /** Signed in: keep the session and go where the person was headed (a path of this portal only). */
  function signedIn(identity: { csrfToken: string }, redirectTo: string) {
    setCsrfToken(identity.csrfToken);
    mutate(sessionKey(slug), identity, { revalidate: false });
    navigate(redirectTo.replace(`/portal/${slug}`, '') || '/', { replace: true });
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const returnTo = params.get('returnTo');
      const identity = await data(
        api.POST('/api/portal/{slug}/session', {
          params: { path: { slug } },
          body: {
            email: String(form.get('email') ?? ''),
            password: String(form.get('password') ?? ''),
            ...(returnTo ? { returnTo: `/portal/${slug}${returnTo}` } : {}),
          },
        }),
      );
      if ('secondFactor' in identity) {
        setPending(identity.secondFactor);
        setBusy(false);
        return;
      }
      // The server answers with a safe path of this portal only (never another site).
      signedIn(identity, identity.redirectTo);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('app.error'));
      setBusy(false);
    }
  }

  if (pending) {
    const returnTo = params.get('returnTo');
    return (
      <PendingSignInStep
        slug={slug}
        pending={pending}
        // Only a path of this portal: the same rule as the password step's answer.
        signedIn={(identity) =>
          signedIn(identity, returnTo?.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/')
        }
      />
    );
  }

  return (
    <>
      <h1>{t('auth.signInTitle')}</h1>
      <form onSubmit={submit} noValidate={false}>
        {error && (
          <p className="notice error" role="alert">
            {error}
          </p>
        )}
        <label className="field">
          <span>{t('auth.email')}</span>
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <PasswordField name="password" label={t('auth.password')} autoComplete="current-password" />
        <button type="submit" className="button primary wide" disabled={busy}>
          {busy ? t('auth.signingIn') : t('auth.signIn')}
        </button>
      </form>
      <p className="small">
        <Link to="/forgot-password">{t('auth.forgot')}</Link>
      </p>
    </>
  );
}
