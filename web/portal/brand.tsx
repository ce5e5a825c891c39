import type { ReactNode } from 'react';
import { api, data } from '../ui/api.js';
import type { paths } from '../ui/api-types.js';
import { useI18n } from '../ui/i18n.js';

export type BrandInfo = paths['/api/portal/{slug}/brand']['get']['responses'][200]['content']['application/json'];

/** The SWR key of the organization's brand, which stays cached across sign-outs. */
export const brandKey = (slug: string) => ['brand', slug] as const;

export const loadBrand = (slug: string) => data(api.GET('/api/portal/{slug}/brand', { params: { path: { slug } } }));

/** The organization's logo (when it has one) and name: its brand, never Portico's, in front of its clients. */
export function OrganizationMark({ brand }: { brand: BrandInfo }) {
  return (
    <span className="org-mark">
      {brand.logoUrl && <img src={brand.logoUrl} alt="" height={32} />}
      <span className="org-name">{brand.organizationName}</span>
    </span>
  );
}

/** The frame of the screens before sign-in: the organization's brand, its banner, the screen, a small footer. */
export function Brand({ brand, children }: { brand: BrandInfo; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="auth-page">
      <header className="auth-header">
        <OrganizationMark brand={brand} />
      </header>
      <main id="main" className="auth-card">
        {brand.testMode && (
          <p className="test-mode-banner" role="note">
            <strong>{t('testMode.banner')}</strong> {t('testMode.bannerDetail')}
          </p>
        )}
        {brand.banner && <p className="banner">{brand.banner}</p>}
        {children}
      </main>
      <footer className="footer">{t('app.poweredBy')}</footer>
    </div>
  );
}
