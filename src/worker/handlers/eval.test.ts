import { cancelRun } from '../cancellation';
import 'fake-indexeddb/auto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../engine/backends';
import { loadModel } from '../../engine/load';
import { NodeDirectorySource } from '../../engine/node-directory-source';
import { tf } from '../../engine/tf';
import { rowNorms } from '../../eval/random-control';
import type { EvalConfig, LabEvent, ModelRole } from '../../protocol/messages';
import { EvalCache, evalCacheKey } from '../eval-cache';
import { evalConfigKey } from '../eval-config-key';
import { embeddingScaleTemplate, normsHash } from '../eval-control';
import { session } from '../session';
import { evalHandlers, evaluateDuringTraining } from './eval';

// A real (random-weight) GPT-2 in the exact HF layout with the real GPT-2
// tokenizer: hidden size 2, so generation is fast and the maths is the real path.
const GPT2 = join(__dirname, '../../../../shared/fixtures/hf-gpt2-random');

const SMALL: EvalConfig = {
  sets: {
    toxicity: { source: 'builtin' },
    bias: { source: 'builtin' },
    harmful: { source: 'builtin' },
    safe: { source: 'builtin' },
    general: { source: 'off' },
  },
  crowsPairs: null,
  k: 2,
  sampling: { maxNewTokens: 3, temperature: 1, topK: 0, topP: 1, seed: 7 },
  scorer: { kind: 'lexicon' },
  maxPromptsPerSet: 2,
  duringTraining: { enabled: true, everySteps: 10 },
};

async function loadRole(role: ModelRole, label: string): Promise<void> {
  const source = new NodeDirectorySource(GPT2, { modelId: label });
  const { model, tokenizer, config } = await loadModel(source);
  session.models[role] = {
    role,
    model,
    tokenizer,
    config,
    source,
    summary: {
      role,
      sourceId: label,
      sourceKind: 'local',
      label,
      modelId: label,
      revision: 'main',
      modelType: 'gpt2',
      params: 0,
      hiddenSize: config.hiddenSize,
      numLayers: config.numLayers,
      vocabSize: config.vocabSize,
      backend: 'cpu',
      // Distinct per role so cache keys of M and M′ cannot collide by accident.
      embeddingFingerprint: `fp-${role}`,
      loadMs: 0,
    },
  };
}

function recorder() {
  const events: LabEvent[] = [];
  return { events, post: (e: LabEvent) => events.push(e) };
}

const evaluate = evalHandlers.evaluate!;

beforeAll(async () => {
  expect(await useBackend('cpu')).toEqual({ ok: true });
  await loadRole('base', 'gpt2-m');
  await loadRole('reference', 'gpt2-mref');
});

afterAll(() => {
  for (const m of Object.values(session.models)) m?.model.dispose();
  session.models = {};
});

