// The composition-report handler on the real engine (random-weight GPT-2
// fixture, hidden size 2) with fake IndexedDB: validation before any work,
// exactly the chosen orders of a 4-stack, one progress bar whose total never
// changes and whose done never goes back, the report store (instant re-run,
// invalidated by a changed patch or setting, restored after a "reload"), and
// cancel mid-report.
import 'fake-indexeddb/auto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../engine/backends';
import { loadModel } from '../../engine/load';
import { NodeDirectorySource } from '../../engine/node-directory-source';
import { Rng } from '../../engine/rng';
import { CompositionError } from '../../eval/composition-report';
import { CURRENT_FORMAT_VERSION, type Patch } from '../../patch/types';
import type { EvalConfig, LabEvent, ModelRole } from '../../protocol/messages';
import { cancelRun } from '../cancellation';
import { compositionFor, useCompositionStore } from '../composition-latest';
import { CompositionStore } from '../composition-store';
import { patchLibrary } from '../patch-library-worker';
import { session } from '../session';
import { compositionHandlers } from './composition';

const GPT2 = join(__dirname, '../../../../shared/fixtures/hf-gpt2-random');

const CONFIG: EvalConfig = {
  sets: {
    toxicity: { source: 'builtin' },
    bias: { source: 'off' },
    harmful: { source: 'builtin' },
    safe: { source: 'off' },
    general: { source: 'off' },
  },
  crowsPairs: null,
  k: 1,
  sampling: { maxNewTokens: 2, temperature: 1, topK: 0, topP: 1, seed: 3 },
  scorer: { kind: 'lexicon' },
  maxPromptsPerSet: 2,
  duringTraining: { enabled: false, everySteps: 10 },
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
      embeddingFingerprint: `fp-${role}`,
      loadMs: 0,
    },
  };
}

function patchOf(name: string, domains: Patch['manifest']['domains'], seed: number): Patch {
  const rng = new Rng(seed);
  const hidden = 2;
  return {
    embeddings: Float32Array.from({ length: 2 * hidden }, () => rng.normal() * 3),
    nVirtual: 2,
    hidden,
    manifest: {
      formatVersion: CURRENT_FORMAT_VERSION,
      name,
      createdAt: '2026-01-01T00:00:00.000Z',
      base: {
        id: 'gpt2-m',
        revision: 'main',
        architecture: 'gpt2',
        hiddenSize: hidden,
        fingerprint: null,
      },
      domains,
      recipe: null,
      metrics: {},
      parents: [],
      tensorSha256: '',
    },
  };
}

const report = compositionHandlers['composition-report']!;
const restore = compositionHandlers['composition-restore']!;

async function runReport(
  runId: string,
  patchIds: string[],
  config = CONFIG,
  orders?: string[][],
  onEvent?: (e: LabEvent) => void,
) {
  const events: LabEvent[] = [];
  await report(
    { type: 'composition-report', runId, patchIds, config, ...(orders ? { orders } : {}) },
    (e) => {
      events.push(e);
      onEvent?.(e);
    },
  );
  const result = events.flatMap((e) => (e.type === 'composition-result' ? [e.result] : []))[0];
  const progress = events.flatMap((e) => (e.type === 'run-progress' ? [e] : []));
  return { events, result, progress };
}

let ids: string[] = [];
beforeAll(async () => {
  expect(await useBackend('cpu')).toEqual({ ok: true });
  await loadRole('base', 'gpt2-m');
  await loadRole('reference', 'gpt2-mref');
  useCompositionStore(new CompositionStore('composition-handler-test'));
  const lib = await patchLibrary();
  ids = [];
  for (const [i, p] of [
    patchOf('tox', ['toxicity'], 1),
    patchOf('harm', ['harmful'], 2),
    patchOf('tox2', ['toxicity'], 3),
    patchOf('harm2', ['harmful'], 4),
  ].entries()) {
    ids.push(await lib.save(p, { origin: 'trained', sizeBytes: 100 + i }));
  }
});

afterAll(() => {
  for (const m of Object.values(session.models)) m?.model.dispose();
  session.models = {};
});

