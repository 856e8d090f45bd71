// Generation speed with each KV-cache layout on the Node wasm backend:
// the fixed-length cache (generate's default), the growing (concatenated)
// cache it replaced, and no cache. Greedy, batch 1, random weights, after one
// warm-up run per layout; the tokens of all three must agree.
//   npm run node -- scripts/measure-kv-cache.ts [--models smollm2,demo] [--new 64]
// (WebGPU numbers come from e2e/engine-webgpu.spec.ts, which prints them.)
import { existsSync } from 'node:fs';
import { createSmolLM2ShapedModel } from '../src/bench/measure';
import { useBackend } from '../src/engine/backends';
import { generate } from '../src/engine/generate';
import { loadModel } from '../src/engine/load';
import { NodeDirectorySource } from '../src/engine/node-directory-source';
import { Rng } from '../src/engine/rng';
import type { CausalLM, GenerateOptions } from '../src/engine/types';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const ok = await useBackend('wasm');
  if (!ok.ok) throw new Error(ok.error);
  const newTokens = Number(flag('new', '64'));
  const lines = ['| model | layout | new tokens | tok/s |', '|---|---|---|---|'];
  for (const name of flag('models', 'smollm2,demo').split(',')) {
    let model: CausalLM;
    if (name === 'smollm2') model = createSmolLM2ShapedModel(1);
    else if (existsSync('public/models/demo-base/config.json'))
      model = (await loadModel(new NodeDirectorySource('public/models/demo-base'))).model;
    else {
      console.error(`[${name}] public/models/demo-base not found (npm run build:demo)`);
      continue;
    }
    const rng = new Rng(1);
    const prompt = [Array.from({ length: 16 }, () => 1 + rng.int(model.config.vocabSize - 1))];
    const greedy = { temperature: 0, topK: 0, topP: 1, seed: 0, stopTokenIds: [] as number[] };
    const layouts: [string, Partial<GenerateOptions>, number][] = [
      ['fixed', { cacheLayout: 'fixed' }, newTokens],
      ['growing', { cacheLayout: 'growing' }, newTokens],
      ['none', { useCache: false }, Math.min(newTokens, 16)],
    ];
    let reference: number[] | null = null;
    for (const [layout, opts, n] of layouts) {
      await generate(model, prompt, { ...greedy, ...opts, maxNewTokens: 2 });
      const t0 = performance.now();
      const [tokens] = await generate(model, prompt, { ...greedy, ...opts, maxNewTokens: n });
      const rate = n / ((performance.now() - t0) / 1000);
      reference ??= tokens;
      const same = tokens.every((t, i) => t === reference?.[i]);
      if (!same) throw new Error(`${name}: ${layout} generated other tokens than fixed`);
      lines.push(`| ${name} | ${layout} | ${n} | ${rate.toFixed(1)} |`);
      console.error(lines.at(-1));
    }
    model.dispose();
  }
  console.log(lines.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
