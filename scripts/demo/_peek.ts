import { useBackend } from '../../src/engine/backends';
import { loadDemo } from './load-demo';
import { answer, evalSet } from './measure';

await useBackend('wasm');
const m = await loadDemo(process.argv[2] ?? 'demo-base');
for (const k of ['toxicity', 'harmful', 'safe', 'bias'] as const) {
  for (const it of evalSet(k).items.slice(0, 6))
    console.log(k, '|', it.prompt, '->', JSON.stringify(answer(m, it, null, 40)));
}
