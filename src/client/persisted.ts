// Every small setting the page remembers goes through one helper: a
// localStorage entry under `key`, stored as { version, value }. Reading an
// older entry runs `migrate` (as src/patch/migrations.ts does for patch
// files), so a stored shape can change without stranding users' settings;
// anything that cannot be read or migrated gives the fallback. Storage that
// is off or full only means the setting is not remembered.

/** The envelope written to storage. Entries written before versioning are read as version 0. */
interface Stored {
  version: number;
  value: unknown;
}

export interface Persisted<T> {
  readonly key: string;
  readonly version: number;
  /** The stored value, migrated to `version`; the fallback when absent, unreadable or unmigratable. */
  load(): T;
  save(value: T): void;
}

/**
 * `migrate(value, fromVersion)` turns an entry of an older version (0 = a
 * bare value from before versioning) into the current shape, or returns null
 * to drop it. It is also called with the current version, as the place to
 * validate what storage held.
 */
export function persisted<T>(
  key: string,
  version: number,
  migrate: (value: unknown, fromVersion: number) => T | null,
  fallback: () => T,
  storage: () => Storage | null = defaultStorage,
): Persisted<T> {
  return {
    key,
    version,
    load() {
      let raw: string | null;
      try {
        raw = storage()?.getItem(key) ?? null;
      } catch {
        return fallback();
      }
      if (raw === null) return fallback();
      try {
        const { version: from, value } = envelope(parseOrText(raw));
        if (from > version) return fallback(); // written by a newer build: leave it alone
        return migrate(value, from) ?? fallback();
      } catch {
        return fallback();
      }
    },
    save(value) {
      try {
        storage()?.setItem(key, JSON.stringify({ version, value } satisfies Stored));
      } catch {
        // Storage off or full: the setting applies for this session only.
      }
    },
  };
}

/** Before versioning some entries were bare text (the theme's "dark"): not JSON, so version 0 text. */
function parseOrText(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function envelope(parsed: unknown): Stored {
  if (
    parsed !== null &&
    typeof parsed === 'object' &&
    'version' in parsed &&
    'value' in parsed &&
    Number.isInteger((parsed as Stored).version)
  ) {
    return parsed as Stored;
  }
  return { version: 0, value: parsed };
}

function defaultStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // e.g. storage disabled for the site
  }
}
