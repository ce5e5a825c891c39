import { type FormEvent, useId, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import useSWR, { useSWRConfig } from 'swr';
import { ApiError, api, data, setCsrfToken } from '../../ui/api.js';
import { useI18n } from '../../ui/i18n.js';
import type { BrandInfo } from '../brand.js';
import { PasswordField, strengthOf } from '../components/password-field.js';
import { type PendingSignIn, PendingSignInStep } from '../components/pending-sign-in.js';
import { sessionKey } from '../session.js';

/**
 * Choosing a password, from an invitation or a reset link. The token travels in the link's fragment
 * (`#token=…`), which browsers never send to a server or in a Referer.
 */
export default function SetPassword(props: { slug: string; brand: BrandInfo; purpose: 'invitation' | 'reset' }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { mutate } = useSWRConfig();
  const rulesId = useId();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A person with a second factor proves it before the link signs them in.
  const [pending, setPending] = useState<PendingSignIn | null>(null);
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  const minLength = props.brand.passwordMinLength;
  // Before asking for a password: is the link still good? A used or expired one says so, and offers the way on.
  const check = useSWR(token ? ['link', props.slug, props.purpose, token] : null, () =>
    data(
      api.POST('/api/portal/{slug}/links/check', {
        params: { path: { slug: props.slug } },
        body: { token: token ?? '', purpose: props.purpose === 'invitation' ? 'invitation' : 'password_reset' },
      }),
    ),
  );
  const linkSpent = check.error instanceof ApiError && check.error.status === 400;
  const strength = strengthOf(password, minLength);

  function signedIn(identity: { csrfToken: string }) {
    setCsrfToken(identity.csrfToken);
    mutate(sessionKey(props.slug), identity, { revalidate: false });
    navigate('/', { replace: true });
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!token) return;
    setBusy(true);
    setError(null);
    try {
      const params = { path: { slug: props.slug } };
      const body = { token, password };
      const identity = await data(
        props.purpose === 'invitation'
          ? api.POST('/api/portal/{slug}/invitations/accept', { params, body })
          : api.POST('/api/portal/{slug}/password/reset', { params, body }),
      );
      if ('secondFactor' in identity) {
        setPending(identity.secondFactor);
        setBusy(false);
        return;
      }
      signedIn(identity);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.errors[0]?.message || caught.message : t('app.error'));
      setBusy(false);
    }
  }

  if (pending) return <PendingSignInStep slug={props.slug} pending={pending} signedIn={signedIn} />;

  return (
    <>
      <h1>{t('auth.setPasswordTitle')}</h1>
      {!token ? (
        <p className="notice error" role="alert">
          {t('auth.missingToken')}
        </p>
      ) : check.isLoading ? null : linkSpent ? (
        <div className="notice" role="alert">
          <p>{t(props.purpose === 'invitation' ? 'auth.invitationSpent' : 'auth.resetSpent')}</p>
          <p>
            <Link to="/sign-in">{t('auth.signIn')}</Link> · <Link to="/forgot-password">{t('auth.forgot')}</Link>
          </p>
        </div>
      ) : (
        <form onSubmit={submit}>
          {error && (
            <p className="notice error" role="alert">
              {error}
            </p>
          )}
          <PasswordField
            name="password"
            label={t('auth.newPassword')}
            autoComplete="new-password"
            describedBy={rulesId}
            onChange={setPassword}
          />
          <div id={rulesId} className="small muted">
            <p>{t('auth.rules', { min: minLength })}</p>
            <meter min={0} max={4} low={2} high={3} optimum={4} value={strength} aria-hidden="true" />
            <p aria-live="polite">
              {t('auth.strength', { level: t(`auth.strength.${strength}` as 'auth.strength.0') })}
            </p>
          </div>
          <button type="submit" className="button primary wide" disabled={busy}>
            {t('auth.setPassword')}
          </button>
        </form>
      )}
      <p className="small">
        <Link to="/sign-in">{t('auth.backToSignIn')}</Link>
      </p>
    </>
  );
}
