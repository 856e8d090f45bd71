// The engine half of scripts/device/webgpu-bench.sh, bundled by
// webgpu-bench-prepare.sh into one file for a machine with no Node project:
// SmolLM2-135M-shaped prefix training (batch 1 and 4 × (128 + 50)), KV-cache
// generation and a 1024² matmul on tfjs-backend-webgpu over Dawn (the npm
// `webgpu` package), the same workloads as `npm run bench`
// (src/bench/measure.ts), so torch_anchor.py --device cuda can run beside it.
//   node bench.mjs <webgpu package dir> [--reps N] [--batches 1,4]
// Prints one JSON object per finished row on stdout (lines starting "ROW "),
// so a run cut short by its time limit still leaves what it measured.
import {
  benchModel,
  createSmolLM2ShapedModel,
  FULL,
  matmulGflops,
  SMOLLM2_WASM,
} from '../../../src/bench/measure';
import { useBackend } from '../../../src/engine/backends';
import { tf } from '../../../src/engine/tf';
import { describeAdapter, installNodeWebGPU } from '../../bench/node-webgpu';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function row(r: Record<string, unknown>): void {
  console.log(`ROW ${JSON.stringify(r)}`);
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  const reps = Number(flag('reps', '3'));
  const batches = flag('batches', '1,4').split(',').map(Number);
  const installed = await installNodeWebGPU(dir);
  if (!installed.ok) throw new Error(installed.error);
  const adapter = await describeAdapter();
  const ok = await useBackend('webgpu');
  row({ kind: 'setup', node: process.version, adapter, backend: tf.getBackend(), ...ok });
  if (!ok.ok) process.exit(1);
  const mm = await matmulGflops(3);
  row({ kind: 'matmul', ...mm });
  for (const batch of batches) {
    const model = createSmolLM2ShapedModel(1);
    const workload = batch === 1 ? SMOLLM2_WASM : { ...FULL, batch, label: `batch ${batch}` };
    try {
      const r = await benchModel(
        model,
        workload,
        reps,
        (phase) => console.error(`[webgpu] smollm2 batch ${batch}: ${phase}`),
        { generation: batch === 1 },
      );
      row({ kind: 'model', model: 'smollm2', batch, ...r });
    } catch (e) {
      row({
        kind: 'model',
        model: 'smollm2',
        batch,
        error: e instanceof Error ? e.message : String(e),
      });
    } finally {
      model.dispose();
    }
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
