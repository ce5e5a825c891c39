import { Link } from 'react-router';
import useSWR from 'swr';
import { api, data } from '../../ui/api.js';
import type { paths } from '../../ui/api-types.js';
import { useI18n } from '../i18n.js';
import type { MessageKey } from '../messages/en.js';

/** What the project screens share: the project's types, its status pill, its billing method in words. */

export type ProjectDetail = paths['/api/v1/projects/{id}']['get']['responses'][200]['content']['application/json'];
export type ProjectTask = ProjectDetail['tasks'][number];
export type BillingMethod = ProjectDetail['billingMethod'];

export const BILLING_METHODS: BillingMethod[] = ['task_hours', 'project_hours', 'fixed'];

export const billingMethodKey = (method: BillingMethod): MessageKey => `projects.billing.${method}`;

/** The SWR key of one project (its detail with tasks and totals). */
export const projectKey = (id: string) => ['project', id] as const;

/** Active or inactive, as a pill with its word. */
export function ProjectStatusPill({ status }: { status: 'active' | 'inactive' }) {
  const { t } = useI18n();
  return <span className={`pill ${status === 'active' ? 'success' : 'muted'}`}>{t(`projects.status.${status}`)}</span>;
}

/**
 * Whether clients see their projects in the portal: one setting of the organization ("Allow customers to view
 * projects and timesheets"), not of each project. Said only when the settings can be read (owners and admins).
 */
export function ProjectPortalNote() {
  const { t } = useI18n();
  const settings = useSWR(['portal-settings'], () => data(api.GET('/api/v1/portal-settings')));
  if (!settings.data) return null;
  const shown = settings.data.enabled && settings.data.showProjects;
  return (
    <p className="muted small">
      {shown ? t('projects.portalShown') : t('projects.portalHidden')}{' '}
      <Link to="/settings/portal">{t('projects.portalSettings')}</Link>
    </p>
  );
}
