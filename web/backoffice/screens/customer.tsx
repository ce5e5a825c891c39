import { useState } from 'react';
import { Link, useParams } from 'react-router';
import useSWR, { useSWRConfig } from 'swr';
import { addressLines } from '../../../src/domain/addresses.js';
import { ApiError, api, data } from '../../ui/api.js';
import type { paths } from '../../ui/api-types.js';
import { refresh } from '../../ui/cache.js';
import { Money } from '../../ui/money.js';
import { useConfirm } from '../components/confirm.js';
import { CustomerBalance } from '../components/customer-balance.js';
import { Credit, InviteAll, PortalActivity, Statement } from '../components/customer-extras.js';
import { ErrorScreen } from '../components/error-screen.js';
import { Skeleton } from '../components/skeleton.js';
import { useBackOffice } from '../context.js';
import { formatDay } from '../format.js';
import { useI18n } from '../i18n.js';
import NotFound from './not-found.js';

type CustomerData = paths['/api/v1/customers/{id}']['get']['responses'][200]['content']['application/json'];
type ContactPerson = CustomerData['contactPersons'][number];

export const customerKey = (id: string) => ['customer', id] as const;

export const personName = (person: { firstName: string; lastName: string | null }) =>
  [person.firstName, person.lastName].filter(Boolean).join(' ');

const STATUS_TONES: Record<ContactPerson['portalStatus'], string> = {
  none: 'muted',
  invited: 'info',
  active: 'success',
  disabled: 'danger',
};

export default function Customer() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const customer = useSWR(customerKey(id), () => data(api.GET('/api/v1/customers/{id}', { params: { path: { id } } })));
  if (customer.error) {
    if (customer.error instanceof ApiError && customer.error.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => customer.mutate()} />;
  }
  if (!customer.data) return <Skeleton />;
  const c = customer.data;
  // The lines documents print under "Bill to" and "Ship to".
  const billing = addressLines(c.billingAddress);
  const shipping = addressLines(c.shippingAddress);
  const shipsToBilling = shipping.length > 0 && shipping.join('\n') === billing.join('\n');
  return (
    <article>
      <div className="page-head">
        <div>
          <h1>{c.displayName}</h1>
          {c.companyName && <p className="muted">{c.companyName}</p>}
        </div>
        <Link to={`/customers/${c.id}/edit`} className="button secondary">
          {t('customer.edit')}
        </Link>
      </div>
      <section className="card" aria-labelledby="customer-details">
        <h2 id="customer-details">{t('customer.details')}</h2>
        <dl className="facts">
          {c.email && <Fact label={t('customers.email')} value={c.email} />}
          {c.phone && <Fact label={t('customer.phone')} value={c.phone} />}
          {c.website && <Fact label={t('customer.website')} value={c.website} />}
          <Fact label={t('customer.currency')} value={c.currency} />
          {c.paymentTermsDays !== null && (
            <Fact label={t('customer.terms')} value={t('customer.termsDays', { days: c.paymentTermsDays })} />
          )}
          {billing.length > 0 && <Fact label={t('address.billing')} value={billing.join('\n')} />}
          {shipping.length > 0 && (
            <Fact
              label={t('address.shipping')}
              value={shipsToBilling ? t('address.sameAsBilling') : shipping.join('\n')}
            />
          )}
          {c.openingBalance !== 0 && (
            <div>
              <dt className="fact-label">{t('balance.broughtForward')}</dt>
              <dd className="fact-value">
                <Money amount={c.openingBalance} currency={c.currency} />
              </dd>
            </div>
          )}
          {c.notes && <Fact label={t('customer.notes')} value={c.notes} />}
        </dl>
        <p className="related">
          <Link to={`/invoices?customerId=${c.id}`}>{t('customer.invoices')}</Link>
          {' · '}
          <Link to={`/estimates?customerId=${c.id}`}>{t('customer.estimates')}</Link>
          {' · '}
          <Link to={`/invoices/new?customerId=${c.id}`}>{t('customer.newInvoice')}</Link>
          {' · '}
          <Link to={`/estimates/new?customerId=${c.id}`}>{t('customer.newEstimate')}</Link>
          {' · '}
          <Link to={`/payments/new?customerId=${c.id}`}>{t('payments.record')}</Link>
        </p>
      </section>
      <CustomerBalance customerId={c.id} />
      <ContactPersons customer={c} />
      <InviteAll customer={c} />
      <Credit customer={c} />
      <Statement customer={c} />
      <PortalActivity customer={c} />
    </article>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="fact-label">{label}</dt>
      <dd className="fact-value pre-line">{value}</dd>
    </div>
  );
}

