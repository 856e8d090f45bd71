import { type BackendName, useBackend, wasmThreads } from '../engine/backends';
import type { DeviceReport } from '../protocol/device';
import type { BackendAttempt, BackendState } from '../protocol/messages';
import { chooseBackend } from './choose-backend';

/**
 * Starts the first backend of the plan that initialises, recording each
 * failure so the header can say "webgpu failed (…), using wasm".
 */
export async function startBackend(
  device: DeviceReport,
  override: BackendName | null,
): Promise<BackendState> {
  const plan = chooseBackend(device, override);
  const failed: BackendAttempt[] = [];
  for (const backend of plan.order) {
    const r = await useBackend(backend);
    if (r.ok) {
      const reason =
        failed.length === 0
          ? plan.reason
          : `${plan.reason} ${failed.map((f) => `${f.backend} failed to start (${f.error})`).join('; ')}; fell back to ${backend}.`;
      return { active: backend, reason, failed, override, threads: wasmThreads() };
    }
    failed.push({ backend, error: r.error ?? 'unknown error' });
  }
  throw new Error(
    `No TensorFlow.js backend could start: ${failed.map((f) => `${f.backend}: ${f.error}`).join('; ')}`,
  );
}
