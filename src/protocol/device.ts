// What the worker reports about the machine and its backends: plain data
// that crosses postMessage and is shown in the page's header.
import type { BackendName } from '../engine/backend-names';

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A fallback adapter is a software implementation (e.g. SwiftShader on the CPU). */
  isFallbackAdapter: boolean;
  shaderF16: boolean;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

export interface DeviceReport {
  /** null when the browser has no WebGPU or no adapter. */
  adapter: AdapterInfo | null;
  /** Why there is no adapter, in words. */
  adapterProblem: string | null;
  userAgent: string;
  hardwareConcurrency: number;
}

/** Output of one fixed tiny computation and its gradients, as plain numbers. */
export interface SelftestValues {
  loss: number;
  gradX: number[];
  gradW: number[];
}

export interface SelftestResult {
  backend: BackendName;
  ok: boolean;
  /** Largest absolute difference from the cpu backend over loss and all gradients. */
  maxAbsDiff: number | null;
  values: SelftestValues | null;
  error: string | null;
  ms: number;
}