/** The contact persons and their portal access: Invite (again) or Disable, one person at a time. */
function ContactPersons({ customer }: { customer: CustomerData }) {
  const { t } = useI18n();
  const { locale, timeZone, identity } = useBackOffice();
  const { mutate } = useSWRConfig();
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const confirm = useConfirm();

  /** A lost device: remove the person's second factors (audited, e-mailed to them). */
  async function resetFactors(person: ContactPerson) {
    const name = personName(person);
    if (!(await confirm.ask(t('factors.resetConfirm', { name }), { confirmLabel: t('factors.reset') }))) return;
    setBusy(person.id);
    setMessage(null);
    try {
      await data(
        api.POST('/api/v1/customers/{id}/contact-persons/{contactPersonId}/second-factors/reset', {
          params: { path: { id: customer.id, contactPersonId: person.id } },
        }),
      );
      setMessage({ text: t('factors.resetDone'), error: false });
    } catch (caught) {
      setMessage({
        text: caught instanceof ApiError && caught.status !== 500 ? caught.message : t('app.error'),
        error: true,
      });
    } finally {
      setBusy(null);
    }
  }

  async function act(person: ContactPerson, action: 'invite' | 'disable') {
    const name = personName(person);
    if (
      action === 'disable' &&
      !(await confirm.ask(t('portal.disableConfirm', { name }), { confirmLabel: t('portal.disable') }))
    ) {
      return;
    }
    setBusy(person.id);
    setMessage(null);
    const params = { path: { id: customer.id, contactPersonId: person.id } };
    try {
      const updated =
        action === 'invite'
          ? await data(
              api.POST('/api/v1/customers/{id}/contact-persons/{contactPersonId}/portal-invitation', { params }),
            )
          : await data(api.POST('/api/v1/customers/{id}/contact-persons/{contactPersonId}/portal-disable', { params }));
      await mutate(
        customerKey(customer.id),
        {
          ...customer,
          contactPersons: customer.contactPersons.map((other) => (other.id === updated.id ? updated : other)),
        },
        { revalidate: false },
      );
      refresh(mutate, 'customers');
      setMessage({
        text:
          action === 'invite' ? t('portal.invited', { email: updated.email ?? '' }) : t('portal.disabled', { name }),
        error: false,
      });
    } catch (caught) {
      setMessage({
        text: caught instanceof ApiError && caught.status !== 500 ? caught.message : t('app.error'),
        error: true,
      });
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-labelledby="contact-persons">
      <h2 id="contact-persons">{t('customer.contacts')}</h2>
      {confirm.dialog}
      <div role="status" aria-live="polite">
        {message && !message.error && <p className="notice success">{message.text}</p>}
      </div>
      {message?.error && (
        <p className="notice error" role="alert">
          {message.text}
        </p>
      )}
      {customer.contactPersons.length === 0 ? (
        <p className="empty">{t('customer.noContacts')}</p>
      ) : (
        <table className="list contact-persons">
          <thead>
            <tr>
              <th scope="col">{t('customers.name')}</th>
              <th scope="col">{t('customers.email')}</th>
              <th scope="col">{t('customer.phone')}</th>
              <th scope="col">{t('portal.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('app.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {customer.contactPersons.map((person) => {
              const name = personName(person);
              const canInvite = Boolean(person.email) && person.portalStatus !== 'active';
              return (
                <tr key={person.id}>
                  <th scope="row" data-label={t('customers.name')}>
                    <span>
                      {name}
                      {person.isPrimary && <span className="pill muted">{t('customer.primary')}</span>}
                    </span>
                  </th>
                  <td data-label={t('customers.email')}>{person.email}</td>
                  <td data-label={t('customer.phone')}>{person.phone ?? person.mobile}</td>
                  <td data-label={t('portal.status')}>
                    <span className="portal-status">
                      <span className={`pill ${STATUS_TONES[person.portalStatus]}`}>
                        {t(`portal.status.${person.portalStatus}`)}
                      </span>
                      {person.portalStatus === 'active' && person.lastLoginAt && (
                        <span className="muted small">
                          {t('customer.lastLogin', { date: formatDay(person.lastLoginAt, locale, timeZone) })}
                        </span>
                      )}
                      {person.portalStatus === 'invited' && person.portalInvitedAt && (
                        <span className="muted small">
                          {t('customer.invitedAt', { date: formatDay(person.portalInvitedAt, locale, timeZone) })}
                        </span>
                      )}
                    </span>
                  </td>
                  <td className="row-actions">
                    {!person.email ? (
                      <span className="muted small">{t('customer.noEmail')}</span>
                    ) : (
                      <>
                        {canInvite && (
                          <button
                            type="button"
                            className="button secondary"
                            disabled={busy !== null}
                            aria-label={t(
                              person.portalStatus === 'invited' ? 'portal.reinviteLabel' : 'portal.inviteLabel',
                              { name },
                            )}
                            onClick={() => act(person, 'invite')}
                          >
                            {t(person.portalStatus === 'invited' ? 'portal.reinvite' : 'portal.invite')}
                          </button>
                        )}
                        {(person.portalStatus === 'invited' || person.portalStatus === 'active') && (
                          <button
                            type="button"
                            className="button secondary danger"
                            disabled={busy !== null}
                            aria-label={t('portal.disableLabel', { name })}
                            onClick={() => act(person, 'disable')}
                          >
                            {t('portal.disable')}
                          </button>
                        )}
                        {person.portalStatus === 'active' && identity.user.role !== 'staff' && (
                          <button
                            type="button"
                            className="button secondary"
                            disabled={busy !== null}
                            aria-label={t('factors.resetLabel', { name })}
                            onClick={() => resetFactors(person)}
                          >
                            {t('factors.reset')}
                          </button>
                        )}
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
