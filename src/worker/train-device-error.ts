// Tells a failing accelerator from a bug. tfjs and WebGPU report running out
// of memory and losing the device only in their message text, and the words
// differ by backend and browser, so the patterns below are the ones seen in
// practice (tfjs-backend-webgpu, Chromium's Dawn, wasm's allocator, webgl).

export type DeviceFailure = 'out-of-memory' | 'device-lost';

const OUT_OF_MEMORY = [
  /out of memory/i,
  /\boom\b/i,
  /failed to allocate/i,
  /allocation failed/i,
  /cannot allocate/i,
  /requested texture size .* greater than/i,
  /array buffer allocation failed/i,
  /cannot enlarge memory/i,
  /exceeds the max(imum)? (buffer|storage)/i,
];

const DEVICE_LOST = [
  /device (was )?lost/i,
  /gpudevice was lost/i,
  /context lost/i,
  /device is lost/i,
];

/** The kind of accelerator failure an error reports, or null when it is something else. */
export function classifyDeviceError(e: unknown): DeviceFailure | null {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  if (DEVICE_LOST.some((re) => re.test(text))) return 'device-lost';
  if (e instanceof RangeError && /allocation|memory|buffer/i.test(text)) return 'out-of-memory';
  if (OUT_OF_MEMORY.some((re) => re.test(text))) return 'out-of-memory';
  return null;
}

/** One plain sentence for the user about a device failure. */
export function describeDeviceFailure(kind: DeviceFailure, batchSize: number): string {
  return kind === 'out-of-memory'
    ? `The device ran out of memory during a training step (batch size ${batchSize}). The last checkpoint is safe.`
    : 'The GPU device was lost (driver reset, tab in background or another app took the GPU). The last checkpoint is safe.';
}
