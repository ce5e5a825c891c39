import { lazy, type ReactNode, Suspense, useMemo } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useSearchParams } from 'react-router';
import useSWR, { useSWRConfig } from 'swr';
import { contactLocale } from '../../src/domain/languages.js';
import { setCsrfToken } from '../ui/api.js';
import { browserLocale, I18nProvider, useI18n } from '../ui/i18n.js';
import { returnPathFrom } from '../ui/return-path.js';
import { Brand, type BrandInfo, brandKey, loadBrand } from './brand.js';
import { ErrorScreen } from './components/error-screen.js';
import { Skeleton } from './components/skeleton.js';
import { Layout } from './layout.js';
import { PortalContext, type PortalContextValue } from './portal-context.js';
import { loadSession, sessionKey } from './session.js';

const Home = lazy(() => import('./screens/home.js'));
const Invoices = lazy(() => import('./screens/invoices.js'));
const Invoice = lazy(() => import('./screens/invoice.js'));
const Estimates = lazy(() => import('./screens/estimates.js'));
const Estimate = lazy(() => import('./screens/estimate.js'));
const Retainers = lazy(() => import('./screens/retainers.js'));
const Retainer = lazy(() => import('./screens/retainer.js'));
const Payments = lazy(() => import('./screens/payments.js'));
const Payment = lazy(() => import('./screens/payment.js'));
const Pay = lazy(() => import('./screens/pay.js'));
const PaymentResult = lazy(() => import('./screens/payment-result.js'));
const SignIn = lazy(() => import('./screens/sign-in.js'));
const ForgotPassword = lazy(() => import('./screens/forgot-password.js'));
const SetPassword = lazy(() => import('./screens/set-password.js'));
const Projects = lazy(() => import('./screens/projects.js'));
const Project = lazy(() => import('./screens/project.js'));
const Statement = lazy(() => import('./screens/statement.js'));
const Account = lazy(() => import('./screens/account.js'));
const RecurringProfiles = lazy(() => import('./screens/recurring-profiles.js'));
const ChangePassword = lazy(() => import('./screens/change-password.js'));
const Security = lazy(() => import('./screens/security.js'));
const Review = lazy(() => import('./screens/review.js'));
const QuoteRequests = lazy(() => import('./screens/quote-requests.js'));
const NotFound = lazy(() => import('./screens/not-found.js'));

/** The portal app: the organization's brand first (shown even before sign-in), then the client's session. */
export function App({ slug }: { slug: string }) {
  const brand = useSWR(brandKey(slug), () => loadBrand(slug));
  if (brand.error) {
    return (
      <I18nProvider locale={browserLocale()}>
        <PortalMissing />
      </I18nProvider>
    );
  }
  if (!brand.data) return <Skeleton />;
  return (
    <I18nProvider locale={browserLocale()}>
      <BrowserRouter basename={`/portal/${slug}`}>
        <Portal slug={slug} brand={brand.data} />
      </BrowserRouter>
    </I18nProvider>
  );
}

