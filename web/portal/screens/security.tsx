import useSWR, { useSWRConfig } from 'swr';
import { api, data } from '../../ui/api.js';
import { useI18n } from '../../ui/i18n.js';
import { type FactorApi, SecondFactorSettings } from '../../ui/second-factors.js';
import { ErrorScreen } from '../components/error-screen.js';
import { Skeleton } from '../components/skeleton.js';
import { usePortal } from '../portal-context.js';
import { sessionKey } from '../session.js';

/** Account › Sign-in security: the contact person's passkeys, authenticator apps and recovery codes. */
export default function Security() {
  const { t } = useI18n();
  const { slug, locale } = usePortal();
  const { mutate } = useSWRConfig();
  const path = { params: { path: { slug } } };
  const list = useSWR(['second-factors', slug], () => data(api.GET('/api/portal/{slug}/second-factors', path)));
  const factorApi: FactorApi = {
    startTotp: () => data(api.POST('/api/portal/{slug}/second-factors/totp', { ...path, body: {} })),
    confirmTotp: (id, code) =>
      data(
        api.POST('/api/portal/{slug}/second-factors/totp/{id}/confirm', {
          params: { path: { slug, id } },
          body: { code },
        }),
      ),
    passkeyOptions: () => data(api.POST('/api/portal/{slug}/second-factors/passkeys/options', path)),
    addPasskey: (credential) =>
      data(api.POST('/api/portal/{slug}/second-factors/passkeys', { ...path, body: { credential } })),
    remove: async (id) => {
      await data(api.DELETE('/api/portal/{slug}/second-factors/{id}', { params: { path: { slug, id } } }));
    },
    newRecoveryCodes: () => data(api.POST('/api/portal/{slug}/second-factors/recovery-codes', path)),
  };
  if (list.error) return <ErrorScreen retry={() => list.mutate()} />;
  if (!list.data) return <Skeleton />;
  return (
    <>
      <h1>{t('factors.nav')}</h1>
      <SecondFactorSettings
        t={t}
        list={list.data}
        api={factorApi}
        formatDate={(iso) =>
          new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
        }
        changed={() => {
          list.mutate();
          // Enrolment may have lifted an enrolment-only session.
          mutate(sessionKey(slug));
        }}
      />
    </>
  );
}
