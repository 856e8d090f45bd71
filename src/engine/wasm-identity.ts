// tfjs's wasm backend implements Identity (what tf.clone runs) as a copy of
// the whole buffer, where the cpu, webgl and webgpu backends share the data
// under a reference count. The gradient tape clones every tensor it saves for
// the backward pass, so on wasm each training step copied every saved
// activation and, through the embedding lookup's gather, the whole
// [vocab, hidden] table (113 MB on SmolLM2-135M): memory the other backends
// never spend, and copying time. Tensors are immutable in tfjs and the wasm
// backend already shares data this way in Reshape, so Identity may too.
import { tf } from './tf';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

/** Replaces the wasm backend's copying Identity with a sharing one (call after it registers). */
export function shareWasmIdentity(): void {
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      (backend as unknown as RefCountingBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}
