// The training pipeline's IndexedDB database: collected sets (the expensive
// generation step, cached) and the checkpoints of runs. One database, so one
// schema version covers both stores.
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { TrainerCheckpoint } from './checkpoint';
import type { CollectedSet } from './collected';

export interface CheckpointRecord {
  runId: string;
  step: number;
  /** ms since epoch. */
  savedAt: number;
  checkpoint: TrainerCheckpoint;
}

export interface TrainDb extends DBSchema {
  collected: { key: string; value: CollectedSet };
  checkpoints: {
    key: [string, number];
    value: CheckpointRecord;
    indexes: { byRun: string };
  };
}

export const TRAIN_DB_NAME = 'patch-lab-train';

export function openTrainDb(name = TRAIN_DB_NAME): Promise<IDBPDatabase<TrainDb>> {
  return openDB<TrainDb>(name, 1, {
    upgrade(db) {
      db.createObjectStore('collected', { keyPath: 'id' });
      const ck = db.createObjectStore('checkpoints', { keyPath: ['runId', 'step'] });
      ck.createIndex('byRun', 'runId');
    },
  });
}