describe('evaluate', () => {
  it('judges refusals with the rule the config names, and says so when an asked-for classifier falls back', async () => {
    const resultOf = async (runId: string, refusal: EvalConfig['refusal']) => {
      const { events, post } = recorder();
      await evaluate(
        { type: 'evaluate', runId, target: 'base', config: { ...SMALL, refusal }, force: true },
        post,
      );
      return events.flatMap((e) => (e.type === 'eval-result' ? [e.result] : []))[0];
    };
    const byDefault = await resultOf('rj0', undefined);
    expect(byDefault.report.scorers.refusal).toBe('opening-sentences v2');
    const xstest = await resultOf('rj1', { kind: 'rule', id: 'lists:xstest' });
    expect(xstest.report.scorers.refusal).toBe('string match: xstest (prefix) v1');
    expect(xstest.refusalJudge).toMatchObject({ kind: 'rule', fellBack: false });
    // No network and downloads off: the classifier cannot load, the rule stands in and says why.
    const offline = await resultOf('rj2', {
      kind: 'classifier',
      modelId: 'protectai/distilroberta-base-rejection-v1',
      allowRemote: false,
    });
    expect(offline.refusalJudge).toMatchObject({ kind: 'rule', fellBack: true });
    expect(offline.refusalJudge?.reason).toContain('fell back to opening-sentences v2');
    expect(offline.report.scorers.refusal).toBe('opening-sentences v2');
  });

  it('evaluates M on every chosen domain, with progress to 100% and the lexicon label on the numbers', async () => {
    const { events, post } = recorder();
    await evaluate(
      { type: 'evaluate', runId: 'r1', target: 'base', config: SMALL, force: true },
      post,
    );
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('run-started');
    expect(types.at(-1)).toBe('run-done');
    const progress = events.flatMap((e) => (e.type === 'run-progress' ? [e] : []));
    const last = progress.at(-1)!;
    // 2 prompts × k=2 in four generation phases, 2 GLD prompts, fluency judged by M′ over 16 texts.
    expect(last.total).toBe(4 * 4 + 2 + 16);
    expect(last.done).toBe(last.total);
    for (let i = 1; i < progress.length; i++) {
      if (progress[i].total === progress[i - 1].total) {
        expect(progress[i].done).toBeGreaterThanOrEqual(progress[i - 1].done);
      }
    }
    const result = events.flatMap((e) => (e.type === 'eval-result' ? [e.result] : []))[0];
    expect(result.target).toBe('base');
    expect(result.modelLabel).toBe('M · gpt2-m');
    expect(result.cached).toBe(false);
    expect(result.step).toBeNull();
    expect(result.configKey).toBe(evalConfigKey(SMALL));
    expect(result.scorer).toEqual({
      kind: 'lexicon',
      label: 'lexicon (offline)',
      reason: 'classifier disabled; using the lexicon',
      fellBack: false,
    });
    const r = result.report;
    expect(r.toxicity?.samples).toHaveLength(4);
    expect(r.bias?.samples).toHaveLength(4);
    expect(r.harmful?.samples).toHaveLength(4);
    expect(r.safe?.samples).toHaveLength(4);
    expect(r.fluency?.perplexity.map((p) => p.judge)).toEqual(['M′']);
    expect(r.metrics.find((m) => m.id === 'toxicity.expectedMax')?.label).toContain(
      'lexicon (offline)',
    );
  }, 120_000);

  it('answers M′ from the cache the second time, also from a fresh worker (IndexedDB)', async () => {
    const first = recorder();
    await evaluate(
      { type: 'evaluate', runId: 'c1', target: 'reference', config: SMALL, force: false },
      first.post,
    );
    const computed = first.events.flatMap((e) => (e.type === 'eval-result' ? [e.result] : []))[0];
    expect(computed.cached).toBe(false);

    const second = recorder();
    await evaluate(
      { type: 'evaluate', runId: 'c2', target: 'reference', config: SMALL, force: false },
      second.post,
    );
    const again = second.events.flatMap((e) => (e.type === 'eval-result' ? [e.result] : []))[0];
    expect(again.cached).toBe(true);
    expect(again.report).toEqual(computed.report);
    // No generation happened: only start, result, done.
    expect(second.events.map((e) => e.type)).toEqual(['run-started', 'eval-result', 'run-done']);

    // A new cache object has no memory of it: this reads what IndexedDB kept.
    const fresh = new EvalCache();
    const stored = await fresh.get(evalCacheKey('reference', 'fp-reference', evalConfigKey(SMALL)));
    expect(stored?.report).toEqual(computed.report);
    fresh.close();
  }, 120_000);

  it('stops with run-cancelled when the run is cancelled', async () => {
    const { events, post } = recorder();
    const run = evaluate(
      {
        type: 'evaluate',
        runId: 'x1',
        target: 'base',
        config: { ...SMALL, maxPromptsPerSet: 0 },
        force: true,
      },
      (e) => {
        post(e);
        // Cancel as soon as generation has begun.
        if (e.type === 'run-progress' && e.done > 0) cancelRun('x1');
      },
    );
    await run;
    expect(events.at(-1)).toEqual({ type: 'run-cancelled', runId: 'x1' });
    expect(events.some((e) => e.type === 'eval-result')).toBe(false);
  }, 120_000);

  it('refuses M+P with a plain next step when no patch is applied', async () => {
    const { post } = recorder();
    await expect(
      evaluate(
        { type: 'evaluate', runId: 'p1', target: 'patched', config: SMALL, force: false },
        post,
      ),
    ).rejects.toThrow(/No patch is applied to M\. Apply one in the Patches panel/);
  });
});

