import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, api, data } from '../../ui/api.js';
import { useI18n } from '../../ui/i18n.js';

export default function ForgotPassword({ slug }: { slug: string }) {
  const { t } = useI18n();
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email') ?? '');
    try {
      await data(api.POST('/api/portal/{slug}/password/forgot', { params: { path: { slug } }, body: { email } }));
      setSent(true);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('app.error'));
    }
  }

  return (
    <>
      <h1>{t('auth.forgotTitle')}</h1>
      {sent ? (
        <p className="notice" role="status">
          {t('auth.forgotSent')}
        </p>
      ) : (
        <form onSubmit={submit}>
          <p>{t('auth.forgotBody')}</p>
          {error && (
            <p className="notice error" role="alert">
              {error}
            </p>
          )}
          <label className="field">
            <span>{t('auth.email')}</span>
            <input name="email" type="email" autoComplete="username" required />
          </label>
          <button type="submit" className="button primary wide">
            {t('auth.forgotSend')}
          </button>
        </form>
      )}
      <p className="small">
        <Link to="/sign-in">{t('auth.backToSignIn')}</Link>
      </p>
    </>
  );
}
