import { type ReactNode, useState } from 'react';
import { NavLink, useNavigate } from 'react-router';
import { api } from '../ui/api.js';
import { useBackOffice } from './context.js';
import { useI18n } from './i18n.js';

/**
 * The signed-in frame: the organization, the navigation (a sidebar on desktop, a bar on phones), content. The
 * navigation lists the sections that exist so far, in the order of the design (UI.md, "Back office").
 */
export function Layout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const office = useBackOffice();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);

  async function signOut() {
    setSigningOut(true);
    await api.DELETE('/api/v1/session');
    office.signedOut();
    navigate('/sign-in', { replace: true });
  }

  const links: Array<[string, string]> = [
    ['/', t('nav.home')],
    ['/customers', t('nav.customers')],
    ['/estimates', t('nav.estimates')],
    ['/quote-requests', t('nav.quoteRequests')],
    ['/invoices', t('nav.invoices')],
    ['/recurring-profiles', t('nav.recurring')],
    ['/retainers', t('nav.retainers')],
    ['/payments', t('nav.payments')],
    ['/projects', t('nav.projects')],
    ['/reviews', t('nav.reviews')],
    ['/settings', t('nav.settings')],
  ];
  return (
    <div className="shell backoffice">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <span className="org-name strong">{office.organization.name}</span>
        <div className="topbar-user">
          <span className="muted small">{t('nav.signedInAs', { name: office.identity.user.name })}</span>
          <button type="button" className="button link" onClick={signOut} disabled={signingOut}>
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <nav className="nav" aria-label={t('nav.label')}>
        <ul>
          {links.map(([to, label]) => (
            <li key={to}>
              <NavLink to={to} end={to === '/'}>
                {label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
