import { lazy, Suspense, useMemo } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useSearchParams } from 'react-router';
import useSWR, { useSWRConfig } from 'swr';
import { api, data, setCsrfToken } from '../ui/api.js';
import { returnPathFrom } from '../ui/return-path.js';
import { browserLocale } from '../ui/translate.js';
import { ErrorScreen } from './components/error-screen.js';
import { Skeleton } from './components/skeleton.js';
import { BackOfficeContext, type BackOfficeValue } from './context.js';
import { I18nProvider } from './i18n.js';
import { Layout } from './layout.js';
import { loadSession, SESSION_KEY } from './session.js';

const SignIn = lazy(() => import('./screens/sign-in.js'));
const ForgotPassword = lazy(() => import('./screens/forgot-password.js'));
const ResetPassword = lazy(() => import('./screens/reset-password.js'));
const Customers = lazy(() => import('./screens/customers.js'));
const Customer = lazy(() => import('./screens/customer.js'));
const CustomerForm = lazy(() => import('./screens/customer-form.js'));
const Invoices = lazy(() => import('./screens/invoices.js'));
const Invoice = lazy(() => import('./screens/invoice.js'));
const Estimates = lazy(() => import('./screens/estimates.js'));
const Estimate = lazy(() => import('./screens/estimate.js'));
const Reviews = lazy(() => import('./screens/reviews.js'));
const QuoteRequests = lazy(() => import('./screens/quote-requests.js'));
const DocumentForm = lazy(() => import('./screens/document-form.js'));
const Retainers = lazy(() => import('./screens/retainers.js'));
const Retainer = lazy(() => import('./screens/retainer.js'));
const RetainerForm = lazy(() => import('./screens/retainer-form.js'));
const Payments = lazy(() => import('./screens/payments.js'));
const Payment = lazy(() => import('./screens/payment.js'));
const PaymentForm = lazy(() => import('./screens/payment-form.js'));
const PaymentFailures = lazy(() => import('./screens/payment-failures.js'));
const RecurringProfiles = lazy(() => import('./screens/recurring-profiles.js'));
const RecurringProfile = lazy(() => import('./screens/recurring-profile.js'));
const RecurringProfileForm = lazy(() => import('./screens/recurring-profile-form.js'));
const Projects = lazy(() => import('./screens/projects.js'));
const Project = lazy(() => import('./screens/project.js'));
const ProjectForm = lazy(() => import('./screens/project-form.js'));
const NotFound = lazy(() => import('./screens/not-found.js'));
const Home = lazy(() => import('./screens/home.js'));
const Setup = lazy(() => import('./screens/setup.js'));
const OrganizationSettings = lazy(() => import('./screens/settings/organization.js'));
const PortalSettings = lazy(() => import('./screens/settings/portal.js'));
const Mailbox = lazy(() => import('./screens/settings/mailbox.js'));
const TaxSettings = lazy(() => import('./screens/settings/taxes.js'));
const OnlinePaymentsSettings = lazy(() => import('./screens/settings/online-payments.js'));
const BankTransferSettings = lazy(() => import('./screens/settings/bank-transfer.js'));
const WebhookSettings = lazy(() => import('./screens/settings/webhooks.js'));
const UserSettings = lazy(() => import('./screens/settings/users.js'));
const ApiKeySettings = lazy(() => import('./screens/settings/api-keys.js'));
const SecuritySettings = lazy(() => import('./screens/settings/security.js'));
const MailboxMessage = lazy(() => import('./screens/settings/mailbox.js').then((m) => ({ default: m.MailboxMessage })));

/** The back office at /app: the sign-in screen, or the signed-in shell and its screens. */
export function App() {
  return (
    <BrowserRouter basename="/app">
      <BackOffice />
    </BrowserRouter>
  );
}

