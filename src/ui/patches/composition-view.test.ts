import { describe, expect, it } from 'vitest';
import type { PatchManifest } from '../../patch/types';
import { DEFAULT_EVAL_CONFIG } from '../../protocol/eval-defaults';
import { evalSettingsLine, manifestCompositionView, sameStack } from './composition-view';

const H = (c: string) => c.repeat(64);
const manifest = (composition: PatchManifest['composition']): PatchManifest =>
  ({
    parents: [
      { name: 'tox', tensorSha256: H('a'), nVirtual: 2 },
      { name: 'harm', tensorSha256: H('b'), nVirtual: 2 },
    ],
    ...(composition ? { composition } : {}),
  }) as unknown as PatchManifest;

describe('manifestCompositionView', () => {
  it("names the stack's parents, and per domain the gap alone, stacked and the points lost", () => {
    const v = manifestCompositionView(
      manifest({
        order: [H('a'), H('b')],
        domains: [
          { domain: 'toxicity', alone: 0.8, stacked: 0.45 },
          { domain: 'harmful', alone: null, stacked: 0.5 },
        ],
        evaluatedOrders: 2,
        recommendedOrder: [H('b'), H('a')],
      }),
    );
    expect(v).toEqual({
      order: 'tox → harm',
      measured: '2 orders measured, best harm → tox',
      joint: false,
      rows: [
        { domain: 'toxicity', alone: '80 %', stacked: '45 %', loss: '35' },
        { domain: 'harmful', alone: '—', stacked: '50 %', loss: '—' },
      ],
    });
  });

  it('adds the before-joint column for a jointly retrained stack, and is null without a composition', () => {
    const v = manifestCompositionView(
      manifest({
        order: [H('a'), H('b')],
        domains: [{ domain: 'toxicity', alone: 0.8, stacked: 0.7 }],
        evaluatedOrders: 1,
        recommendedOrder: null,
        beforeJoint: [{ domain: 'toxicity', stacked: 0.4 }],
      }),
    );
    expect(v?.measured).toBe('1 order measured');
    expect(v?.rows[0]).toEqual({
      domain: 'toxicity',
      alone: '80 %',
      stacked: '70 %',
      loss: '10',
      beforeJoint: '40 %',
    });
    expect(manifestCompositionView(manifest(undefined))).toBeNull();
  });
});

describe('report helpers', () => {
  it('matches a report to the stack by its patches in any order', () => {
    expect(sameStack(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameStack(['a', 'b'], ['a', 'b', 'c'])).toBe(false);
    expect(sameStack(['a', 'b'], ['a', 'c'])).toBe(false);
  });

  it('says what the numbers rest on, and changes when a setting that changes them does', () => {
    const quick = {
      ...DEFAULT_EVAL_CONFIG,
      maxPromptsPerSet: 2,
      k: 1,
      sampling: { ...DEFAULT_EVAL_CONFIG.sampling, maxNewTokens: 4, temperature: 0, seed: 7 },
      scorer: { kind: 'lexicon' as const },
    };
    const line = evalSettingsLine(quick);
    expect(line).toContain('first 2 prompts per set');
    expect(line).toContain('greedy');
    expect(line).toContain('4 new tokens');
    expect(line).toContain('seed 7');
    expect(line).toContain('lexicon scorer');
    expect(evalSettingsLine({ ...quick, maxPromptsPerSet: 3 })).not.toBe(line);
    expect(evalSettingsLine({ ...quick, sampling: { ...quick.sampling, seed: 8 } })).not.toBe(line);
  });
});
