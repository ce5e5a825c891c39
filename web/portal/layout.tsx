import { type KeyboardEvent, type ReactNode, useRef, useState } from 'react';
import { NavLink, useNavigate } from 'react-router';
import { api } from '../ui/api.js';
import { useI18n } from '../ui/i18n.js';
import { type BrandInfo, OrganizationMark } from './brand.js';
import { usePortal } from './portal-context.js';

/** The signed-in frame: the organization's brand, the navigation (a sidebar on desktop, a bar on phones), content. */
export function Layout({ brand, children }: { brand: BrandInfo; children: ReactNode }) {
  const { t } = useI18n();
  const portal = usePortal();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);
  const [accountOpen, setAccountOpen] = useState(false);
  const accountButton = useRef<HTMLButtonElement>(null);
  const { showProjects, reviews } = portal.identity.settings;

  async function signOut() {
    setSigningOut(true);
    await api.DELETE('/api/portal/{slug}/session', { params: { path: { slug: portal.slug } } });
    portal.signedOut();
    navigate('/sign-in', { replace: true });
  }

  const links: Array<[string, string]> = [
    ['/', t('nav.home')],
    ['/estimates', t('nav.estimates')],
    ['/invoices', t('nav.invoices')],
    ['/retainers', t('nav.retainers')],
    ['/payments', t('nav.payments')],
    ...(showProjects ? [['/projects', t('nav.projects')] as [string, string]] : []),
    ['/statement', t('nav.statement')],
  ];
  // The account menu: a disclosure (a button that shows or hides its links); Escape closes it.
  const accountLinks: Array<[string, string]> = [
    ['/account', t('nav.details')],
    ['/account/password', t('nav.password')],
    ...(reviews ? [['/account/review', t('nav.review')] as [string, string]] : []),
  ];
  const closeAccount = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !accountOpen) return;
    setAccountOpen(false);
    accountButton.current?.focus();
  };
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <OrganizationMark brand={brand} />
        <div className="topbar-user">
          <span className="muted small">{t('nav.signedInAs', { name: portal.identity.contactPerson.name })}</span>
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
          <li className="account-menu" onKeyDown={closeAccount}>
            <button
              ref={accountButton}
              type="button"
              className="nav-button"
              aria-expanded={accountOpen}
              aria-controls="account-menu"
              onClick={() => setAccountOpen((open) => !open)}
            >
              {t('nav.account')}
            </button>
            <ul id="account-menu" hidden={!accountOpen}>
              {accountLinks.map(([to, label]) => (
                <li key={to}>
                  <NavLink to={to} end onClick={() => setAccountOpen(false)}>
                    {label}
                  </NavLink>
                </li>
              ))}
              <li>
                <button type="button" className="nav-button" onClick={signOut} disabled={signingOut}>
                  {t('nav.signOut')}
                </button>
              </li>
            </ul>
          </li>
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {children}
      </main>
      <footer className="footer">{t('app.poweredBy')}</footer>
    </div>
  );
}
