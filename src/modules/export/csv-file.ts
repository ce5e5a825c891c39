import { type SelectQueryBuilder, sql } from 'kysely';
import { formatMoneyPlain } from '../../domain/money.js';
import { csvCell } from '../statements/index.js';

/**
 * One CSV file of an export: a table read in keyset pages by id (so an export of any size holds one page at a time)
 * and written as RFC 4180 lines (CRLF, every cell quoted) in UTF-8 with a BOM, for spreadsheet programs. Cells a
 * spreadsheet would run as a formula (= + - @ tab CR NUL) get a leading apostrophe (`csvCell`, SECURITY.md
 * regression 9); numbers Portico writes itself ("-12.50") stay numbers.
 */

const PAGE_SIZE = 500;

/** A file of the ZIP: its name and its text, produced piece by piece; `count` is told how many rows it wrote. */
export interface ExportFile {
  name: string;
  content(count: (rows: number) => void): AsyncIterable<string>;
}

/** One column: its documented header and the cell a row gives it. */
export interface Column<Row> {
  header: string;
  cell: (row: Row) => string;
}

export const text = <Row>(header: string, value: (row: Row) => string | null): Column<Row> => ({
  header,
  cell: (row) => csvCell(value(row) ?? ''),
});

/** Whole numbers and exact decimal strings (quantities, percentages): written as they are. */
export const number = <Row>(header: string, value: (row: Row) => number | string | null): Column<Row> => ({
  header,
  cell: (row) => {
    const given = value(row);
    return csvCell(given === null ? '' : String(given), { number: true });
  },
});

/** An amount in minor units, written as an exact decimal in its currency ("1234.56", "-0.05", "1500" for JPY). */
export const money = <Row>(
  header: string,
  minor: (row: Row) => number | null,
  currency: (row: Row) => string,
): Column<Row> => ({
  header,
  cell: (row) => {
    const amount = minor(row);
    return csvCell(amount === null ? '' : formatMoneyPlain(amount, currency(row)), { number: true });
  },
});

/** A stored 0/1 flag as `true` or `false`. */
export const flag = <Row>(header: string, value: (row: Row) => number): Column<Row> => ({
  header,
  cell: (row) => csvCell(value(row) === 1 ? 'true' : 'false'),
});

const line = (cells: string[]) => `${cells.join(',')}\r\n`;

/** A CSV file of the rows `query` selects (it names its scope), in pages ordered by `idColumn` ('c.id'). */
export function csvFile<DB, TB extends keyof DB, Row extends { id: string }>(
  name: string,
  query: SelectQueryBuilder<DB, TB, Row>,
  idColumn: string,
  columns: Column<Row>[],
): ExportFile {
  return csvFileOfLines(name, query, idColumn, (row) => [row], columns);
}

/** The same, where one database row gives several lines (a retainer invoice's lines, kept as JSON in its row). */
export function csvFileOfLines<DB, TB extends keyof DB, Row extends { id: string }, Line>(
  name: string,
  query: SelectQueryBuilder<DB, TB, Row>,
  idColumn: string,
  rowsOf: (row: Row) => Line[],
  columns: Column<Line>[],
): ExportFile {
  return {
    name,
    async *content(count) {
      yield `\uFEFF${line(columns.map((column) => csvCell(column.header)))}`;
      let after = '';
      for (;;) {
        const page = await query
          .where(sql<boolean>`${sql.ref(idColumn)} > ${after}`)
          .orderBy(sql.ref(idColumn))
          .limit(PAGE_SIZE)
          .execute();
        const lines = page.flatMap(rowsOf);
        if (lines.length > 0) yield lines.map((row) => line(columns.map((column) => column.cell(row)))).join('');
        count(lines.length);
        const last = page.at(-1);
        if (page.length < PAGE_SIZE || !last) return;
        after = last.id;
      }
    },
  };
}
/** A JSON file of one value read when its turn in the ZIP comes. */
export function jsonFile(name: string, value: () => Promise<unknown>): ExportFile {
  return {
    name,
    async *content(count) {
      yield `${JSON.stringify(await value(), null, 2)}\n`;
      count(1);
    },
  };
}
