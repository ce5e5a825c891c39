import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import type { usePagedList } from './use-list.js';

export type PagedListState<T> = ReturnType<typeof usePagedList<T>>;

/**
 * The states every paged list goes through: loading, failed, empty (the sentence given), its rows (drawn by
 * `children`), and a "Show more" button while the API has another page. Each app binds its own loading and error
 * screens and words (web/portal/components/paged-list.tsx, web/backoffice/components/paged-list.tsx).
 */
export function PagedListStates<T>({
  list,
  empty,
  loading,
  failed,
  moreLabel,
  children,
}: {
  list: PagedListState<T>;
  empty: ReactNode;
  loading: ReactNode;
  failed: ReactNode;
  moreLabel: string;
  children: (rows: T[]) => ReactNode;
}) {
  if (list.loading) return loading;
  if (list.error) return failed;
  if (list.rows.length === 0) return <p className="empty">{empty}</p>;
  return (
    <>
      {children(list.rows)}
      {list.hasMore && (
        <button type="button" className="button secondary" onClick={() => list.more()}>
          {moreLabel}
        </button>
      )}
    </>
  );
}

export interface ListColumn<T> {
  label: string;
  /** Amounts and counts: right-aligned. */
  numeric?: boolean;
  /** Document numbers and dates: on one line ("INV-00010", never "INV-/00010"). */
  nowrap?: boolean;
  cell: (row: T) => ReactNode;
}

const classOf = (column: ListColumn<never>) =>
  [column.numeric && 'num', column.nowrap && 'nowrap'].filter(Boolean).join(' ') || undefined;

/**
 * A list as a table: the first column heads its row (it holds the link to the record); on a phone the rows become
 * cards and each cell shows its column's label (`data-label`).
 */
export function ListTable<T extends { id: string }>({ columns, rows }: { columns: ListColumn<T>[]; rows: T[] }) {
  return (
    <table className="list">
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.label} scope="col" className={classOf(column)}>
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            {columns.map((column, index) =>
              index === 0 ? (
                <th key={column.label} scope="row" className={classOf(column)} data-label={column.label}>
                  {column.cell(row)}
                </th>
              ) : (
                <td key={column.label} className={classOf(column)} data-label={column.label}>
                  {column.cell(row)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The list's filter from `?status=…`: one of `values`, or the first of them when absent or unknown. */
export function useStatusFilter<F extends string>(values: readonly F[]): F {
  const [params] = useSearchParams();
  const asked = params.get('status') ?? '';
  return (values as readonly string[]).includes(asked) ? (asked as F) : (values[0] as F);
}
