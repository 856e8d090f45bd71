// The lab half of the round trip's last step: import the adapter that
// train_patch.py trained on the GPU (scripts/device/peft-roundtrip.sh's OUT
// folder) as the Patches panel does, check that patch_lab.json restored its
// manifest, and compare the engine's patched logits with PyTorch+PEFT's
// (trained-logits.json) to 1e-4. Prints JSON; exits 1 on a mismatch.
//   npm run node -- scripts/peft/check-trained-adapter.ts OUT_DIR [--fixture DIR]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '../../src/engine/backends';
import { importPeftAdapter } from '../../src/patch/peft';
import { type LabLogits, labLogits } from './lab-logits';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const out = process.argv[2];
const fi = process.argv.indexOf('--fixture');
const fixture = fi > 0 ? process.argv[fi + 1] : join(ROOT, '../shared/fixtures/hf-gpt2-random');

async function main() {
  if (!out) throw new Error('usage: check-trained-adapter.ts OUT_DIR [--fixture DIR]');
  const ready = await useBackend('cpu');
  if (!ready.ok) throw new Error(ready.error);
  const dir = join(out, 'trained-adapter');
  const files = readdirSync(dir).map((name) => ({
    path: `trained-adapter/${name}`,
    bytes: new Uint8Array(readFileSync(join(dir, name))),
  }));
  const { patch, notes } = await importPeftAdapter(files, { sourceName: 'trained-adapter' });
  const torch: LabLogits = JSON.parse(readFileSync(join(out, 'trained-logits.json'), 'utf8'));
  const lab = await labLogits(
    fixture,
    { rows: patch.embeddings, n: patch.nVirtual },
    torch.probes.map((p) => p.ids),
  );
  let worst = 0;
  for (const [i, p] of lab.probes.entries()) {
    const t = torch.probes[i];
    for (const [pos, row] of p.logits.entries()) {
      for (const [k, x] of row.entries()) worst = Math.max(worst, Math.abs(x - t.logits[pos][k]));
    }
    for (const [pos, x] of p.logsumexp.entries()) {
      worst = Math.max(worst, Math.abs(x - t.logsumexp[pos]));
    }
  }
  const result = {
    trainedWith: patch.manifest.trainedWith ?? null,
    recipe: patch.manifest.recipe,
    notes,
    patchedMaxAbsDiff: worst,
    ok: worst <= 1e-4 && patch.manifest.trainedWith?.tool === 'pytorch-peft',
  };
  console.log(JSON.stringify(result, null, 2));
  process.exit(result.ok ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
