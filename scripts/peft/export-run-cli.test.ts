// `npm run cli -- export-run` as a child process on the shared random GPT-2
// fixture (no chat template): a folder bundle with text-form rows, and a
// clear usage error for a recipe no run can use.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../..');
const GPT2 = join(ROOT, '../shared/fixtures/hf-gpt2-random');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
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
      { cwd: ROOT, maxBuffer: 16 << 20 },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('cli export-run', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'export-run-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes a run bundle folder from two model folders', async () => {
    const recipe = join(dir, 'recipe.json');
    await writeFile(
      recipe,
      JSON.stringify({ nVirtualTokens: 3, sftSteps: 2, dpoSteps: 1, maxAnswerTokens: 4 }),
    );
    const out = join(dir, 'bundle');
    const r = await cli([
      'export-run',
      '--model',
      GPT2,
      '--reference',
      GPT2,
      '--model-id',
      'fake-gpt2',
      '--out',
      out,
      '--recipe',
      recipe,
      '--per-set',
      '1',
      '--backend',
      'cpu',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.counts).toEqual({ sft: 4, dpo: 4, continuation: 0, evalSets: 5 });
    const spec = JSON.parse(await readFile(join(out, 'recipe.json'), 'utf8'));
    expect(spec.recipe).toMatchObject({ nVirtualTokens: 3, sftSteps: 2, dpoSteps: 1 });
    expect(spec.base.id).toBe('fake-gpt2');
    expect(spec.collected.chatTemplate).toBe(false);
    const rows = (await readFile(join(out, 'sft.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // No chat template: standard (text) rows.
    for (const row of rows) expect(typeof row.prompt).toBe('string');
    expect(await readFile(join(out, 'train_patch.py'), 'utf8')).toBe(
      await readFile(join(ROOT, 'scripts/peft/train_patch.py'), 'utf8'),
    );
  });

  it('refuses a recipe no run can use, naming the field, before loading anything', async () => {
    const recipe = join(dir, 'bad.json');
    await writeFile(recipe, JSON.stringify({ beta: -1 }));
    const r = await cli([
      'export-run',
      '--model',
      GPT2,
      '--reference',
      GPT2,
      '--out',
      join(dir, 'x'),
      '--recipe',
      recipe,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--recipe: .*beta/);
  });
});
