// The engine half of scripts/device/webgpu-bench.sh, bundled by
// webgpu-bench-prepare.sh into one file for a machine with no Node project:
// SmolLM2-135M-shaped prefix training (batch 1 and 4 × (128 + 50)), KV-cache
// generation and a 1024² matmul on tfjs-backend-webgpu over Dawn (the npm
// `webgpu` package), the same workloads as `npm run bench`
// (src/bench/measure.ts), so torch_anchor.py --device cuda can run beside it.
//   node bench.mjs <webgpu package dir> [--reps N] [--batches 1,4] [--smoke]
// --smoke: a 2-layer Llama (hidden 64, vocab 512) on a reduced workload, to
// check the whole pipeline on a software adapter; its numbers mean nothing.
// Prints one JSON object per finished row on stdout (lines starting "ROW "),
// so a run cut short by its time limit still leaves what it measured.
import {
  benchModel,
  createSmolLM2ShapedModel,
  FULL,
  matmulGflops,
  REDUCED,
  SMOLLM2_WASM,
} from '../../../src/bench/measure';
import { useBackend } from '../../../src/engine/backends';
import { parseModelConfig } from '../../../src/engine/config';
import { createLlamaModel, initRandomLlamaWeights } from '../../../src/engine/llama';
import { tf } from '../../../src/engine/tf';
import { describeAdapter, installNodeWebGPU } from '../../bench/node-webgpu';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function row(r: Record<string, unknown>): void {
  console.log(`ROW ${JSON.stringify(r)}`);
}

/** Matches SMOKE_CFG in webgpu-bench.sh. */
function smokeModel() {
  const cfg = parseModelConfig({
    model_type: 'llama',
    vocab_size: 512,
    hidden_size: 64,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    intermediate_size: 128,
    max_position_embeddings: 256,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    tie_word_embeddings: true,
    bos_token_id: 0,
    eos_token_id: 0,
  });
  return createLlamaModel(cfg, initRandomLlamaWeights(cfg, 1));
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  const reps = Number(flag('reps', '3'));
  const batches = flag('batches', '1,4').split(',').map(Number);
  const smoke = process.argv.includes('--smoke');
  const installed = await installNodeWebGPU(dir);
  if (!installed.ok) throw new Error(installed.error);
  const adapter = await describeAdapter();
  const ok = await useBackend('webgpu');
  row({ kind: 'setup', node: process.version, adapter, backend: tf.getBackend(), ...ok });
  if (!ok.ok) process.exit(1);
  const mm = await matmulGflops(smoke ? 0.1 : 3, smoke ? 128 : 1024);
  row({ kind: 'matmul', ...mm });
  for (const batch of batches) {
    const model = smoke ? smokeModel() : createSmolLM2ShapedModel(1);
    const workload = smoke
      ? { ...REDUCED, batch, label: `smoke batch ${batch}` }
      : batch === 1
        ? SMOLLM2_WASM
        : { ...FULL, batch, label: `batch ${batch}` };
    try {
      const r = await benchModel(
        model,
        workload,
        reps,
        (phase) => console.error(`[webgpu] smollm2 batch ${batch}: ${phase}`),
        { generation: batch === 1 },
      );
      row({ kind: 'model', model: smoke ? 'smoke' : 'smollm2', batch, ...r });
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
