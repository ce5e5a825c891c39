import type { ReactNode } from 'react';
import { type PagedListState, PagedListStates } from '../../ui/paged-list.js';
import { useI18n } from '../i18n.js';
import { ErrorScreen } from './error-screen.js';
import { Skeleton } from './skeleton.js';

export { ListTable, useStatusFilter } from '../../ui/paged-list.js';

/** A paged list with the back office's loading and error screens (see PagedListStates). */
export function PagedList<T>(props: { list: PagedListState<T>; empty: ReactNode; children: (rows: T[]) => ReactNode }) {
  const { t } = useI18n();
  return (
    <PagedListStates
      {...props}
      loading={<Skeleton />}
      failed={<ErrorScreen retry={() => props.list.retry()} />}
      moreLabel={t('app.more')}
    />
  );
}
