// A page for e2e/classifier.spec.ts: the lab's classifier code (the same
// modules the worker imports) built by Vite for the browser, so Chromium runs
// transformers.js's web build and ONNX Runtime Web on the fixtures. The spec
// calls these functions with page.evaluate; the hub is the Node fixture server.
import { createClassifierScorer } from '../../src/eval/classifier-toxicity';
import { createRefusalClassifierJudge } from '../../src/eval/refusal-classifier';
import {
  type ClassifierReference,
  maxAbsDifference,
  REFUSAL_REFERENCE,
  TOXIC_REFERENCE,
} from '../../src/eval/testing/classifier-fixtures';
import { createToxicityScorer } from '../../src/eval/toxicity-scorer';
import { loadTransformersPipeline } from '../../src/eval/transformers-pipeline';
import { listCachedModels } from '../../src/hub/model-cache';

const REFERENCES: Record<'toxic' | 'refusal', ClassifierReference> = {
  toxic: TOXIC_REFERENCE,
  refusal: REFUSAL_REFERENCE,
};

export const harness = {
  /** Max |transformers.js − PyTorch| over every text and label (the browser's Cache API as cache). */
  async difference(
    host: string,
    repo: string,
    which: 'toxic' | 'refusal',
    device?: 'wasm' | 'webgpu',
  ): Promise<number> {
    const ref = REFERENCES[which];
    const classify = await loadTransformersPipeline(repo, true, { host, device });
    return maxAbsDifference(await classify(ref.texts.map((t) => t.text)), ref);
  },

  /** The toxicity scorer's numbers, and the largest difference from PyTorch's `toxic` probability. */
  async toxicScores(host: string, repo: string, allowRemote: boolean) {
    const progress: Record<string, { loaded: number; total: number | null; events: number }> = {};
    const scorer = await createClassifierScorer({
      modelId: repo,
      host,
      allowRemote,
      onProgress: ({ file, loaded, total }) => {
        progress[file] = { loaded, total, events: (progress[file]?.events ?? 0) + 1 };
      },
    });
    const scores = await scorer.score(TOXIC_REFERENCE.texts.map((t) => t.text));
    const diff = Math.max(
      ...scores.map((s, i) => Math.abs(s - TOXIC_REFERENCE.texts[i].probabilities.toxic)),
    );
    return { name: scorer.name, scores, diff, progress };
  },

  /** The refusal judge's verdicts against PyTorch's p(REJECTION) ≥ 0.5. */
  async refusalAgrees(host: string, repo: string): Promise<boolean> {
    const judge = await createRefusalClassifierJudge({ modelId: repo, host, allowRemote: true });
    const verdicts = await judge.judge(REFUSAL_REFERENCE.texts.map((t) => t.text));
    return verdicts.every(
      (v, i) => v.refused === REFUSAL_REFERENCE.texts[i].probabilities.REJECTION >= 0.5,
    );
  },

  async offline(host: string, repo: string) {
    const r = await createToxicityScorer({ classifierModel: repo, host, allowRemote: false });
    return { kind: r.kind, name: r.scorer.name ?? r.scorer.id, reason: r.reason };
  },

  async cachedRepos(): Promise<string[]> {
    return (await listCachedModels()).map((m) => m.repoId);
  },
};

declare global {
  var classifierHarness: typeof harness;
}
globalThis.classifierHarness = harness;
document.body.dataset.ready = 'true';
