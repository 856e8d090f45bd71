// Runs scripts/bench/torch_anchor.py (PyTorch on the same workload shapes) so
// `npm run bench` can print Patch Lab / PyTorch ratios measured in the same
// run, interleaved with the engine's rows. Finds a python3 that imports torch
// (PATH first, then Debian's /usr/bin/python3); without one the bench runs
// as before and says why there is no ratio.
import { spawnSync } from 'node:child_process';
import type { Workload } from '../../src/bench/measure';
import type { ModelConfig } from '../../src/engine/types';

const SCRIPT = 'scripts/bench/torch_anchor.py';

export interface TorchResult {
  torch: string;
  threads: number;
  gflops?: number;
  trainStepSeconds?: number;
  trainTokensPerSecond?: number;
  generateTokensPerSecond?: number;
}

/** The first python3 that imports torch, or the reason none was found. */
export function findTorchPython(): { python: string } | { reason: string } {
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (r.status === 0) return { python };
  }
  return { reason: 'no python3 with torch (python3 -c "import torch" fails); no PyTorch ratio' };
}

function configJson(c: ModelConfig) {
  return {
    vocabSize: c.vocabSize,
    hiddenSize: c.hiddenSize,
    numLayers: c.numLayers,
    numHeads: c.numHeads,
    numKvHeads: c.numKvHeads,
    headDim: c.headDim,
    intermediateSize: c.intermediateSize,
    ropeTheta: c.ropeTheta,
    normEps: c.normEps,
  };
}

/** One anchor case, niced like the rest of the bench (the machine is shared). */
export function runTorchAnchor(
  python: string,
  req:
    | { case: 'matmul' }
    | { case: 'train' | 'generate'; config: ModelConfig; workload: Workload; reps: number },
): TorchResult {
  const body = req.case === 'matmul' ? req : { ...req, config: configJson(req.config) };
  const r = spawnSync('nice', ['-n', '10', python, SCRIPT, JSON.stringify(body)], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0) {
    throw new Error(`${SCRIPT} ${req.case} failed (${r.status}): ${r.stderr.slice(-500)}`);
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as TorchResult;
}
