// Imported prompt sets survive reloads in IndexedDB, one record per imported
// file. Why IndexedDB and not localStorage: a full benchmark (RealToxicity-
// Prompts has ~100k prompts, ~20 MB as JSON) is far past localStorage's ~5 MB
// quota, and localStorage's synchronous writes would freeze the page.
import type { DBSchema, IDBPDatabase } from 'idb';
import type { StoredPairSet, StoredPromptSet } from '../state/slices/data';
import { openVersioned } from '../storage/idb';

export interface SavedImport {
  fileId: string;
  sets: StoredPromptSet[];
  pairSets: StoredPairSet[];
  savedAt: number;
}

interface DataDb extends DBSchema {
  imports: { key: string; value: SavedImport };
}

const DB_NAME = 'patch-lab-data';

export class ImportedSetsDb {
  private constructor(private readonly db: IDBPDatabase<DataDb>) {}

  static async open(name = DB_NAME): Promise<ImportedSetsDb> {
    const db = await openVersioned<DataDb>(name, [
      // v1
      (d) => {
        d.createObjectStore('imports', { keyPath: 'fileId' });
      },
    ]);
    return new ImportedSetsDb(db);
  }

  async all(): Promise<SavedImport[]> {
    const rows = await this.db.getAll('imports');
    return rows.sort((a, b) => a.savedAt - b.savedAt);
  }

  async put(record: SavedImport): Promise<void> {
    await this.db.put('imports', record);
  }

  async delete(fileId: string): Promise<void> {
    await this.db.delete('imports', fileId);
  }

  close(): void {
    this.db.close();
  }
}
