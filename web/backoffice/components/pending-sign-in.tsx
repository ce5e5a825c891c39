import { api, data } from '../../ui/api.js';
import { SecondFactorStep } from '../../ui/second-factors.js';
import { useI18n } from '../i18n.js';

/** A sign-in waiting for its second factor (after a password, or a password chosen from a reset link). */
export interface PendingSignIn {
  token: string;
  methods: Array<'totp' | 'passkey' | 'recovery_code'>;
}

/** The second step of a pending sign-in, on the sign-in card; `signedIn` gets the new CSRF token. */
export function PendingSignInStep(props: { pending: PendingSignIn; signedIn(csrfToken: string): Promise<void> }) {
  const { t } = useI18n();
  const { pending } = props;
  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="strong brand-word">{t('app.title')}</p>
        <SecondFactorStep
          t={t}
          methods={pending.methods}
          passkeyOptions={() =>
            data(api.POST('/api/v1/session/second-factor/passkey-options', { body: { token: pending.token } }))
          }
          complete={async (answer) => {
            const identity = await data(
              api.POST('/api/v1/session/second-factor', { body: { token: pending.token, ...answer } }),
            );
            await props.signedIn(identity.csrfToken);
          }}
        />
      </div>
    </main>
  );
}
