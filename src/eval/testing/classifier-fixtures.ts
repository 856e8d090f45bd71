// The tiny classifier fixtures (scripts/fixtures/build-classifier-fixtures.py)
// and the comparison the Node and Chromium tests make against the scores
// PyTorch computed for them. Pure data and arithmetic: no Node or DOM APIs,
// so the browser harness uses it too.
import refusalReference from '../fixtures/refusal-tiny/reference.json' with { type: 'json' };
import toxicReference from '../fixtures/toxic-bert-tiny/reference.json' with { type: 'json' };
import type { LabelScore } from '../transformers-pipeline';

export interface ReferenceText {
  text: string;
  input_ids: number[];
  logits: number[];
  /** By label name (the fixture config's id2label). */
  probabilities: Record<string, number>;
}

export interface ClassifierReference {
  model: string;
  made_by: string;
  activation: 'sigmoid' | 'softmax';
  /** id2label in id order. */
  labels: string[];
  texts: ReferenceText[];
}

export const TOXIC_REFERENCE = toxicReference as ClassifierReference;
export const REFUSAL_REFERENCE = refusalReference as ClassifierReference;

/** The repo ids the fixture server serves them under. */
export const TOXIC_FIXTURE_REPO = 'test-org/toxic-bert-tiny';
export const REFUSAL_FIXTURE_REPO = 'test-org/refusal-tiny';

/**
 * The largest |score − PyTorch probability| over every text and label,
 * matched by label name. A label missing from either side is Infinity, so a
 * renamed or dropped label cannot pass as "close".
 */
export function maxAbsDifference(
  results: readonly (readonly LabelScore[])[],
  reference: ClassifierReference,
): number {
  if (results.length !== reference.texts.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  results.forEach((scores, i) => {
    const expected = reference.texts[i].probabilities;
    if (scores.length !== Object.keys(expected).length) max = Number.POSITIVE_INFINITY;
    for (const s of scores) {
      const p = expected[s.label];
      max = Math.max(max, p === undefined ? Number.POSITIVE_INFINITY : Math.abs(s.score - p));
    }
  });
  return max;
}

/** The config.json with id2label/label2id permuted (a cyclic shift), to prove a wrong mapping is caught. */
export function withShiftedLabels(configJson: string): string {
  const config = JSON.parse(configJson) as {
    id2label: Record<string, string>;
    label2id: Record<string, number>;
  };
  const labels = Object.keys(config.id2label)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => config.id2label[k]);
  const shifted = labels.map((_, i) => labels[(i + 1) % labels.length]);
  config.id2label = Object.fromEntries(shifted.map((l, i) => [String(i), l]));
  config.label2id = Object.fromEntries(shifted.map((l, i) => [l, i]));
  return JSON.stringify(config);
}

/** The config.json with the other problem type, so transformers.js applies the wrong activation. */
export function withOtherActivation(configJson: string): string {
  const config = JSON.parse(configJson) as { problem_type: string };
  config.problem_type =
    config.problem_type === 'multi_label_classification'
      ? 'single_label_classification'
      : 'multi_label_classification';
  return JSON.stringify(config);
}
