// Runs the real CLI (scripts/cli.ts) as a child process against the shared
// HF GPT-2 fixture and a random llama checkpoint, and checks its JSON against
// the float64 naive reference.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelConfig } from '../src/engine/config';
import { Rng } from '../src/engine/rng';
import {
  parseSafetensorsHeader,
  readTensorFloat32,
  writeSafetensors,
} from '../src/engine/safetensors';
import { relativeError } from '../src/engine/testing/helpers';
import { type NaiveTensor, naiveForward } from '../src/engine/testing/naive-reference';
import type { ModelConfig } from '../src/engine/types';
import { writeRandomCheckpoint } from './fixtures/write-random-checkpoints';

const ROOT = join(__dirname, '..');
const SHARED_GPT2 = join(ROOT, '../shared/fixtures/hf-gpt2-random');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        './scripts/extensionless-resolve.mjs',
        'scripts/cli.ts',
        ...args,
      ],
      { cwd: ROOT, timeout: 90_000, maxBuffer: 64 * 2 ** 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function cliJson<T = Record<string, unknown>>(args: string[]): Promise<T> {
  const r = await cli(args);
  if (r.code !== 0) throw new Error(`cli ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

async function tensorsOnDisk(dir: string): Promise<Map<string, NaiveTensor>> {
  const out = new Map<string, NaiveTensor>();
  for (const f of (await readdir(dir)).filter((x) => x.endsWith('.safetensors'))) {
    const bytes = new Uint8Array(await readFile(join(dir, f)));
    for (const [name, e] of parseSafetensorsHeader(bytes).tensors) {
      out.set(name, { shape: e.shape, data: readTensorFloat32(bytes, e, name) });
    }
  }
  return out;
}

async function configOf(dir: string): Promise<ModelConfig> {
  return parseModelConfig(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')));
}

function logSoftmax(xs: number[]): number[] {
  const m = Math.max(...xs);
  const lse = m + Math.log(xs.reduce((a, x) => a + Math.exp(x - m), 0));
  return xs.map((x) => x - lse);
}

interface LogitsOut {
  ids: number[];
  shape: number[];
  lastLogits: number[];
  backend: string;
  patch: string | null;
}
interface ScoreOut {
  promptIds: number[];
  continuationIds: number[];
  sum: number;
  tokenLogProbs: number[];
}
interface GenerateOut {
  promptIds: number[];
  ids: number[];
  text: string;
}

let tmp: string;
let llamaDir: string;
let patchFile: string;
let patchRows: number[][];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'cli-test-'));
  llamaDir = join(tmp, 'llama-gqa');
  await writeRandomCheckpoint(llamaDir, 'llama-gqa', 7);
  // A 3-row patch for the llama checkpoint (hidden 24), large enough to move the logits.
  const rng = new Rng(11);
  patchRows = Array.from({ length: 3 }, () => Array.from({ length: 24 }, () => rng.normal()));
  patchFile = join(tmp, 'p.patch.safetensors');
  await writeFile(
    patchFile,
    writeSafetensors([
      { name: 'prompt_embeddings', shape: [3, 24], data: Float32Array.from(patchRows.flat()) },
    ]),
  );
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('cli logits', () => {
  it('prints [1, seq, vocab] and the last position matches the naive reference (HF GPT-2 fixture)', async () => {
    const out = await cliJson<LogitsOut>(['logits', '--model', SHARED_GPT2, '--ids', '1,2,3']);
    expect(out.ids).toEqual([1, 2, 3]);
    expect(out.shape).toEqual([1, 3, 50257]);
    expect(out.backend).toBe('wasm');
    expect(out.lastLogits).toHaveLength(50257);
    const cfg = await configOf(SHARED_GPT2);
    const ref = naiveForward(cfg, await tensorsOnDisk(SHARED_GPT2), [1, 2, 3]);
    expect(relativeError(out.lastLogits, ref[2])).toBeLessThan(1e-4);
  });

  it('matches the reference on the random llama checkpoint, on cpu too', async () => {
    const out = await cliJson<LogitsOut>([
      'logits',
      '--model',
      llamaDir,
      '--ids',
      '1, 9,20,33',
      '--backend',
      'cpu',
    ]);
    expect(out.shape).toEqual([1, 4, 48]);
    expect(out.backend).toBe('cpu');
    const ref = naiveForward(
      await configOf(llamaDir),
      await tensorsOnDisk(llamaDir),
      [1, 9, 20, 33],
    );
    expect(relativeError(out.lastLogits, ref[3])).toBeLessThan(1e-4);
  });

  it('--patch puts the patch rows in front: the logits change and match the reference with that prefix', async () => {
    const ids = [1, 9, 20, 33];
    const plain = await cliJson<LogitsOut>(['logits', '--model', llamaDir, '--ids', '1,9,20,33']);
    const patched = await cliJson<LogitsOut>([
      'logits',
      '--model',
      llamaDir,
      '--ids',
      '1,9,20,33',
      '--patch',
      patchFile,
    ]);
    expect(patched.patch).toBe(patchFile);
    // Only the token positions are reported.
    expect(patched.shape).toEqual([1, 4, 48]);
    const cfg = await configOf(llamaDir);
    const w = await tensorsOnDisk(llamaDir);
    const refPatched = naiveForward(cfg, w, ids, patchRows)[3];
    const refPlain = naiveForward(cfg, w, ids)[3];
    expect(relativeError(patched.lastLogits, refPatched)).toBeLessThan(1e-4);
    // The change is real, not rounding: far above the 1e-4 agreement.
    expect(relativeError(patched.lastLogits, plain.lastLogits)).toBeGreaterThan(0.05);
    expect(relativeError(refPatched, refPlain)).toBeGreaterThan(0.05);
  });

  it('refuses a patch of the wrong width with a usage error', async () => {
    const wrong = join(tmp, 'wrong.patch.safetensors');
    await writeFile(
      wrong,
      writeSafetensors([
        { name: 'prompt_embeddings', shape: [2, 5], data: new Float32Array(10).fill(0.1) },
      ]),
    );
    const r = await cli(['logits', '--model', llamaDir, '--ids', '1,2', '--patch', wrong]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr.split('\n')[0]).error).toBe(
      `${wrong}: the patch is 5 wide but the model's hidden size is 24`,
    );
    expect(r.stdout).toBe('');
  });

  it('rejects ids outside the vocabulary', async () => {
    const r = await cli(['logits', '--model', llamaDir, '--ids', '1,48']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr.split('\n')[0]).error).toBe(
      '--ids must be comma-separated integers in [0, 48)',
    );
  });
});

