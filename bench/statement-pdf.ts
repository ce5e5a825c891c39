/**
 * Renders a 1,000-line statement of accounts as a PDF N times (default 20) and prints the median time.
 * Target: ≤ 150 ms. `node --import tsx bench/statement-pdf.ts [runs] [lines]`
 */
import { buildStatement, type StatementEntry } from '../src/domain/statement.js';
import type { CustomerStatement } from '../src/modules/statements/service.js';
import { statementPdf } from '../src/pdf/statement.js';

const runs = Number(process.argv[2] ?? 20);
const lineCount = Number(process.argv[3] ?? 1000);

function syntheticStatement(lines: number): CustomerStatement {
  const entries: StatementEntry[] = [];
  for (let i = 0; i < lines; i += 1) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((Math.floor(i / 28) % 12) + 1).padStart(2, '0');
    const invoice = i % 3 !== 2;
    entries.push({
      date: `2025-${month}-${day}`,
      createdAt: `2025-${month}-${day}T10:00:${String(i % 60).padStart(2, '0')}.000Z`,
      kind: invoice ? 'invoice' : 'payment',
      id: `e${i}`,
      number: invoice ? `INV-${String(i).padStart(5, '0')}` : `PAY-${String(i).padStart(5, '0')}`,
      details: invoice ? `Due 2025-${month}-${day}` : 'Payment (Bank transfer), ref. Kōbe Works wire',
      amount: 1_000 + ((i * 7919) % 250_000),
    });
  }
  return {
    ...buildStatement({ openingBalance: 12_345, from: '2025-01-01', to: '2025-12-31', entries }),
    currency: 'USD',
    customer: { id: 'cus_bench', displayName: 'Kōbe Works', companyName: 'Kōbe Works K.K.', billingAddress: '{}' },
  };
}

const statement = syntheticStatement(lineCount);
const org = {
  name: 'Portico Bench Ltd',
  address: JSON.stringify({ street1: '1 Bench Street', city: 'Osaka', country: 'Japan' }),
  email: 'billing@bench.example',
  phone: null,
  website: null,
  logoBase64: null,
  logoContentType: null,
};

// One warm-up render: font files are read and parsed once per process.
await statementPdf(org, statement);
const times: number[] = [];
let bytes = 0;
for (let i = 0; i < runs; i += 1) {
  const started = performance.now();
  const pdf = await statementPdf(org, statement);
  times.push(performance.now() - started);
  bytes = pdf.length;
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? 0;
console.log(
  `statement PDF, ${statement.lines.length} lines: median ${median.toFixed(1)} ms over ${runs} runs ` +
    `(min ${(times[0] ?? 0).toFixed(1)}, max ${(times[times.length - 1] ?? 0).toFixed(1)}; ${bytes} bytes; target ≤ 150 ms)`,
);
