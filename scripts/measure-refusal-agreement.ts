// Agreement of each offline refusal detector with human labels.
//   npm run node -- scripts/measure-refusal-agreement.ts [--lab] [--errors <detector id>] [file.csv …]
// --lab: the lab's hand-labelled set (src/eval/testdata/refusal-labelled.json).
// file.csv: XSTest model completions with human labels
// (paul-rottger/exaggerated-safety, model_completions/xstest_v2_completions_*.csv:
// columns `completion` and `final_label` ∈ 1_full_compliance, 2_full_refusal,
// 3_partial_refusal). Not shipped with the lab; pass their paths.
// Prints, per source and pooled over the CSVs: n, agreement, precision and
// recall of refusal with partial refusals counted as refusals, and agreement
// with partial refusals left out, and, paired on the same rows, how many
// completions each detector gets right that XSTest's prefix rule gets wrong
// and the reverse. --errors lists that detector's misses.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseCsv } from '../src/data/csv';
import { type Agreement, refusalAgreement } from '../src/eval/refusal-agreement';
import { REFUSAL_DETECTORS } from '../src/eval/refusal-judge';
import type { RefusalClass } from '../src/eval/refusal-opening';
import labelled from '../src/eval/testdata/refusal-labelled.json';

interface Row {
  text: string;
  gold: RefusalClass;
}

const XSTEST_LABELS: Record<string, RefusalClass> = {
  '1_full_compliance': 'full_compliance',
  '2_full_refusal': 'full_refusal',
  '3_partial_refusal': 'partial_refusal',
};

function readXstest(path: string): Row[] {
  const { rows } = parseCsv(readFileSync(path, 'utf8'));
  const [header, ...body] = rows;
  const text = header.indexOf('completion');
  const label = header.indexOf('final_label');
  if (text < 0 || label < 0) throw new Error(`${path}: needs columns completion and final_label`);
  return body.map((r, i) => {
    const gold = XSTEST_LABELS[r[label].trim()];
    if (!gold) throw new Error(`${path} row ${i + 2}: unknown label ${JSON.stringify(r[label])}`);
    return { text: r[text], gold };
  });
}

const pct = (x: number) => (Number.isNaN(x) ? '  n/a' : `${(100 * x).toFixed(1)}%`.padStart(6));

function table(title: string, rows: Row[]): void {
  const counts = { full_refusal: 0, partial_refusal: 0, full_compliance: 0 };
  for (const r of rows) counts[r.gold]++;
  console.log(
    `\n${title}: ${rows.length} completions (${counts.full_refusal} full refusal, ${counts.partial_refusal} partial, ${counts.full_compliance} compliance)`,
  );
  console.log(
    `${'detector'.padEnd(58)} agree   prec   recall  | w/o partial (n)  | vs xstest prefix`,
  );
  const truth = rows.map((r) => r.gold !== 'full_compliance');
  const baseline = rows.map((r) => REFUSAL_DETECTORS['lists:xstest'].detect(r.text).refused);
  for (const d of Object.values(REFUSAL_DETECTORS)) {
    const pred = rows.map((r) => d.detect(r.text).refused);
    const gold = rows.map((r) => r.gold);
    const a: Agreement = refusalAgreement(pred, gold, 'refusal');
    const b = refusalAgreement(pred, gold, 'exclude');
    // Paired comparison on the same rows: completions this detector gets right
    // and XSTest's prefix rule wrong (+), and the reverse (−).
    const plus = rows.filter((_, i) => pred[i] === truth[i] && baseline[i] !== truth[i]).length;
    const minus = rows.filter((_, i) => pred[i] !== truth[i] && baseline[i] === truth[i]).length;
    console.log(
      `${d.label.padEnd(58)} ${pct(a.agreement)} ${pct(a.precision)} ${pct(a.recall)}  | ${pct(b.agreement)} (${b.n}) | +${plus} −${minus}`,
    );
  }
}

const args = process.argv.slice(2);
let errorsOf: string | null = null;
const files: string[] = [];
let lab = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--lab') lab = true;
  else if (args[i] === '--errors') errorsOf = args[++i];
  else files.push(args[i]);
}
if (!lab && files.length === 0) {
  console.error(
    'usage: measure-refusal-agreement.ts [--lab] [--errors <detector id>] [file.csv …]',
  );
  process.exit(2);
}

const sources: [string, Row[]][] = [];
if (lab) {
  sources.push([
    'lab hand-labelled set',
    labelled.items.map((it) => ({ text: it.text, gold: it.label as RefusalClass })),
  ]);
}
for (const f of files) sources.push([basename(f), readXstest(f)]);
for (const [title, rows] of sources) table(title, rows);
if (files.length > 1)
  table(
    'XSTest files pooled',
    sources.filter(([t]) => t.endsWith('.csv')).flatMap(([, r]) => r),
  );

if (errorsOf !== null) {
  const d = REFUSAL_DETECTORS[errorsOf];
  if (!d)
    throw new Error(
      `unknown detector ${errorsOf}; one of ${Object.keys(REFUSAL_DETECTORS).join(', ')}`,
    );
  for (const [title, rows] of sources) {
    for (const r of rows) {
      const v = d.detect(r.text);
      if (v.refused !== (r.gold !== 'full_compliance')) {
        console.log(
          `\n[${title}] gold ${r.gold}, ${d.id} says ${v.label} (${v.evidence})\n  ${r.text.slice(0, 300).replace(/\s+/g, ' ')}`,
        );
      }
    }
  }
}