function BackOffice() {
  const { mutate } = useSWRConfig();
  const session = useSWR(SESSION_KEY, loadSession);
  const context = useMemo<BackOfficeValue | null>(
    () =>
      session.data
        ? {
            identity: session.data.identity,
            organization: session.data.organization,
            locale: session.data.organization.locale,
            timeZone: session.data.organization.timeZone,
            signedOut: () => {
              setCsrfToken('');
              // Forget everything this user saw, then the session itself.
              mutate(() => true, undefined, { revalidate: false });
              mutate(SESSION_KEY, null, { revalidate: false });
            },
          }
        : null,
    [session.data, mutate],
  );
  if (session.error) {
    return (
      <I18nProvider locale={browserLocale()}>
        <ErrorScreen retry={() => session.mutate()} />
      </I18nProvider>
    );
  }
  if (session.data === undefined) {
    return (
      <I18nProvider locale={browserLocale()}>
        <Skeleton />
      </I18nProvider>
    );
  }
  if (!context) {
    return (
      <I18nProvider locale={browserLocale()}>
        <SignedOut />
      </I18nProvider>
    );
  }
  return (
    <BackOfficeContext.Provider value={context}>
      <I18nProvider locale={context.locale}>
        <Layout>
          <Suspense fallback={<Skeleton />}>
            {context.identity.enrolmentRequired ? (
              // The organization requires a second factor: the user sets one up before anything else.
              <Routes>
                <Route path="/settings/security" element={<SecuritySettings />} />
                <Route path="*" element={<Navigate to="/settings/security" replace />} />
              </Routes>
            ) : (
              <Routes>
                <Route path="/" element={<Home />} />
                <Route path="/setup" element={<Navigate to="/" replace />} />
                <Route path="/settings" element={<Navigate to="/settings/organization" replace />} />
                <Route path="/settings/organization" element={<OrganizationSettings />} />
                <Route path="/settings/portal" element={<PortalSettings />} />
                <Route path="/settings/taxes" element={<TaxSettings />} />
                <Route path="/settings/online-payments" element={<OnlinePaymentsSettings />} />
                <Route path="/settings/bank-transfer" element={<BankTransferSettings />} />
                <Route path="/settings/webhooks" element={<WebhookSettings />} />
                <Route path="/settings/users" element={<UserSettings />} />
                <Route path="/settings/api-keys" element={<ApiKeySettings />} />
                <Route path="/settings/security" element={<SecuritySettings />} />
                <Route path="/settings/mailbox" element={<Mailbox />} />
                <Route path="/settings/mailbox/:id" element={<MailboxMessage />} />
                <Route path="/sign-in" element={<AfterSignIn />} />
                <Route path="/customers" element={<Customers />} />
                <Route path="/customers/new" element={<CustomerForm />} />
                <Route path="/customers/:id" element={<Customer />} />
                <Route path="/customers/:id/edit" element={<CustomerForm />} />
                <Route path="/invoices" element={<Invoices />} />
                <Route path="/invoices/:id" element={<Invoice />} />
                <Route path="/recurring-profiles" element={<RecurringProfiles />} />
                <Route path="/recurring-profiles/new" element={<RecurringProfileForm />} />
                <Route path="/recurring-profiles/:id" element={<RecurringProfile />} />
                <Route path="/recurring-profiles/:id/edit" element={<RecurringProfileForm />} />
                <Route path="/estimates" element={<Estimates />} />
                <Route path="/estimates/:id" element={<Estimate />} />
                <Route path="/reviews" element={<Reviews />} />
                <Route path="/quote-requests" element={<QuoteRequests />} />
                <Route path="/invoices/new" element={<DocumentForm kind="invoice" />} />
                <Route path="/invoices/:id/edit" element={<DocumentForm kind="invoice" />} />
                <Route path="/estimates/new" element={<DocumentForm kind="estimate" />} />
                <Route path="/estimates/:id/edit" element={<DocumentForm kind="estimate" />} />
                <Route path="/retainers" element={<Retainers />} />
                <Route path="/retainers/new" element={<RetainerForm />} />
                <Route path="/retainers/:id" element={<Retainer />} />
                <Route path="/payments" element={<Payments />} />
                <Route path="/payments/new" element={<PaymentForm />} />
                <Route path="/payments/:id" element={<Payment />} />
                <Route path="/payment-failures" element={<PaymentFailures />} />
                <Route path="/projects" element={<Projects />} />
                <Route path="/projects/new" element={<ProjectForm />} />
                <Route path="/projects/:id" element={<Project />} />
                <Route path="/projects/:id/edit" element={<ProjectForm />} />
                <Route path="*" element={<NotFound />} />
              </Routes>
            )}
          </Suspense>
        </Layout>
      </I18nProvider>
    </BackOfficeContext.Provider>
  );
}

/** Nobody signed in: the first-run setup while the database is empty, else the sign-in screen. */
function SignedOut() {
  const setup = useSWR(['setup'], () => data(api.GET('/api/v1/setup')));
  if (setup.data === undefined && !setup.error) return <Skeleton />;
  return (
    <Suspense fallback={<Skeleton />}>
      {setup.data?.needed ? (
        <Routes>
          <Route path="/setup" element={<Setup />} />
          <Route path="*" element={<Navigate to="/setup" replace />} />
        </Routes>
      ) : (
        <Routes>
          <Route path="/sign-in" element={<SignIn />} />
          <Route path="/forgot-password" element={<ForgotPassword />} />
          <Route path="/reset-password" element={<ResetPassword />} />
          <Route path="*" element={<ToSignIn />} />
        </Routes>
      )}
    </Suspense>
  );
}

/** Signed in on the sign-in page: to where the user was going (a back-office path only), else Home. */
function AfterSignIn() {
  const [params] = useSearchParams();
  return <Navigate to={returnPathFrom(params.get('returnTo'))} replace />;
}

/** Not signed in: to the sign-in screen, remembering where the user was going. */
function ToSignIn() {
  const location = useLocation();
  const target = `${location.pathname}${location.search}`;
  const returnTo = location.pathname === '/' ? '' : `?returnTo=${encodeURIComponent(target)}`;
  return <Navigate to={`/sign-in${returnTo}`} replace />;
}
