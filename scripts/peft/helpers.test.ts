// train_patch.py's maths against the lab's own TypeScript, on the same
// numbers: the schedule, SFT and DPO losses (and the gradients of DPO and of its chosen-answer NLL term), reward
// statistics, the margin filter, gradient clipping, and the per-token
// log-probs of a prompt-tuned model, whose logits start with the virtual
// tokens. The TypeScript side computes here; Python (Debian's python3-torch)
// runs scripts/peft/check_helpers.py on the same inputs; both must agree to
// 1e-6. Without python3 and torch this test fails, saying how to install them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../src/engine/backends';
import { Rng } from '../../src/engine/rng';
import { continuationLogProbs } from '../../src/engine/score';
import { tf } from '../../src/engine/tf';
import type { CausalLM, ModelConfig } from '../../src/engine/types';
import { clipByGlobalNorm } from '../../src/train/clip';
import {
  chosenNllLoss,
  dpoLoss,
  dpoRewardStats,
  filterPairsByMargin,
  pairMargin,
  sftLoss,
} from '../../src/train/losses';
import { type LrSchedule, lrAt } from '../../src/train/schedule';

const HERE = fileURLToPath(new URL('.', import.meta.url));
/** Debian's python3 (where apt puts python3-torch) unless PATCH_LAB_PYTHON names another. */
const PYTHON =
  process.env.PATCH_LAB_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const INSTALL_HINT =
  'install them with `sudo apt-get install -y python3 python3-torch libopenblas0-pthread` (scripts/ensure-python-torch.sh does this), or point PATCH_LAB_PYTHON at a python with torch';

