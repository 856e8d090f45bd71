// Writes the inputs of the GPU round trip (scripts/device/peft-roundtrip.sh)
// with the lab's engine, for a machine that has PyTorch but no Node:
//   scripts/device/peft-roundtrip/bundle/      a run bundle on the random GPT-2 fixture
//                                             (data and recipe; the .py files come from scripts/peft/)
//   scripts/device/peft-roundtrip/lab-adapter/ a patch exported by the lab as a PEFT adapter
//   scripts/device/peft-roundtrip/expected-logits.json  the engine's logits, unpatched and patched
//   npm run node -- scripts/peft/make-roundtrip-fixture.ts [--fixture DIR]
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '../../src/engine/backends';
import { loadModel } from '../../src/engine/load';
import { NodeDirectorySource } from '../../src/engine/node-directory-source';
import { Rng } from '../../src/engine/rng';
import { fingerprintEmbeddings } from '../../src/patch/fingerprint';
import { tensorSha256 } from '../../src/patch/hash';
import { exportPeftFiles } from '../../src/patch/peft';
import type { Patch } from '../../src/patch/types';
import { resolveRecipe } from '../../src/train/recipe';
import { exportRunFromFolders } from './export-run';
import { labLogits } from './lab-logits';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, 'scripts/device/peft-roundtrip');
const argIndex = process.argv.indexOf('--fixture');
const FIXTURE =
  argIndex > 0 ? process.argv[argIndex + 1] : join(ROOT, '../shared/fixtures/hf-gpt2-random');
/** The round trip's probe texts; their ids under the fixture's GPT-2 tokenizer go in the JSON. */
const PROBES = [
  'Please be kind to the waiter.',
  'How do I kill a Python process?',
  'The nanny left early because',
];

async function main() {
  const ready = await useBackend('cpu');
  if (!ready.ok) throw new Error(ready.error);
  const recipe = resolveRecipe(JSON.parse(readFileSync(join(OUT, 'recipe.json'), 'utf8')));
  const bundle = await exportRunFromFolders({
    baseDir: FIXTURE,
    referenceDir: FIXTURE,
    baseId: 'fake-gpt2',
    referenceId: 'fake-gpt2',
    recipe,
    name: 'gpt2-roundtrip',
    perSet: 2,
  });
  rmSync(join(OUT, 'bundle'), { recursive: true, force: true });
  for (const [path, text] of Object.entries(bundle.files)) {
    if (path.endsWith('.py')) continue; // the device runs scripts/peft/*.py, never a stale copy
    mkdirSync(dirname(join(OUT, 'bundle', path)), { recursive: true });
    writeFileSync(join(OUT, 'bundle', path), text);
  }

  const { model, tokenizer, config } = await loadModel(new NodeDirectorySource(FIXTURE));
  const n = 4;
  const rng = new Rng(7);
  const rows = new Float32Array(n * config.hiddenSize).map(() => 0.05 * rng.normal());
  const matrix = (await model.embeddingMatrix().data()) as Float32Array;
  const patch: Patch = {
    embeddings: rows,
    nVirtual: n,
    hidden: config.hiddenSize,
    manifest: {
      formatVersion: 1,
      name: 'lab-roundtrip',
      createdAt: '2026-12-02T00:00:00.000Z',
      base: {
        id: 'fake-gpt2',
        revision: 'local',
        architecture: config.modelType,
        hiddenSize: config.hiddenSize,
        fingerprint: await fingerprintEmbeddings(matrix, config.vocabSize, config.hiddenSize),
      },
      domains: ['toxicity'],
      recipe: null,
      metrics: {},
      parents: [],
      tensorSha256: await tensorSha256(rows),
    },
  };
  model.dispose();
  const files = await exportPeftFiles(patch, {
    model: { numHeads: config.numHeads, numLayers: config.numLayers },
  });
  mkdirSync(join(OUT, 'lab-adapter'), { recursive: true });
  for (const [name, bytes] of Object.entries(files))
    writeFileSync(join(OUT, 'lab-adapter', name), bytes);

  const ids = PROBES.map((t) => tokenizer.encode(t));
  const expected = {
    note: 'Written by scripts/peft/make-roundtrip-fixture.ts with the lab engine (cpu backend, float32).',
    tolerance: 1e-4,
    base: await labLogits(FIXTURE, null, ids),
    patched: await labLogits(FIXTURE, { rows, n }, ids),
  };
  writeFileSync(join(OUT, 'expected-logits.json'), `${JSON.stringify(expected)}\n`);
  console.log(
    JSON.stringify({
      out: OUT,
      bundle: Object.keys(bundle.files).length,
      probes: ids.map((x) => x.length),
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
