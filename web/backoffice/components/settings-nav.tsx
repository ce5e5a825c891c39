import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { useBackOffice } from '../context.js';
import { useI18n } from '../i18n.js';

/** The Settings section: its sub-pages beside (desktop) or above (phone) the page. */
export function SettingsFrame({
  title,
  children,
  personal = false,
}: {
  title: string;
  children: ReactNode;
  /** The user's own settings (their sign-in security): every user changes them. */
  personal?: boolean;
}) {
  const { t } = useI18n();
  const { identity } = useBackOffice();
  const admin = identity.user.role !== 'staff';
  const links: Array<[string, string]> = [
    ['/settings/organization', t('settings.organization')],
    ['/settings/taxes', t('taxes.title')],
    ['/settings/portal', t('settings.portal')],
    ...(admin ? ([['/settings/online-payments', t('onlinePayments.title')]] as Array<[string, string]>) : []),
    ['/settings/bank-transfer', t('bankTransfer.title')],
    ['/settings/users', t('users.title')],
    ['/settings/security', t('factors.nav')],
    ...(admin
      ? ([
          ['/settings/api-keys', t('apiKeys.title')],
          ['/settings/webhooks', t('webhooks.title')],
          ['/settings/mailbox', t('settings.mailbox')],
        ] as Array<[string, string]>)
      : []),
  ];
  return (
    <div className="settings">
      <nav className="settings-nav" aria-label={t('settings.title')}>
        <p className="strong">{t('settings.title')}</p>
        <ul>
          {links.map(([to, label]) => (
            <li key={to}>
              <NavLink to={to}>{label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <section className="settings-page">
        <h1>{title}</h1>
        {!admin && !personal && <p className="notice">{t('settings.readOnly')}</p>}
        {children}
      </section>
    </div>
  );
}
