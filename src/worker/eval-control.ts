// The random-patch control M+R as the worker builds it: the template whose
// length and row norms the control copies (the applied patch stack, or
// without one the recipe's number of virtual tokens at M's mean embedding row
// norm, what a random init would give), the control's rows from
// src/eval/random-control.ts, and its cache key. The key holds everything
// the control's numbers depend on besides M and the settings: the seed and
// the rows' norms (the control never sees the patch's directions), so a new
// patch of the same shape and scale reuses the cached M+R.
import { type RandomControlInfo, randomControl, rowNorms } from '../eval/random-control';
import type { EvalControlSource } from '../protocol/messages';
import { evalCacheKey } from './eval-cache';
import { fnv1a64 } from './eval-config-key';

export interface ControlTemplate {
  /** [n, hidden] row-major; only each row's norm is used. */
  rows: Float32Array;
  n: number;
  hidden: number;
  from: EvalControlSource['from'];
}

/** n rows of norm `norm`: the template when no patch is applied. */
export function embeddingScaleTemplate(n: number, hidden: number, norm: number): ControlTemplate {
  // Any direction will do: the control keeps only the norm.
  return {
    rows: new Float32Array(n * hidden).fill(norm / Math.sqrt(hidden)),
    n,
    hidden,
    from: 'embedding',
  };
}

/**
 * Hash of the template's row norms, each rounded to float32 (the precision
 * the rows are stored in), so the same patch always hashes the same.
 */
export function normsHash(t: ControlTemplate): string {
  const norms = rowNorms(t.rows, t.n, t.hidden).map((x) => Math.fround(x).toString());
  return fnv1a64(`${t.n}x${t.hidden}:${norms.join(',')}`);
}

/** M+R's cache key: M's fingerprint, the settings, the seed and the norms. */
export function controlCacheKey(
  modelFingerprint: string,
  configKey: string,
  seed: number,
  template: ControlTemplate,
): string {
  return `${evalCacheKey('control', modelFingerprint, configKey)}|seed=${seed}|norms=${normsHash(template)}`;
}

export interface BuiltControl {
  rows: Float32Array;
  info: RandomControlInfo;
  source: EvalControlSource;
}

export function buildControl(template: ControlTemplate, seed: number): BuiltControl {
  const c = randomControl(template.rows, template.n, template.hidden, seed);
  return {
    rows: c.rows,
    info: c.info,
    source: { from: template.from, normsHash: normsHash(template) },
  };
}
