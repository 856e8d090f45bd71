// A [vocab, hidden] table indexed by vocabulary row — the token embedding and
// the lm_head (the same tensor when tied) — held in parts of at most
// `rowsPerPart` rows when one buffer would break the device's limits.
//
// Why: tfjs-backend-webgpu binds each tensor as one storage buffer, and a
// buffer beyond the adapter's maxStorageBufferBindingSize gives silently
// wrong results (or a validation error); a dispatch beyond
// maxComputeWorkgroupsPerDimension (65,535) is refused. A part of at most
// that many rows cannot need more workgroups along its row axis, even at one
// row per workgroup. Lookups and head products run per part and are joined;
// the joins are exact (a lookup adds zeros from the parts that do not hold a
// token; the head concatenates columns), so the numbers are the unsplit
// ones. On wasm and cpu there is no such limit and nothing is split.
import { embedLookup } from './embedding';
import { Linear } from './linear';
import { frozenMatMul, isTrainable, matMul } from './matmul';
import type { HeadProducts } from './target-log-probs';
import { tf } from './tf';

/** Limits a table part must respect. Infinity = no limit. */
export interface VocabPartLimits {
  /** Bytes one part (and one joined logits tensor) may take. */
  maxBytes: number;
  /** Rows one part may have (the per-dimension dispatch limit). */
  maxRows: number;
}

export const NO_PART_LIMITS: VocabPartLimits = { maxBytes: Infinity, maxRows: Infinity };

interface WebGpuDeviceLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxComputeWorkgroupsPerDimension: number;
}

/**
 * The limits of the device tfjs runs on now: on webgpu those the backend's
 * GPUDevice was created with (tfjs asks for the adapter's maxima), elsewhere
 * none.
 */
export function currentPartLimits(): VocabPartLimits {
  if (tf.getBackend() !== 'webgpu') return NO_PART_LIMITS;
  const limits = (tf.backend() as unknown as { device?: { limits?: WebGpuDeviceLimits } }).device
    ?.limits;
  if (!limits) return NO_PART_LIMITS;
  return {
    maxBytes: Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize),
    maxRows: limits.maxComputeWorkgroupsPerDimension,
  };
}

/** Rows per part for a [vocab, hidden] float32 table under `limits` (vocab = no split). */
export function rowsPerPart(vocab: number, hidden: number, limits: VocabPartLimits): number {
  const byBytes = Math.floor(limits.maxBytes / (hidden * 4));
  if (byBytes < 1) {
    throw new Error(
      `one table row of ${hidden} float32 values (${hidden * 4} bytes) exceeds the device's ${limits.maxBytes}-byte buffer limit`,
    );
  }
  return Math.min(vocab, byBytes, limits.maxRows);
}

/** The product x [..., hidden] -> logits [..., vocab]; a Linear or a split table. */
export interface VocabHead {
  apply<T extends tf.Tensor>(x: T): T;
  /** Its two products without a tape (target-log-probs.ts); null when the weights are trainable. */
  products(): HeadProducts | null;
  dispose(): void;
}

/**
 * On webgpu, a tensor made from host data stays on the host until a kernel
 * first reads it (tfjs uploads lazily), so a table fresh from the loader can
 * be split there without ever taking one GPU buffer. Reads tfjs's backend
 * record, because tfjs has no public "is it on the host" query.
 */
function hostValues(t: tf.Tensor2D): Float32Array | null {
  if (t.dtype !== 'float32') return null;
  if (tf.getBackend() === 'webgpu') {
    const record = (
      tf.backend() as unknown as { tensorMap?: { get(id: object): { values?: unknown } } }
    ).tensorMap?.get(t.dataId);
    if (!(record?.values instanceof Float32Array)) return null;
  }
  // cpu/wasm: a synchronous read is a copy within host memory; webgpu: the host values above.
  return t.dataSync() as Float32Array;
}

export class VocabTable {
  private joined: tf.Tensor2D | null = null;

