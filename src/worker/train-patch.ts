// Turns a training run's state into a Patch for the library: the vectors plus
// a manifest that binds them to the base model they were trained on (id,
// revision, architecture, hidden size, embedding fingerprint) and records how
// they were made, so whoever applies the file can check and reproduce it.
import { tensorSha256 } from '../patch/hash';
import {
  CURRENT_FORMAT_VERSION,
  type Patch,
  type PatchMetrics,
  type PatchMetricsContext,
} from '../patch/types';
import type { ModelSummary } from '../protocol/messages';
import { patchBaseOf } from '../protocol/patch-base';
import type { TrainerCheckpoint } from '../train/checkpoint';
import type { CollectedSet } from '../train/collected';

export async function buildTrainedPatch(opts: {
  state: TrainerCheckpoint;
  base: ModelSummary;
  /** The pairs it trained on; `id` is recorded so joint retraining can find them again. */
  data: Pick<CollectedSet, 'promptSets'> & { id?: string };
  name: string;
  /** The report card (src/worker/eval-latest.ts); absent = no comparable evaluation, `metrics: {}`. */
  metrics?: PatchMetrics;
  metricsContext?: PatchMetricsContext;
  now?: Date;
}): Promise<Patch> {
  const { state, base } = opts;
  const r = state.recipe;
  const nVirtual = r.nVirtualTokens;
  if (state.hidden !== base.hiddenSize) {
    throw new Error(
      `The patch has hidden size ${state.hidden} but the loaded base model has ${base.hiddenSize}: load the model it was trained on.`,
    );
  }
  const embeddings = state.patch.slice();
  // Stages as far as they actually ran: a stopped run saves what it has.
  const sftDone = Math.min(state.step, r.sftSteps);
  const dpoDone = Math.max(0, state.step - r.sftSteps);
  const stages = [
    ...(sftDone > 0 ? [{ kind: 'sft', steps: sftDone }] : []),
    ...(dpoDone > 0 ? [{ kind: 'dpo', steps: dpoDone }] : []),
  ];
  return {
    embeddings,
    nVirtual,
    hidden: state.hidden,
    manifest: {
      formatVersion: CURRENT_FORMAT_VERSION,
      name: opts.name,
      createdAt: (opts.now ?? new Date()).toISOString(),
      base: patchBaseOf(base),
      domains: [...r.domains],
      recipe: {
        init:
          r.init.kind === 'text' ? { method: 'text', text: r.init.text } : { method: r.init.kind },
        stages,
        beta: dpoDone > 0 ? r.beta : null,
        learningRate: r.sftSteps > 0 ? r.sftLr : r.dpoLr,
        datasets: opts.data.promptSets.map((s) => ({ name: s.name, size: s.count })),
        seed: r.seed,
        ...(opts.data.id ? { collectedSetId: opts.data.id } : {}),
      },
      metrics: opts.metrics ?? {},
      ...(opts.metricsContext ? { metricsContext: opts.metricsContext } : {}),
      parents: [],
      tensorSha256: await tensorSha256(embeddings),
    },
  };
}
