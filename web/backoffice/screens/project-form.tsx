import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import useSWR, { useSWRConfig } from 'swr';
import { ApiError, api, data } from '../../ui/api.js';
import { refresh } from '../../ui/cache.js';
import { ErrorScreen } from '../components/error-screen.js';
import {
  Field,
  FormSummary,
  moneyText,
  parseMoney,
  SelectField,
  useCustomers,
  useFormErrors,
} from '../components/forms.js';
import {
  BILLING_METHODS,
  type BillingMethod,
  billingMethodKey,
  type ProjectDetail,
  ProjectPortalNote,
  projectKey,
} from '../components/project-parts.js';
import { Skeleton } from '../components/skeleton.js';
import { useI18n } from '../i18n.js';
import NotFound from './not-found.js';

/** A new project for a customer (`/projects/new`) or an existing one edited (`/projects/:id/edit`). */
export default function ProjectForm() {
  const { id } = useParams();
  const existing = useSWR(id ? projectKey(id) : null, () =>
    data(api.GET('/api/v1/projects/{id}', { params: { path: { id: id ?? '' } } })),
  );
  if (!id) return <Form />;
  if (existing.error) {
    if (existing.error instanceof ApiError && existing.error.status === 404) return <NotFound />;
    return <ErrorScreen retry={() => existing.mutate()} />;
  }
  if (!existing.data) return <Skeleton />;
  return <Form project={existing.data} />;
}

function Form({ project }: { project?: ProjectDetail }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { mutate } = useSWRConfig();
  const customers = useCustomers();
  const form = useFormErrors();
  const [customerId, setCustomerId] = useState(project?.customerId ?? '');
  const [name, setName] = useState(project?.name ?? '');
  const [description, setDescription] = useState(project?.description ?? '');
  const [billingMethod, setBillingMethod] = useState<BillingMethod>(project?.billingMethod ?? 'task_hours');
  const [rate, setRate] = useState(
    project?.rate === null || project?.rate === undefined ? '' : moneyText(project.rate, project.currency),
  );
  const [requireTimeApproval, setRequireTimeApproval] = useState(project?.requireTimeApproval ?? false);
  const [busy, setBusy] = useState(false);

  if (!project && customers.error) return <ErrorScreen retry={() => customers.mutate()} />;
  if (!project && !customers.data) return <Skeleton />;
  const currency =
    project?.currency ?? customers.data?.data.find((customer) => customer.id === customerId)?.currency ?? 'USD';
  const byProjectHours = billingMethod === 'project_hours';
  const back = project ? `/projects/${project.id}` : '/projects';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    form.clear();
    const found: Record<string, string> = {};
    if (!project && !customerId) found['/customerId'] = t('form.required');
    if (!name.trim()) found['/name'] = t('form.required');
    const amount = parseMoney(rate, currency);
    if (byProjectHours && (amount === null || rate.trim() === '')) found['/rate'] = t('projects.rateRequired');
    if (!form.local(found)) return;
    const fields = {
      name: name.trim(),
      description: description.trim() || null,
      billingMethod,
      rate: byProjectHours ? amount : null,
      requireTimeApproval,
    };
    setBusy(true);
    try {
      const saved = project
        ? await data(api.PATCH('/api/v1/projects/{id}', { params: { path: { id: project.id } }, body: fields }))
        : await data(api.POST('/api/v1/projects', { body: { customerId, ...fields } }));
      refresh(mutate, 'projects');
      await mutate(projectKey(saved.id), saved, { revalidate: false });
      navigate(`/projects/${saved.id}`);
    } catch (caught) {
      setBusy(false);
      form.fromApi(caught);
    }
  }

  return (
    <section>
      <p className="small">
        <Link to={back}>
          {project ? t('doc.backTo', { list: project.name }) : t('doc.backTo', { list: t('projects.title') })}
        </Link>
      </p>
      <h1>{project ? t('projects.editTitle', { name: project.name }) : t('projects.new')}</h1>
      <ProjectPortalNote />
      <form onSubmit={submit} noValidate>
        <FormSummary form={form} />
        <div className="form-grid">
          {project ? (
            <p>
              <span className="muted">{t('doc.customer')}</span>{' '}
              <Link to={`/customers/${project.customerId}`}>{project.customerName}</Link>
            </p>
          ) : (
            <SelectField
              path="/customerId"
              label={t('doc.customer')}
              value={customerId}
              error={form.errors['/customerId']}
              onChange={setCustomerId}
              options={[
                ['', t('edit.pickCustomer')],
                ...(customers.data?.data ?? []).map((c): [string, string] => [
                  c.id,
                  `${c.displayName} (${c.currency})`,
                ]),
              ]}
            />
          )}
          <Field
            path="/name"
            required
            label={t('projects.name')}
            value={name}
            maxLength={200}
            error={form.errors['/name']}
            onChange={setName}
          />
          <Field
            path="/description"
            multiline
            className="wide-field"
            label={t('projects.description')}
            value={description}
            maxLength={5000}
            error={form.errors['/description']}
            onChange={setDescription}
          />
          <SelectField
            path="/billingMethod"
            label={t('projects.billingMethod')}
            value={billingMethod}
            error={form.errors['/billingMethod']}
            hint={t(`projects.billingHint.${billingMethod}`)}
            onChange={(value) => setBillingMethod(value as BillingMethod)}
            options={BILLING_METHODS.map((method): [string, string] => [method, t(billingMethodKey(method))])}
          />
          {byProjectHours && (
            <Field
              path="/rate"
              required
              inputMode="decimal"
              label={t('projects.hourlyRate', { currency })}
              value={rate}
              error={form.errors['/rate']}
              onChange={setRate}
            />
          )}
          <div className="field">
            <label className="checkbox">
              <input
                type="checkbox"
                checked={requireTimeApproval}
                aria-describedby="f-requireTimeApproval-hint"
                onChange={(event) => setRequireTimeApproval(event.target.checked)}
              />
              {t('timeApproval.require')}
            </label>
            <span id="f-requireTimeApproval-hint" className="muted small">
              {t('timeApproval.requireHint')}
            </span>
          </div>
        </div>
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t('app.saving') : project ? t('app.save') : t('projects.create')}
          </button>
          <Link to={back} className="button link">
            {t('app.cancel')}
          </Link>
        </div>
      </form>
    </section>
  );
}