describe('composition-report handler', () => {
  it('refuses a bad request with its reason before it posts, loads or evaluates anything', async () => {
    const refused = async (patchIds: string[], orders?: string[][]) => {
      const events: LabEvent[] = [];
      const run = report(
        {
          type: 'composition-report',
          runId: 'bad',
          patchIds,
          config: CONFIG,
          ...(orders ? { orders } : {}),
        },
        (e) => events.push(e),
      );
      await expect(run).rejects.toThrow(CompositionError);
      expect(events).toEqual([]);
      return run.catch((e: Error) => e.message);
    };
    expect(await refused(['a', 'b', 'c', 'd', 'e'])).toMatch(/at most 4 patches, got 5/);
    expect(await refused(['a', 'b'], [['a', 'b']])).toMatch(/runs all 2 orders/);
    const four = ['a', 'b', 'c', 'd'];
    expect(await refused(four, [])).toMatch(/at least one order/);
    expect(await refused(four, [['a', 'b', 'c']])).toMatch(/Order 1 lists 3 patches/);
    expect(await refused(four, [['a', 'b', 'c', 'x']])).toMatch(/names "x"/);
    expect(await refused(four, [['a', 'b', 'c', 'c']])).toMatch(/uses a patch twice/);
    expect(await refused(four, [four, ['d', 'c', 'b', 'a'], four])).toMatch(
      /Order 3 repeats order 1/,
    );
  });

  it('runs both orders of a 2-stack with one bar: fixed total, done never back, ending full', async () => {
    const { result, progress, events } = await runReport('two', [ids[0], ids[1]]);
    expect(events.at(-1)?.type).toBe('run-done');
    expect(result.report.orders).toEqual([
      [ids[0], ids[1]],
      [ids[1], ids[0]],
    ]);
    expect(result.cachedReport).toBe(false);
    const totals = new Set(progress.map((p) => p.total));
    expect(totals.size).toBe(1);
    const [total] = totals;
    // M, M′, 2 alone, 2 orders = 6 evaluations of 2 toxicity + 2 harmful prompts × k 1 + fluency rows (4).
    expect(total).toBe(6 * (2 + 2 + 4));
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].done).toBeGreaterThanOrEqual(progress[i - 1].done);
    }
    expect(progress.at(-1)?.done).toBe(total);
    // It moves in small steps, not one jump per evaluation.
    expect(new Set(progress.map((p) => p.done)).size).toBeGreaterThan(12);
  });

  it('answers the same report again from the store, and a reload restores it with its settings', async () => {
    const first = await runReport('again-1', [ids[0], ids[1]]);
    expect(first.result.cachedReport).toBe(true);
    // Nothing was evaluated: no evaluation posted a row.
    expect(first.progress.filter((p) => p.message.includes('prompts'))).toEqual([]);
    // A "reload": a new store on the same database finds it.
    useCompositionStore(new CompositionStore('composition-handler-test'));
    const events: LabEvent[] = [];
    await restore({ type: 'composition-restore', requestId: 'q1' }, (e) => events.push(e));
    const latest = events[0];
    expect(latest.type).toBe('composition-latest');
    if (latest.type !== 'composition-latest') return;
    expect(latest.result?.patchIds).toEqual([ids[0], ids[1]]);
    expect(latest.result?.config).toEqual(CONFIG);
    expect(latest.result?.report).toEqual(first.result.report);
    // Stacking those patches records what that order cost, from the stored report.
    const lib = await patchLibrary();
    const stackId = await lib.compose([ids[1], ids[0]], 'harm+tox');
    const stacked = await lib.patch(stackId);
    expect(stacked.manifest.composition?.order).toEqual(
      stacked.manifest.parents.map((p) => p.tensorSha256),
    );
    expect(stacked.manifest.composition?.evaluatedOrders).toBe(2);
    expect(await compositionFor(['0'.repeat(64), '1'.repeat(64)])).toBeNull();
  });

  it('measures again under a changed setting, reusing only what that setting does not change', async () => {
    const changed = await runReport('seed', [ids[0], ids[1]], {
      ...CONFIG,
      sampling: { ...CONFIG.sampling, seed: 4 },
    });
    expect(changed.result.cachedReport).toBe(false);
    expect(changed.result.cachedEvaluations).toBe(0);
    // A changed patch (here: another patch in its place) re-measures what involves it only.
    const swapped = await runReport('swap', [ids[0], ids[3]]);
    expect(swapped.result.cachedReport).toBe(false);
    // M, M′ and "tox" alone come from the evaluation cache.
    expect(swapped.result.cachedEvaluations).toBe(3);
    expect(new Set(swapped.progress.map((p) => p.total)).size).toBe(1);
    expect(swapped.progress[0].total).toBe(3 * 8);
  });

  it('evaluates exactly the chosen orders of a 4-stack, in the order given', async () => {
    const chosen = [
      [ids[3], ids[2], ids[1], ids[0]],
      [ids[0], ids[1], ids[2], ids[3]],
    ];
    const { result } = await runReport('four', ids, CONFIG, chosen);
    expect(result.report.orders).toEqual(chosen);
    expect(result.report.rows.every((r) => r.cells.length === 2)).toBe(true);
  });

  it('stops within a second of Cancel, mid-report', async () => {
    const slow: EvalConfig = {
      ...CONFIG,
      maxPromptsPerSet: 4,
      sampling: { ...CONFIG.sampling, maxNewTokens: 8, seed: 99 },
    };
    let cancelledAt = 0;
    const { events } = await runReport('cancel', [ids[0], ids[2]], slow, undefined, (e) => {
      // Cancel once the second evaluation (M′) has generated its first rows.
      const inSecond = e.type === 'run-progress' && e.message.includes('(evaluation 2 of');
      if (!cancelledAt && inSecond && e.message.includes('prompts')) {
        cancelledAt = performance.now();
        cancelRun('cancel');
      }
    });
    const stoppedAt = performance.now();
    expect(cancelledAt).toBeGreaterThan(0);
    expect(events.at(-1)?.type).toBe('run-cancelled');
    expect(events.some((e) => e.type === 'composition-result')).toBe(false);
    expect(stoppedAt - cancelledAt).toBeLessThan(1000);
  });
});
