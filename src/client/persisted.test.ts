import { describe, expect, it } from 'vitest';
import { persisted } from './persisted';

/** A Map-backed Storage, enough of the interface for persisted(). */
function memoryStorage(initial: Record<string, string> = {}): Storage {
  const m = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    clear: () => m.clear(),
    key: (i: number) => [...m.keys()][i] ?? null,
    get length() {
      return m.size;
    },
  };
}

interface Hub {
  host: string;
  enabled: boolean;
}

/** v0: a bare host string (before versioning); v1: { host, enabled }. */
const migrateHub = (value: unknown, from: number): Hub | null => {
  if (from === 0)
    return typeof value === 'string' && /^https?:\/\//.test(value)
      ? { host: value, enabled: true }
      : null;
  const v = value as Partial<Hub>;
  return typeof v?.host === 'string' && typeof v.enabled === 'boolean'
    ? { host: v.host, enabled: v.enabled }
    : null;
};
const fallback = (): Hub => ({ host: 'https://huggingface.co', enabled: true });

describe('persisted', () => {
  it('round-trips a value in a versioned envelope', () => {
    const storage = memoryStorage();
    const p = persisted('k', 1, migrateHub, fallback, () => storage);
    p.save({ host: 'https://hf-mirror.example', enabled: false });
    expect(JSON.parse(storage.getItem('k') ?? '')).toEqual({
      version: 1,
      value: { host: 'https://hf-mirror.example', enabled: false },
    });
    expect(p.load()).toEqual({ host: 'https://hf-mirror.example', enabled: false });
  });

  it('migrates an entry written before versioning (version 0)', () => {
    const storage = memoryStorage({ k: JSON.stringify('https://old.example') });
    const p = persisted('k', 1, migrateHub, fallback, () => storage);
    expect(p.load()).toEqual({ host: 'https://old.example', enabled: true });
  });

  it('hands an entry that is not JSON to migrate as version-0 text', () => {
    const storage = memoryStorage({ k: 'dark' });
    const seen: [unknown, number][] = [];
    const p = persisted(
      'k',
      1,
      (v, from) => {
        seen.push([v, from]);
        return v === 'dark' ? 'dark' : null;
      },
      () => 'light',
      () => storage,
    );
    expect(p.load()).toBe('dark');
    expect(seen).toEqual([['dark', 0]]);
  });

  it('falls back on a missing, corrupt, unmigratable or newer entry, and on blocked storage', () => {
    const cases: (Storage | null)[] = [
      memoryStorage(),
      memoryStorage({ k: '{not json' }),
      memoryStorage({ k: JSON.stringify({ version: 1, value: { host: 3 } }) }),
      memoryStorage({ k: JSON.stringify({ version: 2, value: { host: 'x', enabled: true } }) }),
      null,
    ];
    for (const storage of cases) {
      expect(persisted('k', 1, migrateHub, fallback, () => storage).load()).toEqual(fallback());
    }
    const throwing = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    const p = persisted('k', 1, migrateHub, fallback, throwing);
    expect(p.load()).toEqual(fallback());
    expect(() => p.save(fallback())).not.toThrow();
  });
});
