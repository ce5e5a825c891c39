import useSWR, { useSWRConfig } from 'swr';
import { api, data } from '../../../ui/api.js';
import { type FactorApi, SecondFactorSettings } from '../../../ui/second-factors.js';
import { ErrorScreen } from '../../components/error-screen.js';
import { SettingsFrame } from '../../components/settings-nav.js';
import { Skeleton } from '../../components/skeleton.js';
import { useBackOffice } from '../../context.js';
import { formatDateTime } from '../../format.js';
import { useI18n } from '../../i18n.js';
import { SESSION_KEY } from '../../session.js';

const factorApi: FactorApi = {
  startTotp: () => data(api.POST('/api/v1/second-factors/totp', { body: {} })),
  confirmTotp: (id, code) =>
    data(api.POST('/api/v1/second-factors/totp/{id}/confirm', { params: { path: { id } }, body: { code } })),
  passkeyOptions: () => data(api.POST('/api/v1/second-factors/passkeys/options')),
  addPasskey: (credential) => data(api.POST('/api/v1/second-factors/passkeys', { body: { credential } })),
  remove: async (id) => {
    await data(api.DELETE('/api/v1/second-factors/{id}', { params: { path: { id } } }));
  },
  newRecoveryCodes: () => data(api.POST('/api/v1/second-factors/recovery-codes')),
};

/** Settings › Sign-in security: the signed-in user's own passkeys, authenticator apps and recovery codes. */
export default function SecuritySettings() {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const { mutate } = useSWRConfig();
  const list = useSWR(['second-factors'], () => data(api.GET('/api/v1/second-factors')));
  return (
    <SettingsFrame title={t('factors.nav')} personal>
      {list.error ? (
        <ErrorScreen retry={() => list.mutate()} />
      ) : !list.data ? (
        <Skeleton />
      ) : (
        <SecondFactorSettings
          t={t}
          list={list.data}
          api={factorApi}
          formatDate={(iso) => formatDateTime(iso, locale, timeZone)}
          changed={() => {
            list.mutate();
            // Enrolment may have lifted an enrolment-only session.
            mutate(SESSION_KEY);
          }}
        />
      )}
    </SettingsFrame>
  );
}
