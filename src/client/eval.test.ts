import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONTROL_SHAPE, DEFAULT_EVAL_CONFIG } from '../protocol/eval-defaults';
import type { EvalTargetKind, LabCommand } from '../protocol/messages';
import { createLabStore } from '../state/lab-store';
import { controlShapeOf, evaluateBaselines, storedEvalConfig } from './eval';
import type { LabClient } from './lab-client';

function installStorage(initial: Record<string, string> = {}): void {
  const m = new Map(Object.entries(initial));
  (globalThis as { localStorage?: unknown }).localStorage = {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
  };
}

afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

describe('evaluateBaselines', () => {
  it('evaluates M, M′ and then M+R, the control with the recipe length as typed', async () => {
    const store = createLabStore();
    const sent: LabCommand[] = [];
    const pendingSeen: EvalTargetKind[][] = [];
    let id = 0;
    const client = {
      store,
      newRunId: () => `r${id++}`,
      run: async (cmd: LabCommand) => {
        sent.push(cmd);
        pendingSeen.push(Object.keys(store.getState().evaluation.pending) as EvalTargetKind[]);
      },
    } as unknown as LabClient;
    store.setState((s) => ({
      recipe: {
        ...s.recipe,
        draft: { ...s.recipe.draft, numbers: { ...s.recipe.draft.numbers, nVirtualTokens: '12' } },
      },
    }));
    await evaluateBaselines(client);
    expect(sent.map((c) => (c.type === 'evaluate' ? c.target : c.type))).toEqual([
      'base',
      'reference',
      'control',
    ]);
    const mr = sent[2];
    expect(mr.type === 'evaluate' && mr.controlShape).toEqual({ nVirtual: 12 });
    // Each run has its own pending entry (its progress bar), cleared when it ends.
    expect(pendingSeen).toEqual([['base'], ['reference'], ['control']]);
    expect(store.getState().evaluation.pending).toEqual({});
  });
});

describe('controlShapeOf', () => {
  it('takes a positive integer as typed, else the default length', () => {
    expect(controlShapeOf(' 8 ')).toEqual({ nVirtual: 8 });
    expect(controlShapeOf('')).toEqual(DEFAULT_CONTROL_SHAPE);
    expect(controlShapeOf('2.5')).toEqual(DEFAULT_CONTROL_SHAPE);
    expect(controlShapeOf('0')).toEqual(DEFAULT_CONTROL_SHAPE);
  });
});

describe('stored evaluation settings', () => {
  it('gives settings saved before the control existed the default control seed, and keeps a saved one', () => {
    const old = { ...DEFAULT_EVAL_CONFIG, k: 3 } as Record<string, unknown>;
    delete old.control;
    installStorage({ 'patch-lab.eval-config.v1': JSON.stringify({ version: 1, value: old }) });
    expect(storedEvalConfig()).toMatchObject({ k: 3, control: DEFAULT_EVAL_CONFIG.control });
    const mine = { ...DEFAULT_EVAL_CONFIG, control: { seed: 42 } };
    installStorage({ 'patch-lab.eval-config.v1': JSON.stringify({ version: 1, value: mine }) });
    expect(storedEvalConfig().control).toEqual({ seed: 42 });
    const broken = { ...DEFAULT_EVAL_CONFIG, control: { seed: 'x' } };
    installStorage({ 'patch-lab.eval-config.v1': JSON.stringify({ version: 1, value: broken }) });
    expect(storedEvalConfig().control).toEqual(DEFAULT_EVAL_CONFIG.control);
  });
});