function Portal({ slug, brand }: { slug: string; brand: BrandInfo }) {
  const { mutate } = useSWRConfig();
  const session = useSWR(sessionKey(slug), () => loadSession(slug));
  const context = useMemo<PortalContextValue | null>(
    () =>
      session.data
        ? {
            slug,
            identity: session.data,
            // The contact's chosen language wins; without one, the organization's locale.
            locale: contactLocale(session.data.contactPerson.language, session.data.organization.locale),
            currency: session.data.organization.currency,
            signedOut: () => {
              setCsrfToken('');
              // Forget everything the client saw (the organization's brand stays), then the session itself.
              mutate((key) => !(Array.isArray(key) && key[0] === 'brand'), undefined, { revalidate: false });
              mutate(sessionKey(slug), null, { revalidate: false });
            },
          }
        : null,
    [session.data, slug, mutate],
  );
  if (session.error) return <ErrorScreen retry={() => session.mutate()} />;
  if (session.data === undefined) return <Skeleton />;

  const publicScreen = (screen: ReactNode) => (
    <Brand brand={brand}>
      <Suspense fallback={<Skeleton />}>{screen}</Suspense>
    </Brand>
  );
  return (
    <Routes>
      <Route path="/sign-in" element={context ? <AfterSignIn /> : publicScreen(<SignIn slug={slug} />)} />
      <Route path="/forgot-password" element={publicScreen(<ForgotPassword slug={slug} />)} />
      <Route path="/reset-password" element={publicScreen(<SetPassword slug={slug} brand={brand} purpose="reset" />)} />
      <Route
        path="/accept-invitation"
        element={publicScreen(<SetPassword slug={slug} brand={brand} purpose="invitation" />)}
      />
      <Route
        path="*"
        element={
          context ? (
            <PortalContext.Provider value={context}>
              <I18nProvider locale={context.locale}>
                <Layout brand={brand}>
                  <Suspense fallback={<Skeleton />}>
                    {context.identity.enrolmentRequired ? (
                      // The organization requires a second factor: set one up before anything else.
                      <Routes>
                        <Route path="/account/security" element={<Security />} />
                        <Route path="*" element={<Navigate to="/account/security" replace />} />
                      </Routes>
                    ) : (
                      <Routes>
                        <Route path="/" element={<Home />} />
                        <Route path="/invoices" element={<Invoices />} />
                        <Route path="/invoices/:id" element={<Invoice />} />
                        <Route path="/estimates" element={<Estimates />} />
                        <Route path="/estimates/:id" element={<Estimate />} />
                        <Route path="/retainers" element={<Retainers />} />
                        <Route path="/retainers/:id" element={<Retainer />} />
                        <Route path="/payments" element={<Payments />} />
                        <Route path="/payments/return" element={<PaymentResult />} />
                        <Route path="/payments/:id" element={<Payment />} />
                        <Route path="/pay" element={<Pay />} />
                        {context.identity.settings.showProjects && (
                          <>
                            <Route path="/projects" element={<Projects />} />
                            <Route path="/projects/:id" element={<Project />} />
                          </>
                        )}
                        <Route path="/statement" element={<Statement />} />
                        <Route path="/account" element={<Account />} />
                        <Route path="/recurring-profiles" element={<RecurringProfiles />} />
                        <Route path="/account/password" element={<ChangePassword />} />
                        <Route path="/account/security" element={<Security />} />
                        {context.identity.settings.reviews && <Route path="/account/review" element={<Review />} />}
                        {context.identity.settings.quoteRequests && (
                          <Route path="/quote-requests" element={<QuoteRequests />} />
                        )}
                        <Route path="*" element={<NotFound />} />
                      </Routes>
                    )}
                  </Suspense>
                </Layout>
              </I18nProvider>
            </PortalContext.Provider>
          ) : (
            <ToSignIn />
          )
        }
      />
    </Routes>
  );
}

/**
 * Signed in on the sign-in page (just now, or earlier in another tab): to where the client was going — a path of
 * this portal only, as the router resolves it under the portal's base — else Home. An e-mailed "View invoice" link
 * opened while signed out lands on that invoice after sign-in.
 */
function AfterSignIn() {
  const [params] = useSearchParams();
  return <Navigate to={returnPathFrom(params.get('returnTo'))} replace />;
}

/** Not signed in: to the sign-in screen, remembering where the client was going. */
function ToSignIn() {
  const location = useLocation();
  const target = `${location.pathname}${location.search}`;
  const returnTo = target === '/' ? '' : `?returnTo=${encodeURIComponent(target)}`;
  return <Navigate to={`/sign-in${returnTo}`} replace />;
}

function PortalMissing() {
  const { t } = useI18n();
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>{t('app.notFound.title')}</h1>
        <p>{t('app.portalNotFound')}</p>
      </div>
    </main>
  );
}