describe('cli score', () => {
  it('prints per-token log-probs ≤ 0 that sum to the total and match the reference', async () => {
    const out = await cliJson<ScoreOut>([
      'score',
      '--model',
      llamaDir,
      '--prompt',
      'hi the',
      '--continuation',
      'cat sat',
    ]);
    // Fixture tokenizer: BOS, then "▁hi", "▁the"; the continuation has no BOS.
    expect(out.promptIds).toEqual([1, 36, 39]);
    expect(out.continuationIds.length).toBeGreaterThanOrEqual(2);
    expect(out.continuationIds).not.toContain(1);
    expect(out.tokenLogProbs).toHaveLength(out.continuationIds.length);
    for (const lp of out.tokenLogProbs) expect(lp).toBeLessThanOrEqual(0);
    const total = out.tokenLogProbs.reduce((a, x) => a + x, 0);
    expect(out.sum).toBeCloseTo(total, 5);
    expect(out.sum).toBeLessThan(0);

    const seq = [...out.promptIds, ...out.continuationIds];
    const ref = naiveForward(await configOf(llamaDir), await tensorsOnDisk(llamaDir), seq);
    const expected = out.continuationIds.map(
      (id, i) => logSoftmax(ref[out.promptIds.length - 1 + i])[id],
    );
    for (let i = 0; i < expected.length; i++) {
      expect(out.tokenLogProbs[i]).toBeCloseTo(expected[i], 4);
    }
  });
});

