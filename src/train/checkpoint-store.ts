// Trainer checkpoints in IndexedDB, several per run: a new checkpoint is
// written before older ones are pruned, so at every moment — including a
// crash in the middle of a save — at least one complete checkpoint of the run
// is on disk. The trainer only checkpoints state it has accepted (a
// NonFiniteError leaves the state untouched), so the newest is the last good one.
import type { IDBPDatabase } from 'idb';
import type { TrainerCheckpoint } from './checkpoint';
import { openTrainDb, type TrainDb } from './db';

export interface CheckpointInfo {
  runId: string;
  step: number;
  totalSteps: number;
  stage: 'sft' | 'dpo' | 'done';
  savedAt: number;
  dataId: string;
  baseModelId: string;
}

export class CheckpointStore {
  private constructor(private readonly db: IDBPDatabase<TrainDb>) {}

  static async open(name?: string): Promise<CheckpointStore> {
    return new CheckpointStore(await openTrainDb(name));
  }

  /** Saves `checkpoint` for `runId`, then keeps only the newest `keep` (≥ 1) of that run. */
  async save(runId: string, checkpoint: TrainerCheckpoint, keep = 2): Promise<void> {
    await this.db.put('checkpoints', {
      runId,
      step: checkpoint.step,
      savedAt: Date.now(),
      checkpoint,
    });
    const steps = await this.steps(runId);
    const stale = steps.slice(0, Math.max(0, steps.length - Math.max(1, keep)));
    const tx = this.db.transaction('checkpoints', 'readwrite');
    await Promise.all([...stale.map((s) => tx.store.delete([runId, s])), tx.done]);
  }

  /** The run's newest checkpoint (the last good state), or null. */
  async latest(runId: string): Promise<TrainerCheckpoint | null> {
    const steps = await this.steps(runId);
    if (steps.length === 0) return null;
    return this.load(runId, steps[steps.length - 1]);
  }

  async load(runId: string, step: number): Promise<TrainerCheckpoint | null> {
    return (await this.db.get('checkpoints', [runId, step]))?.checkpoint ?? null;
  }

  /** Every stored checkpoint (of one run, or all), newest first. */
  async list(runId?: string): Promise<CheckpointInfo[]> {
    const records = runId
      ? await this.db.getAllFromIndex('checkpoints', 'byRun', runId)
      : await this.db.getAll('checkpoints');
    return records
      .map((r) => {
        const c = r.checkpoint;
        const total = c.recipe.sftSteps + c.recipe.dpoSteps;
        return {
          runId: r.runId,
          step: r.step,
          totalSteps: total,
          stage: c.step < c.recipe.sftSteps ? 'sft' : c.step < total ? 'dpo' : 'done',
          savedAt: r.savedAt,
          dataId: c.dataId,
          baseModelId: c.baseModelId,
        } satisfies CheckpointInfo;
      })
      .sort((a, b) => b.savedAt - a.savedAt || b.step - a.step);
  }

  /** Deletes one checkpoint, or every checkpoint of the run when `step` is omitted. */
  async delete(runId: string, step?: number): Promise<void> {
    const steps = step === undefined ? await this.steps(runId) : [step];
    const tx = this.db.transaction('checkpoints', 'readwrite');
    await Promise.all([...steps.map((s) => tx.store.delete([runId, s])), tx.done]);
  }

  close(): void {
    this.db.close();
  }

  /** The run's stored steps, ascending. */
  private async steps(runId: string): Promise<number[]> {
    const keys = await this.db.getAllKeysFromIndex('checkpoints', 'byRun', runId);
    return keys.map((k) => k[1]).sort((a, b) => a - b);
  }
}
