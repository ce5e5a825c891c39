import { Link, useNavigate, useParams } from 'react-router';
import useSWR from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { formatDate } from '../../ui/format.js';
import { Money } from '../../ui/money.js';
import { ListTable } from '../../ui/paged-list.js';
import { type Action, ActionBar } from '../components/actions.js';
import { StatusPill } from '../components/document.js';
import { ErrorScreen } from '../components/error-screen.js';
import {
  type RecurringProfileDetail,
  RecurringStatusPill,
  recurringProfileKey,
  useAutopayText,
  useScheduleText,
} from '../components/recurring-parts.js';
import { Skeleton } from '../components/skeleton.js';
import { useBackOffice } from '../context.js';
import { formatDay } from '../format.js';
import { useI18n } from '../i18n.js';
import NotFound from './not-found.js';

/** One recurring profile: its schedule and next date, its items, autopay and card, the invoices it generated. */
export default function RecurringProfile() {
  const { id = '' } = useParams();
  const profile = useSWR(recurringProfileKey(id), () =>
    data(api.GET('/api/v1/recurring-profiles/{id}', { params: { path: { id } } })),
  );
  if (profile.error) {
    if (profile.error instanceof ApiError && profile.error.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => profile.mutate()} />;
  }
  if (!profile.data) return <Skeleton />;
  return <Profile profile={profile.data} changed={(next) => profile.mutate(next, { revalidate: false })} />;
}

function Profile({
  profile: p,
  changed,
}: {
  profile: RecurringProfileDetail;
  changed(next: RecurringProfileDetail): void;
}) {
  const { t } = useI18n();
  const { locale, timeZone } = useBackOffice();
  const navigate = useNavigate();
  const schedule = useScheduleText();
  const autopay = useAutopayText();
  const path = { params: { path: { id: p.id } } };
  const actions: Action[] = [];
  if (p.status === 'active') {
    actions.push({
      label: t('recurring.pause'),
      done: t('recurring.paused'),
      run: async () => changed(await data(api.POST('/api/v1/recurring-profiles/{id}/stop', path))),
    });
  } else if (p.status === 'stopped') {
    actions.push({
      label: t('recurring.resume'),
      primary: true,
      done: t('recurring.resumed'),
      run: async () => changed(await data(api.POST('/api/v1/recurring-profiles/{id}/resume', path))),
    });
  }
  actions.push({
    label: t('recurring.delete'),
    danger: true,
    confirm: t('recurring.deleteConfirm', { name: p.name }),
    done: '',
    run: async () => {
      await data(api.DELETE('/api/v1/recurring-profiles/{id}', path));
      navigate('/recurring-profiles');
    },
  });
  const facts: Array<[string, string]> = [
    [t('recurring.schedule'), schedule(p)],
    [t('recurring.nextDate'), p.nextDate ? formatDate(p.nextDate, locale) : '—'],
    [t('recurring.startDate'), formatDate(p.startDate, locale)],
    [t('recurring.endDate'), p.endDate ? formatDate(p.endDate, locale) : t('recurring.noEnd')],
    [t('recurring.paymentTerms'), t.plural('recurring.termsDays', p.paymentTermsDays)],
    [t('recurring.delivery'), p.sendAutomatically ? t('recurring.sentAutomatically') : t('recurring.keepDraft')],
  ];
  return (
    <article className="document-page">
      <p className="small">
        <Link to="/recurring-profiles">{t('doc.backTo', { list: t('recurring.title') })}</Link>
      </p>
      <header className="document-header">
        <div>
          <h1>{p.name}</h1>
          <p>
            <Link to={`/customers/${p.customerId}`}>{p.customerName}</Link> · <RecurringStatusPill status={p.status} />
          </p>
        </div>
      </header>
      <ActionBar
        label={t('recurring.actions')}
        lists={['recurring-profiles']}
        actions={actions}
        links={
          p.status === 'expired' ? undefined : (
            <Link className="button secondary" to={`/recurring-profiles/${p.id}/edit`}>
              {t('doc.edit')}
            </Link>
          )
        }
      />
      <dl className="facts recurring-facts">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="fact-label">{label}</dt>
            <dd className="fact-value">{value}</dd>
          </div>
        ))}
      </dl>
      <section aria-labelledby="recurring-autopay">
        <h2 id="recurring-autopay">{t('recurring.autopay')}</h2>
        <p>{autopay(p.autopay)}</p>
        {p.autopay.authorizedBy && p.autopay.authorizedAt && (
          <p className="muted small">
            {t('recurring.autopay.authorizedBy', {
              name: p.autopay.authorizedBy.name,
              date: formatDay(p.autopay.authorizedAt, locale, timeZone),
            })}
          </p>
        )}
        {p.autopay.status === 'off' && <p className="muted small">{t('recurring.autopay.offHint')}</p>}
      </section>
      <section aria-labelledby="recurring-items">
        <h2 id="recurring-items">{t('edit.lines')}</h2>
        <ListTable
          rows={p.template.lines.map((line, index) => ({ ...line, id: String(index) }))}
          columns={[
            { label: t('doc.item'), cell: (line) => line.name },
            { label: t('doc.quantity'), numeric: true, cell: (line) => line.quantity },
            {
              label: t('doc.rate'),
              numeric: true,
              cell: (line) => <Money amount={line.rate} currency={p.currency} />,
            },
          ]}
        />
      </section>
      <section aria-labelledby="recurring-invoices">
        <h2 id="recurring-invoices">{t('recurring.invoices')}</h2>
        {p.invoices.length === 0 ? (
          <p className="empty">{t('recurring.noInvoices')}</p>
        ) : (
          <ListTable
            rows={p.invoices}
            columns={[
              {
                label: t('doc.number'),
                cell: (invoice) => <Link to={`/invoices/${invoice.id}`}>{invoice.number}</Link>,
              },
              { label: t('doc.date'), nowrap: true, cell: (invoice) => formatDate(invoice.issueDate, locale) },
              { label: t('doc.status'), cell: (invoice) => <StatusPill status={invoice.status} /> },
              {
                label: t('doc.total'),
                numeric: true,
                cell: (invoice) => <Money amount={invoice.total} currency={p.currency} />,
              },
              {
                label: t('doc.balance'),
                numeric: true,
                cell: (invoice) => <Money amount={invoice.balance} currency={p.currency} />,
              },
            ]}
          />
        )}
      </section>
    </article>
  );
}
