// "Retrain this stack jointly", under a composition report: pick one of the
// report's orders (the recommended one first), see whether each parent's
// training pairs are here (and collect them when not), set the step counts
// and run it (worker: handlers/joint-retrain.ts) with progress and Cancel.
// The result is the same composition table before (the plain stack) and
// after (the jointly retrained patch), and a new patch in the library.
import { useEffect, useMemo, useState } from 'react';
import { collectForParent, jointPairs, jointRetrain } from '../../client/joint-retrain';
import { DOMAINS } from '../../data/domains';
import type { CompositionReport, LossEstimate } from '../../eval/composition-report';
import type { JointReport } from '../../eval/joint-report';
import type {
  JointPairsChoice,
  JointParentPairsInfo,
  JointRetrainResult,
  PatchSummary,
  RunId,
} from '../../protocol/messages';
import { recipeFromDraft } from '../../state/recipe-draft';
import { selectTrainSets } from '../../state/slices/data';
import { DEFAULT_RECIPE } from '../../train/recipe';
import { trainsIn } from '../../train/train-pool';
import { errorText } from '../error-text';
import { useLab, useLabClient } from '../lab-context';

const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(100 * x)} %` : '—');
const pts = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(0) : '—');
const withCi = (l: LossEstimate) =>
  `${pts(l.value)}${Number.isFinite(l.interval.lo) ? ` [${pts(l.interval.lo)}, ${pts(l.interval.hi)}]` : ''}`;

export function JointTable({ report, names }: { report: JointReport; names: Map<string, string> }) {
  const order = report.order.map((id) => names.get(id) ?? id).join(' → ');
  return (
    <table className="interference" data-testid="joint-table">
      <thead>
        <tr>
          <th>Domain</th>
          <th>Alone</th>
          <th>Stack {order} (before)</th>
          <th>Jointly retrained (after)</th>
          <th>After − before</th>
        </tr>
      </thead>
      <tbody>
        {report.before.rows.map((r, i) => {
          const before = r.cells[0];
          const after = report.after.rows[i].cells[0];
          return (
            <tr key={r.domain} data-testid="joint-row">
              <th scope="row">{r.domain}</th>
              <td>{pct(r.alone.value)}</td>
              <td>
                {pct(before.stacked.value)}{' '}
                <span className="muted">(loss {withCi(before.loss)} pts)</span>
              </td>
              <td>
                {pct(after.stacked.value)}{' '}
                <span className="muted">(loss {withCi(after.loss)} pts)</span>
              </td>
              <td>{withCi(report.changes[i].gain)} pts</td>
            </tr>
          );
        })}
      </tbody>
      <caption>
        Gap closed (M → M′) on each patch's own domains, same prompts, seeds and judges before and
        after; loss = alone − stacked, and after − before, in points with paired 95 % bootstrap
        intervals over prompts. Mean gap closed: {pct(report.before.meanStacked[0])} before,{' '}
        {pct(report.after.meanStacked[0])} after.
      </caption>
    </table>
  );
}

/** What a parent without pairs here can do: use the Train panel's pairs, or collect its domains' selected sets. */
function PairsOffer({
  info,
  busy,
  onPick,
}: {
  info: JointParentPairsInfo;
  busy: boolean;
  onPick: (collectedId: string) => void;
}) {
  const client = useLabClient();
  const trainSets = useLab(selectTrainSets);
  const collected = useLab((s) => s.train.collected);
  const sampling = useLab((s) => s.recipe.collect);
  const draft = useLab((s) => s.recipe.draft);
  const [runId, setRunId] = useState<RunId | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useLab((s) => (runId ? s.runs[runId] : undefined));
  const sets = trainSets.filter((s) => trainsIn(s.kind, info.domains));
  const prompts = sets.reduce((n, s) => n + s.items.length, 0);
  const inPanel = collected
    ? Object.entries(collected.byDomain)
        .filter(([d]) => trainsIn(d, info.domains))
        .reduce((n, [, c]) => n + (c ?? 0), 0)
    : 0;
  const usable = collected && collected.id !== info.collectedId && inPanel > 0;

  const collect = () => {
    setError(null);
    // The recipe's lengths, as the Train panel collects: answers no longer than training reads.
    const settings = {
      ...sampling,
      maxAnswerTokens: Number(draft.numbers.maxAnswerTokens) || DEFAULT_RECIPE.maxAnswerTokens,
      maxPromptTokens: Number(draft.numbers.maxPromptTokens) || DEFAULT_RECIPE.maxPromptTokens,
    };
    const c = collectForParent(client, sets, settings);
    setRunId(c.runId);
    c.id
      .then((id) => id && onPick(id))
      .catch((e) => setError(errorText(e)))
      .finally(() => setRunId(null));
  };

  return (
    <div className="p-row" data-testid="joint-offer">
      {usable && (
        <button
          type="button"
          className="ghost"
          disabled={busy || runId !== null}
          onClick={() => onPick(collected.id)}
          data-testid="joint-use-collected"
        >
          Use the Train panel's pairs ({inPanel} in {info.domains.join(', ')})
        </button>
      )}
      {prompts > 0 ? (
        <button
          type="button"
          className="ghost"
          disabled={busy || runId !== null}
          onClick={collect}
          data-testid="joint-collect"
        >
          Collect {prompts} prompts of {sets.map((s) => s.name).join(', ')}
        </button>
      ) : (
        !usable && (
          <span className="muted">
            Select a training set of {info.domains.join(' or ')} in the Data panel to collect pairs
            for it.
          </span>
        )
      )}
      {runId !== null && (
        <>
          <progress max={run?.total || 1} value={run?.total ? run.done : undefined} />
          <span className="muted">{run?.message}</span>
          <button type="button" className="ghost" onClick={() => client.cancel(runId)}>
            Cancel
          </button>
        </>
      )}
      {error && <span className="error">{error}</span>}
    </div>
  );
}

export function JointRetrainSection({
  report,
  patches,
}: {
  report: CompositionReport;
  patches: PatchSummary[];
}) {
  const client = useLabClient();
  const names = useMemo(() => new Map(patches.map((p) => [p.id, p.name])), [patches]);
  const [orderIndex, setOrderIndex] = useState(report.recommended ?? 0);
  const order = report.orders[orderIndex] ?? report.orders[0];
  const [choice, setChoice] = useState<JointPairsChoice>({});
  const [infos, setInfos] = useState<JointParentPairsInfo[] | null>(null);
  const [lookupError, setLookupError] = useState<string | null>(null);
  const draft = useLab((s) => s.recipe.draft);
  const recipe = useMemo(
    () => recipeFromDraft(draft, [...DOMAINS]).recipe ?? DEFAULT_RECIPE,
    [draft],
  );
  const [sft, setSft] = useState(String(recipe.sftSteps));
  const [dpo, setDpo] = useState(String(recipe.dpoSteps));
  const defaultName = `${order.map((id) => names.get(id) ?? id).join(' + ')} (joint)`;
  const [name, setName] = useState('');
  const [runId, setRunId] = useState<RunId | null>(null);
  const [result, setResult] = useState<JointRetrainResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useLab((s) => (runId ? s.runs[runId] : undefined));
  // The parents' pairs are checked against the loaded M and M′: look again when they change.
  const base = useLab((s) => s.models.loaded.base);
  const reference = useLab((s) => s.models.loaded.reference);

  const orderKey = order.join('\n');
  // biome-ignore lint/correctness/useExhaustiveDependencies: orderKey stands for order; new models change what fits.
  useEffect(() => {
    let live = true;
    setLookupError(null);
    jointPairs(client, order, choice)
      .then((x) => live && setInfos(x))
      .catch((e) => live && setLookupError(errorText(e)));
    return () => {
      live = false;
    };
  }, [client, orderKey, choice, base, reference]);

  const steps = { sftSteps: Number(sft), dpoSteps: Number(dpo) };
  const badSteps = Object.values(steps).some((v) => !Number.isInteger(v) || v < 0)
    ? 'Step counts must be whole numbers ≥ 0.'
    : steps.sftSteps + steps.dpoSteps === 0
      ? 'Give at least one SFT or DPO step.'
      : null;
  const missing = infos?.filter((i) => i.status !== 'stored') ?? [];
  const ready = infos !== null && missing.length === 0 && badSteps === null;

  const start = () => {
    setError(null);
    setResult(null);
    const r = jointRetrain(client, {
      patchIds: order,
      pairs: choice,
      recipe: { ...recipe, ...steps },
      name: name.trim() || defaultName,
    });
    setRunId(r.runId);
    r.result
      .then((res) => setResult(res))
      .catch((e) => setError(errorText(e)))
      .finally(() => setRunId(null));
  };

  return (
    <div className="joint-retrain" data-testid="joint-retrain">
      <h4>Retrain this stack jointly</h4>
      <p className="muted">
        Fine-tunes all {order.length} patches' vectors together, starting from their concatenation,
        on the union of their training pairs (SFT then DPO with the Train panel's recipe; its length
        and domains are the stack's), then measures the table below again.
      </p>
      <div className="p-row">
        <label className="field">
          Order
          <select
            value={orderIndex}
            onChange={(e) => setOrderIndex(Number(e.target.value))}
            disabled={runId !== null}
            data-testid="joint-order"
          >
            {report.orders.map((o, i) => (
              <option key={o.join()} value={i}>
                {o.map((id) => names.get(id) ?? id).join(' → ')}
                {report.recommended === i ? ' ★' : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          SFT steps
          <input
            type="number"
            min={0}
            value={sft}
            onChange={(e) => setSft(e.target.value)}
            disabled={runId !== null}
            data-testid="joint-sft"
          />
        </label>
        <label className="field">
          DPO steps
          <input
            type="number"
            min={0}
            value={dpo}
            onChange={(e) => setDpo(e.target.value)}
            disabled={runId !== null}
            data-testid="joint-dpo"
          />
        </label>
        <label className="field p-grow">
          New patch name
          <input
            value={name}
            placeholder={defaultName}
            onChange={(e) => setName(e.target.value)}
            disabled={runId !== null}
          />
        </label>
      </div>
      <ul className="joint-pairs" data-testid="joint-pairs">
        {(infos ?? []).map((info) => (
          <li key={info.patchId} data-status={info.status}>
            <strong>{names.get(info.patchId) ?? info.name}</strong>: {info.message}
            {info.status !== 'stored' && (
              <PairsOffer
                info={info}
                busy={runId !== null}
                onPick={(id) => setChoice((c) => ({ ...c, [info.patchId]: id }))}
              />
            )}
          </li>
        ))}
      </ul>
      {lookupError && <p className="error">{lookupError}</p>}
      <div className="p-row">
        <button
          type="button"
          disabled={runId !== null || !ready}
          onClick={start}
          data-testid="joint-run"
        >
          Retrain this stack jointly
        </button>
        {!ready && runId === null && (
          <span className="muted">
            {badSteps ??
              (missing.length > 0
                ? `Pairs needed for ${missing.map((m) => `"${names.get(m.patchId) ?? m.name}"`).join(', ')}.`
                : 'Checking the parents’ pairs…')}
          </span>
        )}
        {runId !== null && (
          <>
            <progress
              max={run?.total || 1}
              value={run?.total ? run.done : undefined}
              aria-label="Joint retraining"
            />
            <span className="muted">{run?.message}</span>
            <button type="button" className="ghost" onClick={() => client.cancel(runId)}>
              Cancel
            </button>
          </>
        )}
      </div>
      {error && <p className="error">{error}</p>}
      {result && (
        <>
          <JointTable report={result.report} names={names} />
          <p className="muted" data-testid="joint-saved">
            Saved as "{result.patch.name}" in the library (trained on {result.pairs} pairs).
          </p>
        </>
      )}
    </div>
  );
}
