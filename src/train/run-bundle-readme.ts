// The README.md of a run bundle: what is in it, the exact commands, the
// expected memory and time per update for 1B/7B/13B models (estimates from
// scale-estimate.ts, formulas stated), and how to bring the adapter back.
import type { TrainRecipe } from './recipe';
import { DEFAULT_GPU, estimateRecipe, SCALE_SHAPES } from './scale-estimate';

export interface BundleReadmeInput {
  name: string;
  recipe: TrainRecipe;
  base: { id: string; revision: string };
  reference: { id: string; revision: string };
  counts: { sft: number; dpo: number; continuation: number; evalSets: number };
  chatTemplate: boolean;
  requirements: readonly string[];
  evalFiles: string[];
}

const gib = (x: number) => `${x.toFixed(1)} GiB`;
const secs = (x: number) => (x < 1 ? `${(x * 1000).toFixed(0)} ms` : `${x.toFixed(2)} s`);

export function renderBundleReadme(b: BundleReadmeInput): string {
  const r = b.recipe;
  const rows = SCALE_SHAPES.map((shape) => {
    const e = estimateRecipe(shape, r);
    return `| ${shape.name} | ${gib(e.sft.totalGiB)} | ${secs(e.sft.secondsPerUpdate)} | ${gib(e.dpo.totalGiB)} | ${secs(e.dpo.secondsPerUpdate)} |`;
  });
  const seqLen = r.nVirtualTokens + r.maxPromptTokens + r.maxAnswerTokens;
  const init = r.init.kind === 'text' ? `TEXT init from "${r.init.text}"` : `${r.init.kind} init`;
  return `# Run bundle: ${b.name}

A Patch Lab training run, handed to PyTorch + PEFT. Base model M: \`${b.base.id}\`
(revision \`${b.base.revision}\`); safe reference model M′: \`${b.reference.id}\`
(revision \`${b.reference.revision}\`).

## What is here

| File | Contents |
|---|---|
| \`sft.jsonl\` | SFT rows: \`prompt\`, \`completion\` (M′'s answer)${b.chatTemplate ? ", conversational (lists of `{role, content}` messages; apply the model's chat template)" : ', plain text (the models have no chat template)'} |
| \`dpo.jsonl\` | DPO rows: \`prompt\`, \`chosen\` (M′), \`rejected\` (M), M′'s summed log-probs of both (\`ref_model_chosen_logp\`, \`ref_model_rejected_logp\`) |
${b.counts.continuation > 0 ? `| \`sft_continuation.jsonl\`, \`dpo_continuation.jsonl\` | ${b.counts.continuation} pairs whose prompt is text to continue (no chat template), plain-text form |\n` : ''}| \`eval/*.json\` | ${b.counts.evalSets} held-out prompt sets (the lab's prompt-set JSON; \`npm run cli -- evaluate --sets …\` reads them) |
| \`recipe.json\` | every field of the lab's recipe, the models, the collection settings |
| \`train_patch.py\`, \`patch_helpers.py\` | the trainer and its tested maths |
| \`patch_lab.json\` | what the lab restores the patch's manifest from when the adapter comes back |

Every row also has \`domain\`, \`*_stopped\` (whether the answer ended with the
model's stop token) and \`lab_token_ids\` (the exact ids the lab trained on,
valid for the base model's tokenizer only).

## Run it

\`\`\`sh
python3 -m venv .venv && . .venv/bin/activate
pip install ${b.requirements.join(' ')}
accelerate launch --num_processes N train_patch.py            # N GPUs on this machine
accelerate launch --num_processes N train_patch.py \\
    --base-model meta-llama/Llama-2-7b-chat-hf --reference-model YOUR/safer-7b   # the recipe on a bigger pair
\`\`\`

- On the bundle's own base model the lab's token ids are used as they are
  and M′'s log-probs come from \`dpo.jsonl\`. With \`--base-model\`, prompts and
  answers are tokenised again (chat template applied with
  \`add_generation_prompt=True\`, as the lab does) and M′'s log-probs are
  recomputed with \`--reference-model\` (it must share the base's tokenizer).
- Recipe: ${r.nVirtualTokens} virtual tokens (${init}); SFT ${r.sftSteps} updates at peak lr ${r.sftLr}, then DPO
  ${r.dpoSteps} updates at ${r.dpoLr} with β ${r.beta} against ${r.dpoReference === 'sft-patch' ? 'the frozen SFT patch' : "M′'s log-probs"}${r.dpoNllWeight > 0 ? `, plus ${r.dpoNllWeight} × the chosen answers' length-normalised NLL (RPO)` : ''};
  margin filter ${r.marginThreshold} nats/token;${r.dpoPolicyNegatives !== 'off' ? ` **not exported: the recipe's on-policy negatives (\`dpoPolicyNegatives\` "${r.dpoPolicyNegatives}", ${r.dpoPolicyNegativeShare > 0 ? `${r.dpoPolicyNegativeShare} of the DPO pool` : `× ${r.dpoPolicyNegativeCopies}`}); this script trains DPO on the collected pairs only, so its patch is not the lab's for this recipe**;` : ''} warmup ${r.warmupSteps}, ${r.decay} decay to ${r.minLrRatio} × peak;
  gradients clipped to global norm ${r.maxGradNorm}; Adam β1 ${r.adam.beta1}, β2 ${r.adam.beta2}, ε ${r.adam.epsilon}.
