// A jointly retrained stack as a library patch: the trained rows with a
// manifest like any trained patch's (buildTrainedPatch: base binding, recipe
// as far as it ran, the union's pairs id), plus what makes it a stack's
// successor: its parents in the stack's order (names, recomputed hashes, row
// counts), an init that says it started from their concatenation, and the
// composition report: per domain the gap closed by the domain's own parent
// alone, by this patch ("stacked") and by the plain stack before retraining
// (`beforeJoint`). src/patch/manifest.ts validates all of it on read.
import type { JointReport } from '../eval/joint-report';
import { tensorSha256 } from '../patch/hash';
import type { Patch, PatchComposition, PatchMetrics, PatchMetricsContext } from '../patch/types';
import type { ModelSummary } from '../protocol/messages';
import type { TrainerCheckpoint } from '../train/checkpoint';
import type { CollectedSet } from '../train/collected';
import { buildTrainedPatch } from './train-patch';

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * The manifest composition of the joint patch: `order` and the per-domain
 * gaps from the report, with the parents named by their tensor hashes.
 * `measured` (how many orders a full composition report evaluated, and its
 * recommendation) comes from that report when there was one.
 */
export function jointComposition(
  report: JointReport,
  hashOf: (memberId: string) => string,
  measured: { evaluatedOrders: number; recommendedOrder: string[] | null } | null,
): PatchComposition {
  return {
    order: report.order.map(hashOf),
    domains: report.after.rows.map((r) => ({
      domain: r.domain,
      alone: finiteOrNull(r.alone.value),
      stacked: finiteOrNull(r.cells[0].stacked.value),
    })),
    evaluatedOrders: measured?.evaluatedOrders ?? 1,
    recommendedOrder: measured ? measured.recommendedOrder : null,
    beforeJoint: report.before.rows.map((r) => ({
      domain: r.domain,
      stacked: finiteOrNull(r.cells[0].stacked.value),
    })),
  };
}

export async function buildJointPatch(opts: {
  state: TrainerCheckpoint;
  base: ModelSummary;
  /** The union of the parents' pairs it trained on. */
  data: Pick<CollectedSet, 'promptSets' | 'id'>;
  name: string;
  /** The parents in the stack's order, under the names the library shows. */
  parents: Patch[];
  composition: PatchComposition;
  metrics?: PatchMetrics;
  metricsContext?: PatchMetricsContext;
  now?: Date;
}): Promise<Patch> {
  const patch = await buildTrainedPatch(opts);
  const parents = await Promise.all(
    opts.parents.map(async (p) => ({
      name: p.manifest.name,
      // Recomputed rather than copied, as composePatches does: a manifest may be stale.
      tensorSha256: await tensorSha256(p.embeddings),
      nVirtual: p.nVirtual,
    })),
  );
  const rows = parents.reduce((a, p) => a + p.nVirtual, 0);
  if (rows !== patch.nVirtual) {
    throw new Error(
      `The parents have ${rows} rows in all but the joint patch has ${patch.nVirtual}.`,
    );
  }
  if (opts.composition.order.join() !== parents.map((p) => p.tensorSha256).join()) {
    throw new Error("The composition's order is not the parents' order.");
  }
  const recipe = patch.manifest.recipe;
  return {
    ...patch,
    manifest: {
      ...patch.manifest,
      recipe: recipe && { ...recipe, init: { method: 'concatenation' } },
      parents,
      composition: opts.composition,
    },
  };
}