  private constructor(
    /** The table as given: unsplit, or the trainable Variable the parts are sliced from per call. */
    private readonly source: tf.Tensor2D | null,
    /** Frozen parts this object owns, in row order; empty when unsplit or trainable. */
    private readonly parts: tf.Tensor2D[],
    readonly vocab: number,
    readonly hidden: number,
    readonly rowsPerPart: number,
    private readonly limits: VocabPartLimits,
  ) {}

  /**
   * Over a [vocab, hidden] table. When it needs no split, the table is used
   * as given (not copied, not owned). A frozen table that needs one is cut
   * into owned parts and the original disposed, so one copy stays resident; a
   * trainable one (a tf.Variable) stays whole and is sliced per call so
   * gradients reach the Variable itself.
   */
  static create(table: tf.Tensor2D, limits: VocabPartLimits): VocabTable {
    const [vocab, hidden] = table.shape;
    const rows = rowsPerPart(vocab, hidden, limits);
    if (rows >= vocab || isTrainable(table)) {
      return new VocabTable(table, [], vocab, hidden, rows, limits);
    }
    const host = hostValues(table);
    const parts: tf.Tensor2D[] = [];
    for (let start = 0; start < vocab; start += rows) {
      const n = Math.min(rows, vocab - start);
      parts.push(
        host
          ? tf.tensor2d(host.subarray(start * hidden, (start + n) * hidden), [n, hidden])
          : (tf.slice(table, [start, 0], [n, hidden]) as tf.Tensor2D),
      );
    }
    table.dispose();
    return new VocabTable(null, parts, vocab, hidden, rows, limits);
  }

  get partCount(): number {
    return Math.ceil(this.vocab / this.rowsPerPart);
  }

  /** The parts with their first row; sliced from a trainable source (call inside a tidy). */
  private rowParts(): { start: number; t: tf.Tensor2D }[] {
    if (this.parts.length > 0) {
      return this.parts.map((t, i) => ({ start: i * this.rowsPerPart, t }));
    }
    const src = this.source as tf.Tensor2D;
    const out: { start: number; t: tf.Tensor2D }[] = [];
    for (let start = 0; start < this.vocab; start += this.rowsPerPart) {
      const n = Math.min(this.rowsPerPart, this.vocab - start);
      out.push({ start, t: tf.slice(src, [start, 0], [n, this.hidden]) as tf.Tensor2D });
    }
    return out;
  }

  /** Token ids [batch, seq] -> rows [batch, seq, hidden]. */
  lookup(ids: tf.Tensor2D): tf.Tensor3D {
    if (this.partCount === 1) return embedLookup(this.source as tf.Tensor2D, ids);
    return tf.tidy(() => {
      const [b, s] = ids.shape;
      const flat = tf.cast(ids, 'int32').reshape([-1]) as tf.Tensor1D;
      const pieces = this.rowParts().map(({ start, t }) => {
        const local = tf.sub(flat, tf.scalar(start, 'int32')) as tf.Tensor1D;
        const n = t.shape[0];
        if (isTrainable(this.source as tf.Tensor)) {
          // oneHot gives an all-zero row for an index outside 0..depth-1, so
          // other parts' tokens add nothing; its depth must be >= 2, so a
          // one-row part takes the first column of a depth-2 encoding.
          const hot = tf.oneHot(local, Math.max(n, 2)).toFloat();
          const cols = n === 1 ? tf.slice(hot, [0, 0], [-1, 1]) : hot;
          return matMul(cols as tf.Tensor2D, t);
        }
        const inPart = tf.logicalAnd(tf.greaterEqual(local, 0), tf.less(local, n));
        // where, not clipByValue: the wasm backend clips an int32 tensor as floats.
        const rows = tf.gather(t, tf.where(inPart, local, tf.zerosLike(local)));
        return tf.mul(rows, tf.cast(inPart, 'float32').expandDims(1));
      });
      return tf.addN(pieces).reshape([b, s, this.hidden]) as tf.Tensor3D;
    });
  }

