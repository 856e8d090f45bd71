// Opening an IndexedDB database through its list of schema migrations, as
// the patch format has its named migrations (src/patch/migrations.ts): the
// database's version is the number of migrations, and upgrading from
// version v runs migrations[v], migrations[v + 1], … in the one upgrade
// transaction. A store changes its schema by appending a migration, never by
// editing one a user's browser has already run.
import {
  type DBSchema,
  type IDBPDatabase,
  type IDBPTransaction,
  openDB,
  type StoreNames,
} from 'idb';

/** One schema step: migrations[i] takes the database from version i to i + 1. */
export type IdbMigration<S extends DBSchema> = (
  db: IDBPDatabase<S>,
  tx: IDBPTransaction<S, StoreNames<S>[], 'versionchange'>,
) => void;

export function openVersioned<S extends DBSchema>(
  name: string,
  migrations: readonly IdbMigration<S>[],
): Promise<IDBPDatabase<S>> {
  if (migrations.length === 0) throw new Error(`Database ${name} needs at least one migration.`);
  return openDB<S>(name, migrations.length, {
    upgrade(db, oldVersion, _newVersion, tx) {
      for (let v = oldVersion; v < migrations.length; v++) migrations[v](db, tx);
    },
  });
}
