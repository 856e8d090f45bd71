// Joint retraining of a stack, as a plan: one patch whose rows are the
// parents' rows concatenated in the stack's order, every row trainable,
// fine-tuned with the usual recipe (SFT then DPO, the ordinary Trainer with
// `startFrom`) on the union of the parents' collected pairs. Stacking
// separately trained patches loses part of each one's effect (one dominates,
// eval/composition-report.ts measures how much); training them together lets
// the rows adapt to each other. Tensor-free: the worker
// (worker/handlers/joint-retrain.ts), the demo script and the tests share it.
import { DOMAINS } from '../data/domains';
import type { Domain } from '../data/types';
import { type CollectedItem, type CollectedSet, collectedSetId } from './collected';
import { resolveRecipe, type TrainRecipe } from './recipe';
import { trainsIn } from './train-pool';

export class JointRetrainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JointRetrainError';
  }
}

/** One parent of the stack: its rows and, when found, the pairs it was trained on. */
export interface JointParent {
  name: string;
  /** The parent's own domains: of its pairs, only those in these domains trained it. */
  domains: Domain[];
  /** Row-major [nVirtual, hidden]. */
  embeddings: Float32Array;
  nVirtual: number;
  hidden: number;
}

export interface JointParentPairs {
  parent: Pick<JointParent, 'name' | 'domains'>;
  set: CollectedSet;
}

/** The parent's pairs that train its own domains (harmless look-alikes go with harmful). */
export function parentItems(p: JointParentPairs): CollectedItem[] {
  return p.set.items.filter((it) => trainsIn(it.domain, p.parent.domains));
}

/** The union of the parents' domains, in the lab's domain order. */
export function jointDomains(parents: readonly Pick<JointParent, 'domains'>[]): Domain[] {
  const all = new Set(parents.flatMap((p) => p.domains));
  return DOMAINS.filter((d) => all.has(d));
}

/**
 * A stable id for the union: the parents' set ids with their domains, in any
 * order (the union does not depend on the stack's order). "joint-" + the same
 * 16 hex digits collectedSetId makes, so the manifest can name it.
 */
export function jointPairsId(parts: readonly JointParentPairs[]): string {
  const keys = parts.map((p) => `${p.set.id}:${[...p.parent.domains].sort().join(',')}`).sort();
  const first = parts[0].set;
  return collectedSetId({
    baseModelId: first.baseModelId,
    referenceModelId: first.referenceModelId,
    prompts: keys.map((text) => ({ kind: 'joint', text })),
    settings: first.settings,
  }).replace(/^collected-/, 'joint-');
}

/**
 * The union of the parents' pairs: each parent's items in its own domains,
 * an item shared by two parents (same set, same index) once. Every parent
 * must bring at least one pair and all must come from the same M and M′.
 */
export function unionOfPairs(parts: readonly JointParentPairs[]): CollectedSet {
  if (parts.length === 0) throw new JointRetrainError('A joint retrain needs the parents’ pairs.');
  const first = parts[0].set;
  for (const p of parts) {
    if (
      p.set.baseModelId !== first.baseModelId ||
      p.set.referenceModelId !== first.referenceModelId
    ) {
      throw new JointRetrainError(
        `The pairs of "${p.parent.name}" were collected with other models (${p.set.baseModelId.split('#')[0]} / ${p.set.referenceModelId.split('#')[0]}) than those of "${parts[0].parent.name}": collect them again with the loaded M and M′.`,
      );
    }
  }
  const seen = new Set<string>();
  const items: CollectedItem[] = [];
  const promptSets = new Map<string, CollectedSet['promptSets'][number]>();
  for (const p of parts) {
    const own = parentItems(p);
    if (own.length === 0) {
      throw new JointRetrainError(
        `The pairs of "${p.parent.name}" hold none in its domains (${p.parent.domains.join(', ')}): collect pairs for them.`,
      );
    }
    p.set.items.forEach((it, i) => {
      const key = `${p.set.id}#${i}`;
      if (!trainsIn(it.domain, p.parent.domains) || seen.has(key)) return;
      seen.add(key);
      items.push(it);
    });
    for (const s of p.set.promptSets) {
      if (trainsIn(s.kind, p.parent.domains)) promptSets.set(`${s.kind}|${s.source}|${s.name}`, s);
    }
  }
  return {
    version: first.version,
    id: jointPairsId(parts),
    baseModelId: first.baseModelId,
    referenceModelId: first.referenceModelId,
    promptSets: [...promptSets.values()],
    // The sampling of the first parent's pairs; each parent's own is in its set.
    settings: first.settings,
    items,
    createdAt: new Date().toISOString(),
  };
}

/** The parents' rows in stack order: the patch the joint run starts from. */
export function concatenatedRows(parents: readonly JointParent[]): {
  rows: Float32Array;
  nVirtual: number;
  hidden: number;
} {
  if (parents.length === 0) throw new JointRetrainError('A joint retrain needs a stack.');
  const hidden = parents[0].hidden;
  for (const p of parents) {
    if (p.hidden !== hidden || p.embeddings.length !== p.nVirtual * p.hidden) {
      throw new JointRetrainError(
        `"${p.name}" is ${p.nVirtual}×${p.hidden}, "${parents[0].name}" has hidden size ${hidden}: patches only stack on the same base model.`,
      );
    }
  }
  const nVirtual = parents.reduce((a, p) => a + p.nVirtual, 0);
  const rows = new Float32Array(nVirtual * hidden);
  let offset = 0;
  for (const p of parents) {
    rows.set(p.embeddings, offset);
    offset += p.embeddings.length;
  }
  return { rows, nVirtual, hidden };
}

/**
 * The usual recipe for the stack: the user's knobs, with the patch length
 * the concatenation's and the domains the parents' union. (Its `init` is
 * never used: the run starts from the concatenation.)
 */
export function jointRecipe(
  recipe: Partial<TrainRecipe>,
  parents: readonly JointParent[],
): TrainRecipe {
  return resolveRecipe({
    ...recipe,
    nVirtualTokens: parents.reduce((a, p) => a + p.nVirtual, 0),
    domains: jointDomains(parents),
  });
}

/** Which parents have no pairs yet: the names to tell the user, in stack order. */
export function parentsWithoutPairs<T extends { name: string }>(
  parents: readonly T[],
  pairs: readonly (CollectedSet | null)[],
): string[] {
  return parents.filter((_, i) => !pairs[i]).map((p) => p.name);
}