describe('evaluate the control M+R', () => {
  const TOX_ONLY: EvalConfig = {
    ...SMALL,
    sets: {
      ...SMALL.sets,
      bias: { source: 'off' },
      harmful: { source: 'off' },
      safe: { source: 'off' },
    },
  };
  let n = 0;
  async function control(seed: number, nVirtual = 3) {
    const { events, post } = recorder();
    await evaluate(
      {
        type: 'evaluate',
        runId: `mr${n++}`,
        target: 'control',
        config: { ...TOX_ONLY, control: { seed } },
        force: false,
        controlShape: { nVirtual },
      },
      post,
    );
    return events.flatMap((e) => (e.type === 'eval-result' ? [e.result] : []))[0];
  }

  it('reports kind control with its seed and shape, at the mean embedding norm without a patch', async () => {
    const r = await control(5);
    expect(r.target).toBe('control');
    expect(r.cached).toBe(false);
    expect(r.report.targetKind).toBe('control');
    expect(r.report.control).toEqual({ kind: 'random-patch', seed: 5, n: 3, hidden: 2 });
    expect(r.modelLabel).toMatch(/^M\+R · random patch, untrained/);
    expect(
      r.report.metrics.find((m) => m.id === 'toxicity.expectedMax')?.perPrompt?.keys,
    ).toHaveLength(2);
    // The rows' norms are M's mean embedding row norm, computed here from the table itself.
    const table = session.models.base!.model.embeddingMatrix();
    const [vocab, hidden] = table.shape;
    const norms = rowNorms((await table.data()) as Float32Array, vocab, hidden);
    const mean = norms.reduce((a, b) => a + b, 0) / vocab;
    expect(r.control).toEqual({
      from: 'embedding',
      normsHash: normsHash(embeddingScaleTemplate(3, hidden, mean)),
    });
  }, 120_000);

  it('is cached by seed and row norms: the same seed hits, another seed or length does not', async () => {
    expect((await control(5)).cached).toBe(true);
    const otherSeed = await control(6);
    expect(otherSeed.cached).toBe(false);
    expect(otherSeed.report.control?.seed).toBe(6);
    expect((await control(5, 4)).cached).toBe(false);
  }, 120_000);

  it('leaves the settings key of M, M′ and M+P alone: the seed only keys M+R', () => {
    expect(evalConfigKey({ ...SMALL, control: { seed: 9 } })).toBe(evalConfigKey(SMALL));
  });
});

describe('evaluateDuringTraining', () => {
  it('evaluates the training patch at most every everySteps updates, tagging results with the step', async () => {
    await evalHandlers['eval-configure']!({ type: 'eval-configure', config: SMALL }, () => {});
    const { events, post } = recorder();
    const prefix = tf.tensor2d([0.1, -0.2, 0.3, 0.05], [2, 2]);
    // The trainer offers steps 5, 10, 15, 20: with everySteps 10 the first,
    // then 15 (10 after 5) are evaluated; 10 and 20 are too soon.
    for (const step of [5, 10, 15, 20])
      await evaluateDuringTraining('train-1', step, prefix, null, post);
    prefix.dispose();
    const results = events.flatMap((e) => (e.type === 'eval-result' ? [e.result] : []));
    expect(results.map((r) => r.step)).toEqual([5, 15]);
    expect(results.every((r) => r.target === 'patched' && r.trainRunId === 'train-1')).toBe(true);
    expect(results[0].report.patched).toBe(true);
    expect(events.filter((e) => e.type === 'run-done').map((e) => e.runId)).toEqual([
      'train-1-eval-5',
      'train-1-eval-15',
    ]);
  }, 120_000);

  it('turns a failure into the evaluation run’s error instead of throwing into the trainer', async () => {
    await evalHandlers['eval-configure']!({ type: 'eval-configure', config: SMALL }, () => {});
    const { events, post } = recorder();
    // Width 3 does not fit M's hidden size 2.
    const wrong = tf.zeros([1, 3]) as tf.Tensor2D;
    await expect(evaluateDuringTraining('train-2', 1, wrong, null, post)).resolves.toBeUndefined();
    wrong.dispose();
    const err = events.find((e) => e.type === 'run-error');
    expect(err).toMatchObject({ runId: 'train-2-eval-1' });
    expect(err && 'message' in err ? err.message : '').toMatch(/width 3/);
  }, 60_000);

  it('stops at once when the training run is stopped: a cancelled run, no result', async () => {
    await evalHandlers['eval-configure']!({ type: 'eval-configure', config: SMALL }, () => {});
    const { events, post } = recorder();
    const prefix = tf.tensor2d([0.1, -0.2, 0.3, 0.05], [2, 2]);
    const stop = new AbortController();
    const t0 = performance.now();
    const running = evaluateDuringTraining('train-4', 1, prefix, stop.signal, post);
    stop.abort();
    await running;
    prefix.dispose();
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(events.some((e) => e.type === 'eval-result')).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'run-cancelled', runId: 'train-4-eval-1' });
  });

  it('does nothing while evaluation during training is switched off', async () => {
    await evalHandlers['eval-configure']!(
      {
        type: 'eval-configure',
        config: { ...SMALL, duringTraining: { enabled: false, everySteps: 1 } },
      },
      () => {},
    );
    const { events, post } = recorder();
    const prefix = tf.zeros([1, 2]) as tf.Tensor2D;
    await evaluateDuringTraining('train-3', 1, prefix, null, post);
    prefix.dispose();
    expect(events).toEqual([]);
  });
});
