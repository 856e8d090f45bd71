// The metrics dashboard's commands, as functions over the LabClient: start an
// evaluation (remembering its run for the button's progress bar), and keep
// the worker's training-time settings in step with the form. Settings are kept
// in localStorage (settings.ts), so a reload keeps what the user chose.

import { DEFAULT_CONTROL_SHAPE } from '../protocol/eval-defaults';
import type { EvalConfig, EvalControlShape, EvalTargetKind } from '../protocol/messages';
import { withEvalConfig, withPendingEval } from '../state/slices/eval';
import type { LabClient } from './lab-client';
import { evalConfigSetting } from './settings';

/** Evaluates one target with the current settings; resolves when the run ends. */
export async function evaluateTarget(
  client: LabClient,
  target: EvalTargetKind,
  force = false,
): Promise<void> {
  const runId = client.newRunId();
  const state = client.store.getState();
  const config = state.evaluation.config;
  client.store.setState((s) => withPendingEval(s, target, runId));
  try {
    await client.run({
      type: 'evaluate',
      runId,
      target,
      config,
      force,
      ...(target === 'control'
        ? { controlShape: controlShapeOf(state.recipe.draft.numbers.nVirtualTokens) }
        : {}),
    });
  } finally {
    client.store.setState((s) =>
      s.evaluation.pending[target] === runId ? withPendingEval(s, target, null) : {},
    );
  }
}

/**
 * The control's length when no patch is applied: the Train panel's number of
 * virtual tokens as typed, or the default when the field does not hold a
 * positive integer (the worker uses the applied stack's shape when there is one).
 */
export function controlShapeOf(nVirtualTyped: string): EvalControlShape {
  const n = Number(nVirtualTyped.trim());
  return Number.isInteger(n) && n >= 1 ? { nVirtual: n } : DEFAULT_CONTROL_SHAPE;
}

/**
 * M, M′, then the random-patch control M+R (one model at a time: they share
 * the device), each with its own progress; a later one is skipped if an
 * earlier one fails.
 */
export async function evaluateBaselines(client: LabClient, force = false): Promise<void> {
  await evaluateTarget(client, 'base', force);
  await evaluateTarget(client, 'reference', force);
  await evaluateTarget(client, 'control', force);
}

export function setEvalConfig(client: LabClient, config: EvalConfig): void {
  client.store.setState((s) => withEvalConfig(s, config));
  client.send({ type: 'eval-configure', config });
  // Custom sets can be large and belong to the Data panel: store only the choices.
  evalConfigSetting.save({
    ...config,
    crowsPairs: null,
    sets: Object.fromEntries(
      Object.entries(config.sets).map(([k, c]) => [
        k,
        c.source === 'custom' ? { source: 'builtin' } : c,
      ]),
    ) as EvalConfig['sets'],
  });
}

/**
 * Asks the worker for the stored metrics history (baselines and the newest
 * run's M+P points); they land in the store as if just evaluated, so the
 * charts after a reload show what they showed before it.
 */
export function restoreEvalHistory(client: LabClient): Promise<void> {
  return client
    .query({ type: 'eval-restore-history' }, 'eval-history')
    .then(() => {})
    .catch(() => {
      // A failure is an error event the header shows; evaluating again still works.
    });
}

/** The stored settings merged over the defaults (unknown or broken storage → defaults). */
export function storedEvalConfig(): EvalConfig {
  return evalConfigSetting.load();
}
