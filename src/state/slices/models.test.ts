import { describe, expect, it } from 'vitest';
import type { LabEvent, ModelSummary } from '../../protocol/messages';
import { initialLabState, type LabState, reduceLabEvent } from '../lab-store';
import { selectAnyModelLoading } from './models';

function apply(events: LabEvent[], s: LabState = initialLabState): LabState {
  let state = s;
  for (const e of events) state = { ...state, ...reduceLabEvent(state, e) };
  return state;
}

const summary = (role: 'base' | 'reference', label: string): ModelSummary => ({
  role,
  sourceId: `embedded:${label}`,
  sourceKind: 'embedded',
  label,
  modelId: label,
  revision: 'embedded',
  modelType: 'llama',
  params: 1000,
  hiddenSize: 8,
  numLayers: 1,
  vocabSize: 100,
  backend: 'wasm',
  embeddingFingerprint: 'emb1:100x8:0123456789abcdef',
  loadMs: 5,
});

const started = (runId: string, role: 'base' | 'reference' = 'base'): LabEvent[] => [
  { type: 'run-started', runId, kind: 'load-model', label: 'load' },
  { type: 'model-load-started', runId, role, label: 'demo-base' },
];

describe('models slice', () => {
  it('tracks bytes per file, tensors uploaded and the phase of a load', () => {
    const s = apply([
      ...started('r1'),
      {
        type: 'model-progress',
        runId: 'r1',
        role: 'base',
        phase: 'download',
        file: 'config.json',
        loaded: 500,
        total: 500,
      },
      {
        type: 'model-progress',
        runId: 'r1',
        role: 'base',
        phase: 'download',
        file: 'model.safetensors',
        loaded: 10,
        total: 100,
      },
      {
        type: 'model-progress',
        runId: 'r1',
        role: 'base',
        phase: 'download',
        file: 'model.safetensors',
        loaded: 60,
        total: 100,
      },
      {
        type: 'model-progress',
        runId: 'r1',
        role: 'base',
        phase: 'upload',
        file: 'model.safetensors',
        loaded: 3,
        total: 9,
      },
    ]);
    const load = s.models.loads.base!;
    expect(load.phase).toBe('upload');
    expect(load.files).toEqual({
      'config.json': { loaded: 500, total: 500 },
      'model.safetensors': { loaded: 60, total: 100 },
    });
    expect(load.upload).toEqual({ loaded: 3, total: 9 });
    expect(selectAnyModelLoading(s)).toBe(true);
  });

  it('a finished load becomes the role’s summary; the other role is untouched', () => {
    const ref = summary('reference', 'demo-safe');
    const s0 = apply([
      ...started('r0', 'reference'),
      { type: 'model-loaded', runId: 'r0', summary: ref },
    ]);
    const s = apply(
      [
        ...started('r1'),
        { type: 'model-loaded', runId: 'r1', summary: summary('base', 'demo-base') },
        { type: 'run-done', runId: 'r1' },
      ],
      s0,
    );
    expect(s.models.loaded.base?.label).toBe('demo-base');
    expect(s.models.loaded.reference).toBe(ref);
    expect(s.models.loads).toEqual({});
    expect(selectAnyModelLoading(s)).toBe(false);
  });

  it('a failed load keeps the loaded model and the load record with its error', () => {
    const s0 = apply([
      ...started('r1'),
      { type: 'model-loaded', runId: 'r1', summary: summary('base', 'demo-base') },
    ]);
    const s = apply(
      [
        ...started('r2'),
        {
          type: 'run-error',
          runId: 'r2',
          message: 'Could not reach example.invalid',
          name: 'Error',
          code: null,
        },
      ],
      s0,
    );
    expect(s.models.loaded.base?.label).toBe('demo-base');
    expect(s.models.loads.base?.runId).toBe('r2');
    expect(s.runs.r2.error).toBe('Could not reach example.invalid');
    expect(selectAnyModelLoading(s)).toBe(false);
  });

  it('ignores progress from a load that a newer load of the role replaced', () => {
    const s = apply([
      ...started('old'),
      ...started('new'),
      {
        type: 'model-progress',
        runId: 'old',
        role: 'base',
        phase: 'upload',
        file: null,
        loaded: 5,
        total: 5,
      },
    ]);
    expect(s.models.loads.base?.runId).toBe('new');
    expect(s.models.loads.base?.upload).toEqual({ loaded: 0, total: null });
  });

  it('stores the listed model cache', () => {
    const s = apply([
      {
        type: 'model-cache',
        requestId: 'c',
        available: true,
        models: [
          {
            key: 'a/b@main',
            host: 'https://huggingface.co',
            repoId: 'a/b',
            revision: 'main',
            files: [{ file: 'config.json', bytes: 10 }],
            totalBytes: 10,
          },
        ],
      },
    ]);
    expect(s.models.cache?.map((m) => m.key)).toEqual(['a/b@main']);
    expect(s.models.cacheAvailable).toBe(true);
  });
});
