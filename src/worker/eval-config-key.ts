// A short, stable key for an evaluation config: two results are comparable
// (same prompts, samples, sampling and scorer) exactly when their keys match.
// Custom sets enter with their full content, so editing an imported set gives
// a new key instead of a stale cached result. `duringTraining` only says when
// to evaluate, not how, so it is left out; so is `control` (the control's
// seed): it changes only M+R, whose cache key adds it (eval-control.ts), so
// M, M′ and M+P stay comparable and cached across seeds.
import type { EvalConfig } from '../protocol/messages';

/** JSON with object keys sorted, so key order never changes the hash. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/** 64-bit FNV-1a as 16 hex digits: plenty against accidental collisions, no crypto needed. */
export function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * prime) & mask;
  }
  return h.toString(16).padStart(16, '0');
}

export function evalConfigKey(config: EvalConfig): string {
  const { duringTraining: _when, control: _control, ...how } = config;
  return fnv1a64(stableStringify(how));
}
