// Test helper: read a file from the shared benchmark folder (../shared/data,
// relative to the repository root where Vitest runs).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const SHARED_DATA = resolve(process.cwd(), '../shared/data');

export function sharedBytes(relPath: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(SHARED_DATA, relPath)));
}

export const utf8 = (s: string) => new TextEncoder().encode(s);
