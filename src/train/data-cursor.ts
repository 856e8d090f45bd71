// Where a stage is in its data: a shuffled order per epoch and a position in
// it. Plain numbers, so a checkpoint can store it and a resumed run draws the
// very same batches as an uninterrupted one.
import type { Rng } from '../engine/rng';

export interface DataCursor {
  /** Permutation of 0..size-1 for the current epoch. */
  order: number[];
  /** Next position in `order`. */
  index: number;
  /** Completed passes over the data. */
  epoch: number;
}

export function newCursor(size: number, rng: Rng): DataCursor {
  if (size < 1) throw new Error('a training stage needs at least one example');
  return { order: rng.shuffle(Array.from({ length: size }, (_, i) => i)), index: 0, epoch: 0 };
}

/**
 * The next `count` example indices and the cursor after them; the input
 * cursor is not modified. Crossing the end of an epoch reshuffles with `rng`
 * (which does advance) and continues in the new order, so every example is
 * seen once per epoch. A batch larger than the data repeats examples.
 */
export function takeBatch(
  cursor: DataCursor,
  count: number,
  rng: Rng,
): { indices: number[]; cursor: DataCursor } {
  let { order, index, epoch } = cursor;
  const indices: number[] = [];
  while (indices.length < count) {
    if (index >= order.length) {
      order = rng.shuffle(order.slice());
      index = 0;
      epoch++;
    }
    indices.push(order[index++]);
  }
  return { indices, cursor: { order: order.slice(), index, epoch } };
}
