import { api, data } from '../../ui/api.js';
import { useI18n } from '../../ui/i18n.js';
import { SecondFactorStep } from '../../ui/second-factors.js';

/** A sign-in waiting for its second factor (after a password, or a password chosen from an e-mailed link). */
export interface PendingSignIn {
  token: string;
  methods: Array<'totp' | 'passkey' | 'recovery_code'>;
}

/** The second step of a pending sign-in on this portal; `signedIn` gets the session once a factor is proved. */
export function PendingSignInStep(props: {
  slug: string;
  pending: PendingSignIn;
  signedIn(identity: { csrfToken: string }): void;
}) {
  const { t } = useI18n();
  const { slug, pending } = props;
  return (
    <SecondFactorStep
      t={t}
      methods={pending.methods}
      passkeyOptions={() =>
        data(
          api.POST('/api/portal/{slug}/session/second-factor/passkey-options', {
            params: { path: { slug } },
            body: { token: pending.token },
          }),
        )
      }
      complete={async (answer) => {
        props.signedIn(
          await data(
            api.POST('/api/portal/{slug}/session/second-factor', {
              params: { path: { slug } },
              body: { token: pending.token, ...answer },
            }),
          ),
        );
      }}
    />
  );
}
