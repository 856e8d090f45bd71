// The metrics dashboard's commands, as functions over the LabClient: start an
// evaluation (remembering its run for the button's progress bar), and keep
// the worker's training-time settings in step with the form. Settings are kept
// in localStorage (settings.ts), so a reload keeps what the user chose.

import type { EvalConfig, EvalTargetKind } from '../protocol/messages';
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
  const config = client.store.getState().evaluation.config;
  client.store.setState((s) => withPendingEval(s, target, runId));
  try {
    await client.run({ type: 'evaluate', runId, target, config, force });
  } finally {
    client.store.setState((s) =>
      s.evaluation.pending[target] === runId ? withPendingEval(s, target, null) : {},
    );
  }
}

/** M then M′ (one model at a time: they share the device); M′ is skipped if M fails. */
export async function evaluateBaselines(client: LabClient, force = false): Promise<void> {
  await evaluateTarget(client, 'base', force);
  await evaluateTarget(client, 'reference', force);
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

/** The stored settings merged over the defaults (unknown or broken storage → defaults). */
export function storedEvalConfig(): EvalConfig {
  return evalConfigSetting.load();
}