describe('cli generate', () => {
  const args = (seed: number, max: number) => [
    'generate',
    '--model',
    SHARED_GPT2,
    '--prompt',
    'Hello world',
    '--seed',
    String(seed),
    '--temperature',
    '1',
    '--max-new-tokens',
    String(max),
  ];

  it('is deterministic for a seed and respects --max-new-tokens', async () => {
    const [a, b, short] = await Promise.all([
      cliJson<GenerateOut>(args(1, 6)),
      cliJson<GenerateOut>(args(1, 6)),
      cliJson<GenerateOut>(args(1, 3)),
    ]);
    expect(a.promptIds).toEqual([15496, 995]);
    // GPT-2's EOS (50256) is 1 of 50257 near-uniform choices, so no early stop here.
    expect(a.ids).toHaveLength(6);
    expect(b.ids).toEqual(a.ids);
    expect(b.text).toBe(a.text);
    for (const id of a.ids) {
      expect(Number.isInteger(id) && id >= 0 && id < 50257).toBe(true);
    }
    // The same seed draws the same tokens, so 3 new tokens are the first 3 of 6.
    expect(short.ids).toEqual(a.ids.slice(0, 3));
  });

  it('a different seed samples different tokens', async () => {
    const [a, c] = await Promise.all([
      cliJson<GenerateOut>(args(1, 6)),
      cliJson<GenerateOut>(args(2, 6)),
    ]);
    expect(c.ids).toHaveLength(6);
    expect(c.ids).not.toEqual(a.ids);
  });
});

interface EvalOut {
  sets: Record<string, { n: number }>;
  targets: { label: string; kind: string; metrics: Record<string, number> }[];
  gaps: {
    domain: string;
    metric: string;
    patched: { value: number; lo: number; hi: number; n: number; text: string } | null;
    control: { value: number; lo: number; hi: number; n: number; text: string } | null;
    controlMeanOverSeeds: number;
  }[];
}

describe('cli evaluate', () => {
  const DEMO = ['--model', 'public/models/demo-base', '--reference', 'public/models/demo-safe'];

  it('evaluates M, M′ and seeded controls on the same prompts; each control gap is (M − M+R)/(M − M′) with an interval around it', async () => {
    const out = await cliJson<EvalOut>([
      'evaluate',
      ...DEMO,
      '--max-prompts',
      '4',
      '--control-seeds',
      '3,4',
      '--resamples',
      '1000',
    ]);
    expect(out.targets.map((t) => [t.label, t.kind])).toEqual([
      ['M', 'base'],
      ['M′', 'reference'],
      ['M+R seed 3', 'control'],
      ['M+R seed 4', 'control'],
    ]);
    expect(out.sets.toxicity.n).toBe(4);
    const [m, ref, r3, r4] = out.targets;
    for (const g of out.gaps) {
      const gap = (c: (typeof out.targets)[number]) =>
        (m.metrics[g.metric] - c.metrics[g.metric]) / (m.metrics[g.metric] - ref.metrics[g.metric]);
      // No patch given: no M+P column; the first seed's control carries the interval.
      expect(g.patched).toBeNull();
      expect(g.control?.value).toBeCloseTo(gap(r3), 9);
      expect(g.control?.n).toBe(4);
      expect(g.control!.lo).toBeLessThanOrEqual(g.control!.value + 1e-9);
      expect(g.control!.hi).toBeGreaterThanOrEqual(g.control!.value - 1e-9);
      expect(g.controlMeanOverSeeds).toBeCloseTo((gap(r3) + gap(r4)) / 2, 9);
    }
  });

  it('a prompt-set file without items is a usage error naming the file', async () => {
    const bad = join(tmp, 'bad-set.json');
    await writeFile(bad, JSON.stringify({ name: 'x', kind: 'toxicity' }));
    const r = await cli(['evaluate', ...DEMO, '--sets', bad]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr.split('\n')[0]).error).toBe(
      `${bad}: a prompt set needs an "items" array`,
    );
  });
});

describe('cli errors', () => {
  it('a hub id fails with the offline message and exit code 2', async () => {
    const r = await cli(['logits', '--model', 'HuggingFaceTB/SmolLM2-135M', '--ids', '1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const [first, ...rest] = r.stderr.split('\n');
    expect(JSON.parse(first).error).toBe(
      '--model "HuggingFaceTB/SmolLM2-135M" is not a directory here, so it would be a Hugging Face hub id; hub access isn\'t available from the CLI (offline). Download the model into a folder and pass its path.',
    );
    expect(rest.join('\n')).toContain('usage:');
  });

  it('a missing --model is a usage error', async () => {
    const r = await cli(['generate', '--prompt', 'hi']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr.split('\n')[0]).error).toBe('--model is required');
    expect(r.stderr).toContain('cli generate --model <dir> --prompt TEXT');
  });

  it('no command and an unknown command are usage errors', async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stderr.split('\n')[0]).error).toBe('missing command');
    const bad = await cli(['train', '--model', llamaDir]);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stderr.split('\n')[0]).error).toBe('unknown command "train"');
  });
});
