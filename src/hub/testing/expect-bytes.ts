import { expect } from 'vitest';
import type { FileProgress } from '../../engine/types';

/** Byte equality without vitest's element-by-element diff, which takes seconds on megabytes. */
export function expectSameBytes(actual: Uint8Array | null, expected: Uint8Array): void {
  expect(actual).toBeInstanceOf(Uint8Array);
  expect(actual!.byteLength).toBe(expected.byteLength);
  expect(Buffer.from(actual!).equals(Buffer.from(expected))).toBe(true);
}

/** Progress starts at 0, never goes back, and ends with loaded = total = the file's size. */
export function expectMonotoneProgress(events: FileProgress[], file: string, size: number): void {
  expect(events.length).toBeGreaterThanOrEqual(2);
  for (const e of events) expect(e.file).toBe(file);
  for (let i = 1; i < events.length; i++) {
    expect(events[i].loaded).toBeGreaterThanOrEqual(events[i - 1].loaded);
  }
  expect(events[0].loaded).toBe(0);
  expect(events.at(-1)).toEqual({ file, loaded: size, total: size });
}
