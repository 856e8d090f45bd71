// Resumable training checkpoints in IndexedDB: one slot per run, overwritten
// as the run goes, so a reload or a crash loses at most checkpointEvery
// updates. Each save is one IndexedDB transaction, so a save that fails (or
// a tab that dies mid-save) leaves the previous, last good checkpoint whole;
// the trainer only hands out states it accepted. The slot keeps the chart
// points too, so a resumed run's charts start where they stopped. TrainerCheckpoint is structured-clone safe, so it
// is stored as it is (Float32Arrays included).
import type { DBSchema, IDBPDatabase } from 'idb';
import type { TrainCheckpointInfo, TrainStepPoint } from '../protocol/messages';
import { openVersioned } from '../storage/idb';
import type { TrainerCheckpoint } from '../train/checkpoint';
import type { CheckpointSink } from './train-loop';

interface CheckpointRecord {
  id: string;
  checkpoint: TrainerCheckpoint;
  points: TrainStepPoint[];
  /** ms since epoch, for newest-first listing. */
  savedAt: number;
}

interface CheckpointDb extends DBSchema {
  checkpoints: { key: string; value: CheckpointRecord };
}

export class TrainCheckpointStore implements CheckpointSink {
  private constructor(private readonly db: IDBPDatabase<CheckpointDb>) {}

  static async open(name = 'patch-lab-train-checkpoints'): Promise<TrainCheckpointStore> {
    const db = await openVersioned<CheckpointDb>(name, [
      // v1
      (d) => {
        d.createObjectStore('checkpoints', { keyPath: 'id' });
      },
    ]);
    return new TrainCheckpointStore(db);
  }

  async save(id: string, checkpoint: TrainerCheckpoint, points: TrainStepPoint[]): Promise<void> {
    await this.db.put('checkpoints', { id, checkpoint, points, savedAt: Date.now() });
  }

  async load(
    id: string,
  ): Promise<{ checkpoint: TrainerCheckpoint; points: TrainStepPoint[] } | null> {
    const r = await this.db.get('checkpoints', id);
    return r ? { checkpoint: r.checkpoint, points: r.points } : null;
  }

  /**
   * Checkpoints of runs that have not finished, newest first; `hasPairs`
   * says whether a run's collected set is still stored.
   */
  async listUnfinished(
    hasPairs: (dataId: string) => Promise<boolean> = async () => true,
  ): Promise<TrainCheckpointInfo[]> {
    const all = await this.db.getAll('checkpoints');
    const unfinished = all
      .filter(
        (r) => r.checkpoint.step < r.checkpoint.recipe.sftSteps + r.checkpoint.recipe.dpoSteps,
      )
      .sort((a, b) => b.savedAt - a.savedAt);
    return Promise.all(
      unfinished.map(async (r) => describeCheckpoint(r, await hasPairs(r.checkpoint.dataId))),
    );
  }

  async delete(id: string): Promise<void> {
    await this.db.delete('checkpoints', id);
  }

  close(): void {
    this.db.close();
  }
}

function describeCheckpoint(r: CheckpointRecord, pairsStored: boolean): TrainCheckpointInfo {
  const c = r.checkpoint;
  const total = c.recipe.sftSteps + c.recipe.dpoSteps;
  return {
    id: r.id,
    step: c.step,
    totalSteps: total,
    stage: c.step < c.recipe.sftSteps ? 'sft' : c.step < total ? 'dpo' : 'done',
    savedAt: c.savedAt,
    baseModelId: c.baseModelId,
    dataId: c.dataId,
    recipe: c.recipe,
    points: r.points,
    pairsStored,
  };
}
