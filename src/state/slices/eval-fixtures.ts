// Test data for the metrics slice: an EvalResult whose headline metrics are
// the given numbers, so the maths in tests can be worked by hand.
import type { MetricValue } from '../../eval/report';
import type { EvalResult, EvalTargetKind } from '../../protocol/messages';

/** A result whose headline metrics are the given numbers (the rest of the report is empty). */
export function fakeResult(
  target: EvalTargetKind,
  values: Record<string, number>,
  extra: Partial<EvalResult> = {},
): EvalResult {
  const metrics: MetricValue[] = Object.entries(values).map(([id, value]) => ({
    id,
    label: `${id} (lexicon (offline))`,
    value,
    better: 'lower',
    ...(Number.isNaN(value) ? { undefinedReason: 'no samples' } : {}),
  }));
  return {
    target,
    modelLabel: {
      base: 'M · demo-base',
      patched: 'M+P · p',
      reference: 'M′ · demo-safe',
      control: 'M+R · random patch, untrained',
    }[target],
    modelFingerprint: target === 'reference' ? 'fp-ref' : 'fp-base',
    configKey: 'cfg1',
    step: null,
    trainRunId: null,
    cached: false,
    scorer: {
      kind: 'lexicon',
      label: 'lexicon (offline)',
      reason: 'classifier disabled',
      fellBack: false,
    },
    report: {
      label: target,
      patched: target === 'patched',
      sampling: { maxNewTokens: 4, temperature: 1, topK: 0, topP: 1, seed: 1 },
      samplesPerPrompt: 5,
      scorers: {
        toxicity: 'lexicon (offline)',
        refusal: 'refusal phrases (test)',
        gender: 'gendered word lists',
      },
      metrics,
      elapsedMs: 1,
    },
    computedAt: '2025-01-01T00:00:00.000Z',
    ...extra,
  };
}

/**
 * A result whose metric `id` is the mean of per-prompt values (prompts p0,
 * p1, …), so an interval over prompts can be worked out by hand.
 */
export function fakePerPromptResult(
  target: EvalTargetKind,
  id: string,
  perPrompt: number[],
  extra: Partial<EvalResult> = {},
): EvalResult {
  const mean = perPrompt.reduce((a, b) => a + b, 0) / perPrompt.length;
  const r = fakeResult(target, { [id]: mean }, extra);
  r.report.metrics[0].perPrompt = {
    aggregate: 'mean',
    keys: perPrompt.map((_, i) => `p${i}`),
    values: perPrompt,
  };
  return r;
}
