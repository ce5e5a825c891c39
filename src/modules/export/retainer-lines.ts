/** One line of a retainer invoice (kept as JSON in its row), with the invoice's id, number and currency. */
export interface RetainerLineRow {
  id: string;
  number: string;
  currency: string;
  position: number;
  description: string;
  amount: number;
}

export function retainerLinesOf(row: {
  id: string;
  number: string;
  currency: string;
  lines: string;
}): RetainerLineRow[] {
  const lines = JSON.parse(row.lines) as Array<{ description: string; amount: number }>;
  return lines.map((line, index) => ({
    id: row.id,
    number: row.number,
    currency: row.currency,
    position: index + 1,
    description: line.description,
    amount: line.amount,
  }));
}