- Batch: ${r.batchSize} prompts per micro-batch per GPU, ${r.gradAccumulation} micro-batch(es) per update. Under DDP the
  global batch is ${r.batchSize} × ${r.gradAccumulation} × N: lower the per-GPU batch in \`recipe.json\` to keep the lab's.
- Gradient checkpointing ${r.checkpointLayers ? 'on (`checkpointLayers` in `recipe.json`: `gradient_checkpointing_enable()`, dropout off)' : 'off (set `checkpointLayers` to true in `recipe.json` to recompute layers in the backward pass)'}.
- bf16 where the GPU supports it (\`--precision fp32\` to force float32); the patch itself stays float32.
- \`--sft-steps\` / \`--dpo-steps\` override the recipe (a short smoke test first is cheap).
- Tested with DDP (plain \`accelerate launch\`). FSDP or DeepSpeed are for a base
  that does not fit on one GPU; the patch is one small parameter and must stay unsharded there.
- On the first batch the script checks that its sliced log-probs (PEFT puts
  ${r.nVirtualTokens} virtual-token positions in front of the logits) equal a
  token-by-token hand computation, and stops if they do not.

## Expected memory and time per update (estimates)

Per GPU, at sequence length ${seqLen} (${r.nVirtualTokens} virtual + ${r.maxPromptTokens} prompt + ${r.maxAnswerTokens} answer tokens), micro-batch
${r.batchSize} (DPO: ${2 * r.batchSize} sequences, chosen and rejected), on ${DEFAULT_GPU.name}. These are
**estimates from formulas, not measurements**:

- weights: 2 bytes × parameters (bf16; frozen, so no gradients or Adam state);
- activations: layers × s × b × h × (34 + 5 a s / h) bytes (Korthikanti et al. 2022), all layers
  kept because the gradient flows back to the input embeddings;
- logits: b × s × vocab × 10 bytes (bf16 logits, float32 copy, log-softmax); + 1 GiB CUDA context;
- time per micro-batch: the larger of 4 × parameters × b × s FLOP (forward 2, backward to
  activations 2, no weight gradients) at peak × utilisation, and reading the bf16 weights twice
  (forward and backward) at the memory bandwidth. Time per update does not shrink with N under
  DDP; the global batch grows. Loading the model, scoring the DPO reference and Python overhead
  come on top.

| Model | SFT memory | SFT time/update | DPO memory | DPO time/update |
|---|---|---|---|---|
${rows.join('\n')}

## Bring it back

The script writes \`adapter/\` (\`adapter_config.json\`, \`adapter_model.safetensors\`,
\`patch_lab.json\`, \`train_log.jsonl\`). In Patch Lab, Patches → Import, pick the
folder (or a zip of it): the patch keeps its recipe, domains and base from
\`patch_lab.json\` and records that it was trained with PyTorch + PEFT; evaluate,
compose, sign and share it like one trained in the tab. In Python it is a
standard adapter: \`PeftModel.from_pretrained(model, "adapter")\`.
`;
}
