import { type KeyboardEvent, type ReactNode, useRef, useState } from 'react';
import { NavLink, useLocation, useNavigate } from 'react-router';
import { api } from '../ui/api.js';
import { useI18n } from '../ui/i18n.js';
import { type BrandInfo, OrganizationMark } from './brand.js';
import { BankDetailsNotice } from './components/bank-transfer.js';
import { usePortal } from './portal-context.js';

/** The signed-in frame: the organization's brand, the navigation (a sidebar on desktop, a bar on phones), content. */
export function Layout({ brand, children }: { brand: BrandInfo; children: ReactNode }) {
  const { t } = useI18n();
  const portal = usePortal();
  const navigate = useNavigate();
  const location = useLocation();
  const [signingOut, setSigningOut] = useState(false);
  const [accountOpen, setAccountOpen] = useState(false);
  const [moreOpen, setMoreOpen] = useState(false);
  const accountButton = useRef<HTMLButtonElement>(null);
  const moreButton = useRef<HTMLButtonElement>(null);
  const { showProjects, reviews } = portal.identity.settings;

  async function signOut() {
    setSigningOut(true);
    await api.DELETE('/api/portal/{slug}/session', { params: { path: { slug: portal.slug } } });
    portal.signedOut();
    navigate('/sign-in', { replace: true });
  }

  // On phones the bar holds the first four; the rest, and the account's links, are under "More" (UI.md).
  const PRIMARY_ON_PHONES = 4;
  const links: Array<[string, string]> = [
    ['/', t('nav.home')],
    ['/invoices', t('nav.invoices')],
    ['/estimates', t('nav.estimates')],
    ['/payments', t('nav.payments')],
    ['/retainers', t('nav.retainers')],
    ...(showProjects ? [['/projects', t('nav.projects')] as [string, string]] : []),
    ['/statement', t('nav.statement')],
  ];
  // The account menu: a disclosure (a button that shows or hides its links); Escape closes it.
  const accountLinks: Array<[string, string]> = [
    ['/account', t('nav.details')],
    ['/account/password', t('nav.password')],
    ['/account/security', t('factors.nav')],
    ['/recurring-profiles', t('nav.autopay')],
    ...(reviews ? [['/account/review', t('nav.review')] as [string, string]] : []),
  ];
  const onAccountPage = accountLinks.some(([to]) => location.pathname === to);
  const closeAccount = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !accountOpen) return;
    setAccountOpen(false);
    accountButton.current?.focus();
  };
  const closeMore = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !moreOpen) return;
    setMoreOpen(false);
    moreButton.current?.focus();
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
          {links.map(([to, label], index) => (
            <li key={to} className={index < PRIMARY_ON_PHONES ? undefined : 'desktop-only'}>
              <NavLink to={to} end={to === '/'}>
                {label}
              </NavLink>
            </li>
          ))}
          <li className="phone-only" onKeyDown={closeMore}>
            <button
              ref={moreButton}
              type="button"
              className="nav-button"
              aria-expanded={moreOpen}
              aria-controls="more-menu"
              onClick={() => setMoreOpen((open) => !open)}
            >
              {t('nav.more')}
            </button>
            <ul id="more-menu" className="more-menu" hidden={!moreOpen}>
              {[...links.slice(PRIMARY_ON_PHONES), ...accountLinks].map(([to, label]) => (
                <li key={to}>
                  <NavLink to={to} end onClick={() => setMoreOpen(false)}>
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
          <li className="account-menu desktop-only" onKeyDown={closeAccount}>
            <button
              ref={accountButton}
              type="button"
              className={onAccountPage ? 'nav-button current' : 'nav-button'}
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
        {portal.identity.settings.onlinePayments === 'test' && (
          <p className="test-mode-banner" role="note">
            <strong>{t('testMode.banner')}</strong> {t('testMode.bannerDetail')}
          </p>
        )}
        <BankDetailsNotice />
        {children}
      </main>
      <footer className="footer">{t('app.poweredBy')}</footer>
    </div>
  );
}
