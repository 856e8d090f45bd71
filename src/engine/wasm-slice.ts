// tfjs-backend-wasm's Slice reads its input with backend.readSync, which
// copies the input's whole buffer out of the wasm heap (HEAPU8.slice) before
// copying the slice, and SplitV calls that Slice once per part: splitting a
// tensor into k parts copied it k + 1 times. batchMatMul (matmul.ts) splits
// every attention product into its 2D matrices, so at batch 4 on SmolLM2-135M
// (12 parts of 4.5 MB) SplitV took a fifth of a training step. These kernels
// read the input in place through a heap view instead, so a slice copies only
// its own elements.
import { tf } from './tf';

interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** The element types whose buffers live in the heap (strings do not). */
const HEAP_DTYPES = new Set(['float32', 'int32', 'bool']);

function sliceInPlace(
  x: tf.TensorInfo,
  begin: number[],
  size: number[],
  backend: WasmBackend,
): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  const n = size.reduce((a, b) => a * b, 1);
  if (n === 0) return out;
  // Views only after makeOutput: its allocation may grow the heap, which
  // detaches views taken before.
  const xv = backend.typedArrayFromHeap(x);
  const ov = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = new Array<number>(rank);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) {
    strides[d] = s;
    s *= x.shape[d];
  }
  // The innermost run that is contiguous in both: trailing axes taken whole.
  let inner = rank - 1;
  let run = size[rank - 1];
  while (inner > 0 && size[inner] === x.shape[inner] && begin[inner] === 0) {
    inner--;
    run *= size[inner];
  }
  // Odometer over the axes before `inner`, `run` elements per step along it.
  const idx = new Array<number>(inner).fill(0);
  let o = 0;
  for (;;) {
    let off = begin[inner] * strides[inner];
    for (let d = 0; d < inner; d++) off += (begin[d] + idx[d]) * strides[d];
    ov.set(xv.subarray(off, off + run), o);
    o += run;
    let d = inner - 1;
    while (d >= 0 && ++idx[d] === size[d]) idx[d--] = 0;
    if (d < 0) break;
  }
  return out;
}

/** Replaces the wasm backend's Slice and SplitV with in-place readers (call after it registers). */
export function sliceWasmInPlace(): void {
  const slice = tf.getKernel('Slice', 'wasm');
  const split = tf.getKernel('SplitV', 'wasm');
  if (!slice || !split) throw new Error('sliceWasmInPlace: the wasm backend is not registered');
  tf.unregisterKernel('Slice', 'wasm');
  tf.registerKernel({
    kernelName: 'Slice',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (!HEAP_DTYPES.has(x.dtype) || x.shape.length === 0) return slice.kernelFunc(args);
      const { begin, size } = args.attrs as unknown as {
        begin: number | number[];
        size?: number | number[];
      };
      const [b, sz] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
      return sliceInPlace(x, b, sz, args.backend as unknown as WasmBackend);
    },
  });
  tf.unregisterKernel('SplitV', 'wasm');
  tf.registerKernel({
    kernelName: 'SplitV',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (!HEAP_DTYPES.has(x.dtype) || x.shape.length === 0) return split.kernelFunc(args);
      const { numOrSizeSplits, axis } = args.attrs as unknown as {
        numOrSizeSplits: number | number[];
        axis: number;
      };
      const ax = tf.util.parseAxisParam(axis, x.shape)[0];
      const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, ax);
      const begin = new Array<number>(x.shape.length).fill(0);
      return sizes.map((part) => {
        const size = [...x.shape];
        size[ax] = part;
        const out = sliceInPlace(x, [...begin], size, args.backend as unknown as WasmBackend);
        begin[ax] += part;
        return out;
      });
    },
  });
}