  /**
   * The head over this table (logits = x · tableᵀ). Unsplit: the same
   * Linear a tied head has always used. Split: one product per part, joined
   * along the vocabulary; the joined logits are one tensor, so they must fit
   * the same byte limit (fewer positions at a time otherwise).
   */
  asHead(): VocabHead {
    if (this.partCount === 1) return Linear.sharedOutIn(this.source as tf.Tensor2D);
    return {
      apply: <T extends tf.Tensor>(x: T): T => {
        const lead = x.shape.slice(0, -1);
        const m = lead.reduce((a, c) => a * c, 1);
        if (m * this.vocab * 4 > this.limits.maxBytes) {
          throw new Error(
            `logits for ${m} positions × ${this.vocab} tokens (${m * this.vocab * 4} bytes) exceed the device's ${this.limits.maxBytes}-byte buffer limit: score fewer positions at a time`,
          );
        }
        return tf.tidy(() => {
          const x2 = x.reshape([m, this.hidden]) as tf.Tensor2D;
          const trainable = isTrainable(this.source as tf.Tensor);
          const cols = this.rowParts().map(({ t }) =>
            trainable ? matMul(x2, tf.transpose(t)) : frozenMatMul(x2, t, 'outIn'),
          );
          return tf.concat(cols, 1).reshape([...lead, this.vocab]) as T;
        });
      },
      products: () => (isTrainable(this.source as tf.Tensor) ? null : this.splitProducts()),
      dispose: () => {},
    };
  }

  /** A split frozen table's head products: per part, joined along the vocabulary. */
  private splitProducts(): HeadProducts {
    const parts = this.rowParts();
    return {
      vocab: this.vocab,
      maxBlockBytes: this.limits.maxBytes,
      logits: (x) => {
        const m = x.shape[0];
        if (m * this.vocab * 4 > this.limits.maxBytes) {
          throw new Error(
            `logits for ${m} positions × ${this.vocab} tokens exceed the device's ${this.limits.maxBytes}-byte buffer limit`,
          );
        }
        return tf.tidy(
          () =>
            tf.concat(
              parts.map(({ t }) => tf.transpose(tf.matMul(t, tf.transpose(x)))),
              1,
            ) as tf.Tensor2D,
        );
      },
      targetRows: (targets) =>
        tf.tidy(() =>
          this.lookup(tf.tensor2d(targets, [1, targets.length], 'int32')).reshape([
            targets.length,
            this.hidden,
          ]),
        ) as tf.Tensor2D,
      inputGrad: (g) =>
        tf.tidy(
          () =>
            tf.addN(
              parts.map(({ start, t }) =>
                tf.matMul(tf.slice(g, [0, start], [-1, t.shape[0]]) as tf.Tensor2D, t),
              ),
            ) as tf.Tensor2D,
        ),
    };
  }

  /**
   * The whole table as one tensor (for callers that read it whole: patch
   * initialisation, statistics). Split: joined once on first call and kept;
   * that join needs one buffer of the full size again, which is what the
   * split avoids, so on a device where the table is over the limit such
   * callers need the parts instead.
   */
  matrix(): tf.Tensor2D {
    if (this.source) return this.source;
    this.joined ??= tf.concat(this.parts, 0) as tf.Tensor2D;
    return this.joined;
  }

  dispose(): void {
    tf.dispose(this.parts);
    this.joined?.dispose();
  }
}

/**
 * The lm_head of an untied model from its HF [vocab, hidden] weight: a
 * Linear (transposed once to [hidden, vocab]) when it fits, else a split
 * table used in the [out, in] layout it came in (cutting rows needs no
 * transpose).
 */
export function untiedHead(weight: tf.Tensor2D, limits: VocabPartLimits): VocabHead {
  const [vocab, hidden] = weight.shape;
  if (rowsPerPart(vocab, hidden, limits) >= vocab) return Linear.fromOutIn(weight);
  const table = VocabTable.create(weight, limits);
  const head = table.asHead();
  return {
    apply: (x) => head.apply(x),
    products: () => head.products(),
    dispose: () => table.dispose(),
  };
}
