import { useState } from 'react';
import { exportRunBundle } from '../../client/run-bundle';
import type { TrainRecipe } from '../../train/recipe';
import { saveFile } from '../download';
import { errorText } from '../error-text';
import { useLab, useLabClient } from '../lab-context';

/**
 * "Export run bundle": the collected pairs, this recipe, the models and the
 * evaluation's held-out sets as a zip for PyTorch + PEFT on a GPU cluster
 * (train_patch.py under accelerate; docs/SCALE_OUT.md). The adapter it
 * trains comes back through the Patches panel's import.
 */
export function ExportBundleButton({
  recipe,
  collectedId,
  name,
}: {
  recipe: TrainRecipe | null;
  collectedId: string | null;
  name: string;
}) {
  const client = useLabClient();
  const evalConfig = useLab((s) => s.evaluation.config);
  const ready = useLab((s) => !!s.models.loaded.base && !!s.models.loaded.reference);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const why = !ready
    ? 'Load M and M′ first.'
    : !collectedId
      ? 'Collect pairs first.'
      : !recipe
        ? 'Fix the recipe first.'
        : null;

  async function run() {
    if (!recipe || !collectedId) return;
    setBusy(true);
    setError(null);
    try {
      saveFile(await exportRunBundle(client, { collectedId, recipe, name, evalConfig }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="train-row">
      <button
        type="button"
        className="ghost"
        onClick={run}
        disabled={busy || why !== null}
        title={why ?? 'A zip to train this recipe with PyTorch + PEFT on a GPU cluster'}
        data-testid="train-export-bundle"
      >
        {busy ? 'Writing bundle…' : 'Export run bundle (PyTorch + PEFT)'}
      </button>
      {why && <span className="train-small">{why}</span>}
      {error && (
        <span className="train-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