function python(args: string[], input?: string): string {
  const r = spawnSync(PYTHON, args, { cwd: HERE, input, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`cannot run ${PYTHON} (${r.error.message}): ${INSTALL_HINT}`);
  if (r.status !== 0) throw new Error(`${PYTHON} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

function close(a: number, b: number, tol = 1e-6): void {
  expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
}

/** Same length, and every entry close. */
function closeAll(py: number[], ts: ArrayLike<number>): void {
  expect(py).toHaveLength(ts.length);
  for (let k = 0; k < ts.length; k++) close(py[k], ts[k]);
}

const rng = new Rng(20261202);
const vec = (n: number, scale: number, shift = 0) =>
  Array.from({ length: n }, () => shift + scale * rng.normal());

/** A model whose forward returns fixed logits: the lab's batching and slicing applied to known numbers. */
function fixedLogitsModel(logits: number[][][], vocab: number, hidden: number): CausalLM {
  const config = { vocabSize: vocab, hiddenSize: hidden } as ModelConfig;
  return {
    config,
    embed: (ids) => tf.zeros([ids.shape[0], ids.shape[1], hidden]) as tf.Tensor3D,
    // Honours outputPositions as the real models do: the lab asks the head
    // for the answer positions only.
    forward: (x, opts) => {
      expect(x.shape).toEqual([logits.length, logits[0].length, hidden]);
      const at = opts?.outputPositions;
      const rows = at ? logits.map((l) => l.slice(at.start, at.start + at.length)) : logits;
      return { logits: tf.tensor3d(rows) };
    },
    embeddingMatrix: () => tf.zeros([vocab, hidden]) as tf.Tensor2D,
    dispose: () => {},
  };
}

describe('train_patch.py helpers equal the lab’s TypeScript', () => {
  beforeAll(async () => {
    await useBackend('cpu');
    const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], {
      encoding: 'utf8',
    });
    if (probe.error || probe.status !== 0) {
      throw new Error(
        `train_patch.py's helper tests need python3 with torch, and ${PYTHON} ${probe.error ? 'is missing' : 'has no torch'}: ${INSTALL_HINT}`,
      );
    }
  });

  it('train_patch.py, its helpers and the device round trip compile', () => {
    python([
      '-m',
      'py_compile',
      'train_patch.py',
      'patch_helpers.py',
      'check_helpers.py',
      '../device/peft_roundtrip.py',
    ]);
  });

  it('pure-Python unit tests of the helpers pass', () => {
    const out = spawnSync(PYTHON, ['-m', 'unittest', '-v', 'test_patch_helpers'], {
      cwd: HERE,
      encoding: 'utf8',
    });
    expect(out.status, out.stderr).toBe(0);
  });

  it('same schedule, losses, DPO gradient, chosen-answer NLL, reward stats, margin filter, clipping and log-probs to 1e-6', async () => {
    const schedules: LrSchedule[] = [
      { peak: 0.002, warmupSteps: 5, totalSteps: 60, decay: 'cosine', minRatio: 0.1 },
      { peak: 0.0005, warmupSteps: 5, totalSteps: 40, decay: 'linear', minRatio: 0 },
      { peak: 0.01, warmupSteps: 0, totalSteps: 7, decay: 'cosine', minRatio: 0.3 },
      { peak: 0.01, warmupSteps: 3, totalSteps: 3, decay: 'cosine', minRatio: 0.1 },
      { peak: 0.01, warmupSteps: 2, totalSteps: 9, decay: 'constant', minRatio: 0.1 },
      { peak: 0.003, warmupSteps: 0, totalSteps: 1, decay: 'linear', minRatio: 0.5 },
    ];
    const dpo = [
      { pc: vec(6, 5, -20), pr: vec(6, 5, -25), rc: vec(6, 5, -20), rr: vec(6, 5, -25), beta: 0.1 },
      { pc: vec(4, 2, -8), pr: vec(4, 2, -8), rc: vec(4, 2, -8), rr: vec(4, 2, -8), beta: 0.5 },
      // Tails: margins of ±400 nats; softplus must stay finite and exact.
      { pc: [-10, -500], pr: [-500, -10], rc: [-10, -10], rr: [-10, -10], beta: 1 },
    ];
    const sft = [
      { sums: vec(5, 3, -12), counts: [4, 7, 1, 3, 9] },
      { sums: [-0.5], counts: [1] },
    ];
    const pairs = Array.from({ length: 9 }, (_, i) => ({
      ref_chosen: -3 * rng.next() * (i + 1),
      ref_rejected: -3 * rng.next() * (i + 1),
      chosen_tokens: i % 4 === 0 ? 0 : 1 + (i % 5),
      rejected_tokens: i % 3 === 0 ? 0 : 2 + (i % 3),
    }));
    const margins = [
      { pairs, threshold: 0 },
      { pairs, threshold: 0.25 },
      { pairs, threshold: -1 },
    ];
    const clip = [
      { parts: [vec(7, 1), vec(3, 2)], maxNorm: 1 },
      { parts: [vec(5, 0.01)], maxNorm: 1 },
      { parts: [vec(4, 3)], maxNorm: 0 },
    ];
    const V = 11;
    const hidden = 3;
    const logprobCases = [
      {
        nVirtual: 4,
        prompts: [
          [3, 1, 4],
          [1, 5],
          [9, 2, 6, 5],
        ],
        answers: [[5, 3], [5, 8, 9, 7], [9]],
      },
      { nVirtual: 1, prompts: [[2], [7, 1, 8]], answers: [[8, 2, 8], [1]] },
      {
        nVirtual: 0,
        prompts: [[2, 7], [1]],
        answers: [
          [1, 8],
          [2, 8, 1],
        ],
      },
    ].map((c) => {
      const T = Math.max(...c.prompts.map((p, r) => p.length + c.answers[r].length));
      const logits = c.prompts.map(() => Array.from({ length: c.nVirtual + T }, () => vec(V, 2)));
      return { ...c, logits };
    });

    // The RPO term of dpoNllWeight: answers of mixed lengths, one of them empty.
    const chosenNll = [
      { pc: vec(5, 4, -15), counts: [3, 12, 1, 7, 20] },
      { pc: [0, -6.5, -2], counts: [0, 13, 2] },
    ];

    const cases = { schedules, dpo, sft, margins, clip, logprobs: logprobCases, chosenNll };
    const py = JSON.parse(python(['check_helpers.py'], JSON.stringify(cases)));

    schedules.forEach((s, i) => {
      const ts = Array.from({ length: s.totalSteps }, (_, k) => lrAt(s, k));
      closeAll(py.schedules[i], ts);
    });
    dpo.forEach((c, i) => {
      const pc = tf.tensor1d(c.pc);
      const pr = tf.tensor1d(c.pr);
      const loss = dpoLoss(pc, pr, c.rc, c.rr, c.beta);
      close(py.dpo[i], loss.dataSync()[0]);
      const [gc, gr] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        dpoLoss(a as tf.Tensor1D, b as tf.Tensor1D, c.rc, c.rr, c.beta),
      )([pc, pr]);
      closeAll(py.dpoGrad[i].pc, gc.dataSync());
      closeAll(py.dpoGrad[i].pr, gr.dataSync());
      const stats = dpoRewardStats(c.pc, c.pr, c.rc, c.rr, c.beta);
      close(py.rewardStats[i].chosenReward, stats.chosenReward);
      close(py.rewardStats[i].rejectedReward, stats.rejectedReward);
      close(py.rewardStats[i].margin, stats.margin);
      expect(py.rewardStats[i].accuracy).toBe(stats.accuracy);
      tf.dispose([pc, pr, loss, gc, gr]);
    });
    expect(py.dpo[2]).toBeGreaterThan(100);
    chosenNll.forEach((c, i) => {
      const pc = tf.tensor1d(c.pc);
      const loss = chosenNllLoss(pc, c.counts);
      close(py.chosenNll[i].loss, loss.dataSync()[0]);
      const g = tf.grad((a: tf.Tensor) => chosenNllLoss(a as tf.Tensor1D, c.counts))(pc);
      closeAll(py.chosenNll[i].grad, g.dataSync());
      tf.dispose([pc, loss, g]);
    });
    // The empty answer gets no gradient (it costs nothing to say nothing).
    expect(Math.abs(py.chosenNll[1].grad[0])).toBe(0);
    sft.forEach((c, i) => {
      const loss = sftLoss(tf.tensor1d(c.sums), c.counts);
      close(py.sft[i], loss.dataSync()[0]);
    });
    margins.forEach((c, i) => {
      const asLab = c.pairs.map((p) => ({
        refChosen: p.ref_chosen,
        refRejected: p.ref_rejected,
        chosenTokens: p.chosen_tokens,
        rejectedTokens: p.rejected_tokens,
      }));
      const f = filterPairsByMargin(asLab, c.threshold);
      expect(py.margins[i].kept).toEqual(f.keptIndices);
      expect(py.margins[i].dropped).toBe(f.droppedCount);
      closeAll(py.margins[i].margins, asLab.map(pairMargin));
    });
    expect(py.margins[0].kept.length).toBeGreaterThan(0);
    expect(py.margins[0].dropped).toBeGreaterThan(0);
    clip.forEach((c, i) => {
      const parts = c.parts.map((p) => new Float32Array(p));
      const norm = clipByGlobalNorm(parts, c.maxNorm);
      close(py.clip[i].norm, norm);
      parts.forEach((p, j) => {
        closeAll(py.clip[i].parts[j], p);
      });
    });
    logprobCases.forEach((c, i) => {
      const model = fixedLogitsModel(c.logits, V, hidden);
      const prefix = c.nVirtual > 0 ? (tf.zeros([c.nVirtual, hidden]) as tf.Tensor2D) : null;
      const lp = continuationLogProbs(
        model,
        { prompts: c.prompts, continuations: c.answers },
        prefix,
      );
      const sums = Array.from(lp.sum.dataSync());
      expect(py.logprobs[i].counts).toEqual(lp.tokenCount);
      sums.forEach((s, k) => {
        close(py.logprobs[i].sums[k], s);
        close(py.logprobs[i].hand[k], s);
      });
      tf.dispose([lp.sum, ...(prefix ? [prefix] : [])]);
    });
  });
});
