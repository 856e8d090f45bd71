// One joint retrain, end to end, with the evaluation as a callback (so the
// worker, the demo script and the tests run the same sequence): plan (union
// of the parents' pairs, the recipe, the concatenated start: all checked
// before anything runs), evaluate each parent alone and the stack in its
// order ("before"), train the concatenation with the ordinary Trainer (SFT
// then DPO), evaluate the trained patch alone ("after"), and build the
// before/after composition table (eval/joint-report.ts).
import type { CausalLM, TextTokenizer } from '../engine/types';
import type { StackMember } from '../eval/composition-report';
import { type JointReport, jointReport } from '../eval/joint-report';
import type { BootstrapOptions } from '../eval/metrics/bootstrap';
import type { EvalReport } from '../eval/report';
import type { CollectedSet } from './collected';
import {
  concatenatedRows,
  type JointParent,
  type JointParentPairs,
  JointRetrainError,
  jointRecipe,
  unionOfPairs,
} from './joint-retrain';
import type { TrainRecipe } from './recipe';
import { type StepResult, Trainer } from './trainer';

/** What the callback evaluates: member ids stacked in order (one id = alone), or the trained rows. */
export type JointEvalTarget =
  | { kind: 'stack'; order: string[] }
  | { kind: 'joint'; rows: Float32Array; nVirtual: number };

export interface JointProgress {
  phase: 'before' | 'train' | 'after';
  /** Evaluations and updates done, of `total` (each counts one). */
  done: number;
  total: number;
  label: string;
  /** The update just made, in the train phase. */
  step?: StepResult;
}

export interface JointRunOptions {
  model: CausalLM;
  /** Only for a recipe whose init is text; the joint run never uses its init. */
  tokenizer?: Pick<TextTokenizer, 'encode'>;
  /** The stack's members in its order; `parents[i]` and `pairs[i]` belong to `members[i]`. */
  members: StackMember[];
  parents: JointParent[];
  pairs: CollectedSet[];
  recipe: Partial<TrainRecipe>;
  base: EvalReport;
  reference: EvalReport;
  evaluate: (target: JointEvalTarget) => Promise<EvalReport>;
  onProgress?: (p: JointProgress) => void;
  /** Checked between evaluations and between updates; throw from it to cancel. */
  checkCancelled?: () => void;
  bootstrap?: BootstrapOptions;
}

export interface JointRunResult {
  report: JointReport;
  trainer: Trainer;
  /** The union the patch trained on. */
  data: CollectedSet;
  alone: Record<string, EvalReport>;
  before: EvalReport;
  after: EvalReport;
}

export async function runJointRetrain(opts: JointRunOptions): Promise<JointRunResult> {
  const { members, parents } = opts;
  if (parents.length !== members.length || opts.pairs.length !== members.length) {
    throw new JointRetrainError('Each member of the stack needs its rows and its pairs.');
  }
  if (members.length < 2) throw new JointRetrainError('A joint retrain needs at least 2 patches.');
  const parts: JointParentPairs[] = parents.map((p, i) => ({ parent: p, set: opts.pairs[i] }));
  const data = unionOfPairs(parts);
  const recipe = jointRecipe(opts.recipe, parents);
  const start = concatenatedRows(parents);
  if (start.hidden !== opts.model.config.hiddenSize) {
    throw new JointRetrainError(
      `The patches have width ${start.hidden} but the model's hidden size is ${opts.model.config.hiddenSize}.`,
    );
  }
  const trainer = await Trainer.create(
    recipe,
    { model: opts.model, data, tokenizer: opts.tokenizer },
    { startFrom: start.rows },
  );

  const order = members.map((m) => m.id);
  const name = (id: string) => members.find((m) => m.id === id)?.name ?? id;
  const total = members.length + 2 + trainer.totalSteps;
  let done = 0;
  const evalStep = async (
    phase: JointProgress['phase'],
    label: string,
    target: JointEvalTarget,
  ): Promise<EvalReport> => {
    opts.checkCancelled?.();
    opts.onProgress?.({ phase, done, total, label });
    const r = await opts.evaluate(target);
    done++;
    return r;
  };

  const alone: Record<string, EvalReport> = {};
  for (const id of order)
    alone[id] = await evalStep('before', name(id), { kind: 'stack', order: [id] });
  const stackLabel = order.map(name).join(' → ');
  const before = await evalStep('before', stackLabel, { kind: 'stack', order });
  while (!trainer.done) {
    opts.checkCancelled?.();
    const step = await trainer.step();
    done++;
    opts.onProgress?.({
      phase: 'train',
      done,
      total,
      label: `${step.stage.toUpperCase()} step ${step.step} of ${trainer.totalSteps}`,
      step,
    });
  }
  const after = await evalStep('after', `joint ${stackLabel}`, {
    kind: 'joint',
    rows: trainer.getPatch(),
    nVirtual: start.nVirtual,
  });
  opts.onProgress?.({ phase: 'after', done, total, label: 'done' });
  const report = jointReport(
    {
      members,
      order,
      base: opts.base,
      reference: opts.reference,
      alone,
      before,
      after,
    },
    opts.bootstrap,
  );
  return { report, trainer, data, alone, before, after };
}
