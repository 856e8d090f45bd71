#!/usr/bin/env python3
"""Train a Patch Lab safety patch with PyTorch + PEFT, on one GPU or many.

The patch is a PEFT prompt-tuning adapter (PromptTuningConfig): n learnable
vectors prepended to every input of a frozen base model M. Training follows
the lab's recipe exactly as the tab runs it: SFT on the safe reference
model M''s answers, then DPO on (M' answer, M answer) pairs kept by the
margin filter, against the frozen SFT patch or M''s own log-probs (plus the
recipe's NLL term on the chosen answers, dpoNllWeight), with the
lab's learning rates, warmup and decay, gradient clipping and Adam settings
(recipe.json). The maths lives in patch_helpers.py, tested against the lab's
TypeScript.

    accelerate launch --num_processes N train_patch.py [--base-model ID] [--output-dir DIR]

Writes a standard PEFT adapter folder (adapter_config.json +
adapter_model.safetensors) plus patch_lab.json, from which the lab restores
the patch's manifest when the folder (or a zip of it) is imported.
"""

import argparse
import contextlib
import json
import math
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import patch_helpers as H  # noqa: E402


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bundle", type=Path, default=HERE, help="the run bundle folder (default: this script's)")
    p.add_argument("--output-dir", type=Path, default=None, help="adapter folder to write (default: BUNDLE/adapter)")
    p.add_argument("--base-model", default=None, help="train on this model instead of the bundle's base (hub id or path)")
    p.add_argument("--base-revision", default=None)
    p.add_argument("--model-path", default=None, help="a local folder holding the bundle's own base model (its ids and tokenizer stay valid)")
    p.add_argument("--reference-path", default=None, help="a local folder holding the bundle's own reference model")
    p.add_argument("--reference-model", default=None, help="M' for the margin filter and the reference log-probs when the answers are re-tokenised")
    p.add_argument("--reference-revision", default=None)
    p.add_argument("--retokenize", action="store_true", help="tokenise the text even when training the bundle's own base")
    p.add_argument("--sft-steps", type=int, default=None, help="override the recipe (e.g. a short smoke test)")
    p.add_argument("--dpo-steps", type=int, default=None)
    p.add_argument("--precision", choices=["auto", "bf16", "fp32"], default="auto", help="auto: bf16 where the GPU supports it")
    return p.parse_args()


def load_jsonl(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise SystemExit(f"{path}:{n}: not a JSON row ({e})")
    return rows


def load_rows(bundle, stem):
    """Rows of STEM.jsonl and, when present, STEM_continuation.jsonl (prompts the lab encodes without the chat template)."""
    rows = load_jsonl(bundle / f"{stem}.jsonl")
    extra = bundle / f"{stem}_continuation.jsonl"
    if extra.exists():
        rows += load_jsonl(extra)
    return rows


def known(value):
    """A hub revision, or None for the lab's placeholders (a local folder, the embedded demo)."""
    return None if value in (None, "", "unknown", "local", "embedded") else value


class Encoder:
    """Text → token ids the way the lab encodes them (src/eval/encode-prompt.ts)."""

    def __init__(self, tokenizer, eos_id, max_prompt_tokens):
        self.tok = tokenizer
        self.eos_id = eos_id
        self.max_prompt = max_prompt_tokens

    def prompt(self, prompt):
        if isinstance(prompt, list):
            if getattr(self.tok, "chat_template", None):
                text = self.tok.apply_chat_template(prompt, tokenize=False, add_generation_prompt=True)
                ids = self.tok(text, add_special_tokens=False).input_ids
            else:
                ids = self.tok(prompt[-1]["content"]).input_ids
        else:
            ids = self.tok(prompt).input_ids
        return H.truncate_prompt(ids, self.max_prompt)

    def answer(self, answer, stopped):
        text = answer[-1]["content"] if isinstance(answer, list) else answer
        ids = self.tok(text, add_special_tokens=False).input_ids
        return ids + [self.eos_id] if stopped else ids


def main():
    args = parse_args()
    from accelerate import Accelerator
    from transformers import AutoModelForCausalLM, AutoTokenizer
    import peft
    from peft import PromptTuningConfig, PromptTuningInit, TaskType, get_peft_model

    bundle = args.bundle.resolve()
    spec = json.loads((bundle / "recipe.json").read_text(encoding="utf-8"))
    recipe = spec["recipe"]
    n_virtual = int(recipe["nVirtualTokens"])
    sft_steps = recipe["sftSteps"] if args.sft_steps is None else args.sft_steps
    dpo_steps = recipe["dpoSteps"] if args.dpo_steps is None else args.dpo_steps
    out_dir = (args.output_dir or bundle / "adapter").resolve()

    bf16 = args.precision == "bf16" or (
        args.precision == "auto" and torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    )
    accelerator = Accelerator(mixed_precision="bf16" if bf16 else "no")
    log = accelerator.print
    world, rank = accelerator.num_processes, accelerator.process_index

    same_base = args.base_model is None
    base_id = args.base_model or args.model_path or spec["base"]["id"]
    base_rev = args.base_revision or (known(spec["base"]["revision"]) if same_base and not args.model_path else None)
    tokenizer = AutoTokenizer.from_pretrained(base_id, revision=base_rev)
    model = AutoModelForCausalLM.from_pretrained(
        base_id, revision=base_rev, torch_dtype=torch.bfloat16 if bf16 else torch.float32
    )
    model.requires_grad_(False)
    model.config.use_cache = False
    gen_eos = getattr(model.generation_config, "eos_token_id", None)
    eos_id = gen_eos[0] if isinstance(gen_eos, list) and gen_eos else gen_eos
    if eos_id is None or isinstance(eos_id, list):
        eos_id = tokenizer.eos_token_id
    # Right padding: pads follow every real token, so their id never matters.
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else (eos_id if eos_id is not None else 0)
    # The lab's token ids are valid only for the tokenizer they came from.
    use_lab_ids = same_base and not args.retokenize
    enc = Encoder(tokenizer, eos_id, recipe["maxPromptTokens"])

    init = recipe["init"]
    if init["kind"] == "text":
        cfg = PromptTuningConfig(
            task_type=TaskType.CAUSAL_LM,
            num_virtual_tokens=n_virtual,
            prompt_tuning_init=PromptTuningInit.TEXT,
            prompt_tuning_init_text=init["text"],
            tokenizer_name_or_path=base_id,
        )
    else:
        # 'vocab' draws rows of the embedding matrix; PEFT calls that SAMPLE_VOCAB (newer releases).
        kind = PromptTuningInit.SAMPLE_VOCAB if init["kind"] == "vocab" and hasattr(PromptTuningInit, "SAMPLE_VOCAB") else PromptTuningInit.RANDOM
        cfg = PromptTuningConfig(task_type=TaskType.CAUSAL_LM, num_virtual_tokens=n_virtual, prompt_tuning_init=kind)
    torch.manual_seed(recipe["seed"])
    pmodel = get_peft_model(model, cfg)
    # The lab trains without dropout (its forward passes have none).
    pmodel.eval()
    if recipe.get("checkpointLayers"):
        # The recipe's gradient checkpointing. HF recomputes layers only in
        # training mode, so train mode with every dropout set to 0 keeps the
        # lab's dropout-free maths; non-reentrant checkpointing passes the
        # gradient to the prompt embeddings although the inputs' ids do not need one.
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        pmodel.train()
        for m in pmodel.modules():
            if isinstance(m, torch.nn.Dropout):
                m.p = 0.0
            if isinstance(getattr(m, "attention_dropout", None), float):
                m.attention_dropout = 0.0
    trainable = [p for p in pmodel.parameters() if p.requires_grad]
    if len(trainable) != 1 or trainable[0].numel() != n_virtual * model.config.hidden_size:
        raise SystemExit(f"expected one trainable [{n_virtual}, hidden] prompt embedding, got {[tuple(p.shape) for p in trainable]}")
    patch = trainable[0]
    # The patch stays float32 whatever the model's dtype: Adam's small steps vanish in bf16.
    patch.data = patch.data.float()

    # ---- data ---------------------------------------------------------------
    domains = recipe["domains"]
    sft_rows = [r for r in load_rows(bundle, "sft") if H.trains_in(r["domain"], domains)]
    dpo_rows = [r for r in load_rows(bundle, "dpo") if H.trains_in(r["domain"], domains)]

    def sft_example(r):
        if use_lab_ids:
            t = r["lab_token_ids"]
            return H.truncate_prompt(t["prompt"], recipe["maxPromptTokens"]), t["completion"][: recipe["maxAnswerTokens"]]
        return enc.prompt(r["prompt"]), enc.answer(r["completion"], r["completion_stopped"])[: recipe["maxAnswerTokens"]]

    def dpo_example(r):
        # DPO scores the answers as collected (not cut): M''s log-probs were measured on them.
        if use_lab_ids:
            t = r["lab_token_ids"]
            return t["prompt"], t["chosen"], t["rejected"]
        return enc.prompt(r["prompt"]), enc.answer(r["chosen"], r["chosen_stopped"]), enc.answer(r["rejected"], r["rejected_stopped"])

    sft_data = [ex for ex in map(sft_example, sft_rows) if len(ex[1]) > 0]
    dpo_data = [dpo_example(r) for r in dpo_rows]
    device = accelerator.device

    def sums_of(m, prompts, answers, nv=n_virtual, check=False):
        """Summed answer log-probs per row under model m, whose logits start with nv virtual tokens."""
        ids, attention, answer = H.right_pad(prompts, answers, pad_id)
        ids, attention, answer = ids.to(device), attention.to(device), answer.to(device)
        logits = m(input_ids=ids, attention_mask=attention).logits
        sums, counts = H.answer_logprob_sums(logits, ids, answer, nv)
        if check:
            hand = H.hand_answer_logprob_sums(logits.detach(), ids, answer, nv)
            worst = max(abs(float(a) - b) for a, b in zip(sums.detach(), hand))
            if worst > 1e-3 * max(1.0, max(abs(b) for b in hand)):
                raise SystemExit(f"first batch: sliced log-probs differ from the hand computation by {worst}")
            log(f"first batch: log-probs of {len(hand)} rows match the hand computation (max diff {worst:.2e}); logits {tuple(logits.shape)} = {nv} virtual + {ids.shape[1]} tokens")
        return sums, counts

    # M''s log-probs: the margin filter always asks whether the safe model prefers the chosen answer.
    if dpo_steps > 0:
        if use_lab_ids and args.reference_model is None:
            ref_chosen = [r["ref_model_chosen_logp"] for r in dpo_rows]
            ref_rejected = [r["ref_model_rejected_logp"] for r in dpo_rows]
        else:
            ref_id = args.reference_model or args.reference_path or spec["reference"]["id"]
            ref_rev = args.reference_revision or (known(spec["reference"]["revision"]) if args.reference_model is None and not args.reference_path else None)
            log(f"scoring {len(dpo_data)} pairs with the reference model {ref_id}")
            ref_model = AutoModelForCausalLM.from_pretrained(ref_id, revision=ref_rev, torch_dtype=torch.bfloat16 if bf16 else torch.float32).to(device).eval()
            ref_chosen, ref_rejected = [], []
            with torch.no_grad():
                for i in range(0, len(dpo_data), recipe["batchSize"]):
                    chunk = dpo_data[i : i + recipe["batchSize"]]
                    ref_chosen += sums_of(ref_model, [c[0] for c in chunk], [c[1] for c in chunk], nv=0)[0].tolist()
                    ref_rejected += sums_of(ref_model, [c[0] for c in chunk], [c[2] for c in chunk], nv=0)[0].tolist()
            del ref_model
            if torch.cuda.is_available():
                torch.cuda.empty_cache()

    adam = recipe["adam"]

    def new_optimizer():
        return torch.optim.Adam([patch], lr=0.0, betas=(adam["beta1"], adam["beta2"]), eps=adam["epsilon"])

    pmodel, optimizer = accelerator.prepare(pmodel, new_optimizer())
    history = []
    checked = False

    def run_stage(stage, steps, peak, pool_size, micro_step):
        nonlocal checked, optimizer
        cursor = H.DataCursor(pool_size, recipe["seed"] + (0 if stage == "sft" else 1))
        accum = recipe["gradAccumulation"]
        for step in range(steps):
            t0 = time.time()
            lr = H.lr_at(peak, recipe["warmupSteps"], steps, recipe["decay"], recipe["minLrRatio"], step)
            for g in optimizer.param_groups:
                g["lr"] = lr
            optimizer.zero_grad(set_to_none=True)
            loss_total, metrics = 0.0, {}
            for k in range(accum):
                # One global draw per micro-batch, split over the processes: every
                # process sees different examples, all see the same order.
                drawn = cursor.take(recipe["batchSize"] * world)
                mine = drawn[rank::world]
                sync = contextlib.nullcontext() if k == accum - 1 else accelerator.no_sync(pmodel)
                with sync:
                    loss, metrics = micro_step(mine, check=not checked)
                    checked = True
                    accelerator.backward(loss / accum)
                loss_total += float(loss.detach()) / accum
            grad = patch.grad
            if grad is None or not torch.isfinite(grad).all() or not math.isfinite(loss_total):
                raise SystemExit(f"{stage} step {step + 1}: non-finite loss or gradient; lower the learning rate")
            norm = H.clip_by_global_norm([grad], recipe["maxGradNorm"])
            optimizer.step()
            point = {"stage": stage, "stageStep": step + 1, "loss": loss_total, "lr": lr, "gradNorm": norm, "seconds": time.time() - t0, **metrics}
            history.append(point)
            log(json.dumps(point))

    def sft_micro(indices, check):
        batch = [sft_data[i] for i in indices]
        sums, counts = sums_of(pmodel, [b[0] for b in batch], [b[1] for b in batch], check=check)
        return H.sft_loss(sums, counts), {}

    if sft_steps > 0:
        if not sft_data:
            raise SystemExit(f"no SFT examples in the domains {domains}")
        log(f"SFT: {sft_steps} updates over {len(sft_data)} examples on {world} process(es), bf16={bf16}")
        run_stage("sft", sft_steps, recipe["sftLr"], len(sft_data), sft_micro)

    kept, dropped = [], 0
    if dpo_steps > 0:
        pairs = [
            {"ref_chosen": rc, "ref_rejected": rr, "chosen_tokens": len(ex[1]), "rejected_tokens": len(ex[2])}
            for ex, rc, rr in zip(dpo_data, ref_chosen, ref_rejected)
        ]
        kept, dropped = H.filter_pairs_by_margin(pairs, recipe["marginThreshold"])
        if not kept:
            raise SystemExit(f"DPO has no pairs: all {dropped} were dropped by the margin threshold {recipe['marginThreshold']}")
        if recipe["dpoReference"] == "sft-patch":
            # Standard DPO: the reference is M with the patch as SFT left it, scored once now.
            dpo_ref_c, dpo_ref_r = [], []
            with torch.no_grad():
                for i in range(0, len(kept), recipe["batchSize"]):
                    chunk = [dpo_data[j] for j in kept[i : i + recipe["batchSize"]]]
                    dpo_ref_c += sums_of(pmodel, [c[0] for c in chunk], [c[1] for c in chunk])[0].tolist()
                    dpo_ref_r += sums_of(pmodel, [c[0] for c in chunk], [c[2] for c in chunk])[0].tolist()
        else:
            dpo_ref_c = [ref_chosen[j] for j in kept]
            dpo_ref_r = [ref_rejected[j] for j in kept]
        # Adam restarts: its moments were estimated on the SFT loss's scale.
        optimizer = accelerator.prepare(new_optimizer())

        # A bundle from before the field existed trains plain DPO, as it did then.
        nll_weight = float(recipe.get("dpoNllWeight", 0))

        def dpo_micro(indices, check):
            batch = [dpo_data[kept[i]] for i in indices]
            b = len(batch)
            prompts = [x[0] for x in batch]
            sums, counts = sums_of(pmodel, prompts + prompts, [x[1] for x in batch] + [x[2] for x in batch], check=check)
            pc, pr = sums[:b], sums[b:]
            rc = [dpo_ref_c[i] for i in indices]
            rr = [dpo_ref_r[i] for i in indices]
            stats = H.dpo_reward_stats(pc.tolist(), pr.tolist(), rc, rr, recipe["beta"])
            loss = H.dpo_loss(pc, pr, rc, rr, recipe["beta"])
            if nll_weight > 0:
                # RPO: the chosen answers' length-normalised NLL beside DPO (the lab's dpoNllWeight).
                loss = loss + nll_weight * H.chosen_nll_loss(pc, counts[:b].tolist())
            return loss, {"rewardAccuracy": stats["accuracy"], "rewardMargin": stats["margin"]}

        log(f"DPO: {dpo_steps} updates over {len(kept)} pairs ({dropped} dropped by the margin filter), reference {recipe['dpoReference']}, NLL weight {nll_weight}")
        run_stage("dpo", dpo_steps, recipe["dpoLr"], len(kept), dpo_micro)

    accelerator.wait_for_everyone()
    if accelerator.is_main_process:
        out_dir.mkdir(parents=True, exist_ok=True)
        accelerator.unwrap_model(pmodel).save_pretrained(str(out_dir), safe_serialization=True)
        run = json.loads((bundle / "patch_lab.json").read_text(encoding="utf-8"))
        if not same_base:
            run["base"] = {
                "id": base_id,
                "revision": base_rev or "unknown",
                "architecture": getattr(model.config, "model_type", "unknown"),
                "hiddenSize": int(model.config.hidden_size),
                "fingerprint": None,
            }
        stages = ([{"kind": "sft", "steps": sft_steps}] if sft_steps > 0 else []) + (
            [{"kind": "dpo", "steps": dpo_steps}] if dpo_steps > 0 else []
        )
        run["recipe"]["stages"] = stages
        run["recipe"]["beta"] = recipe["beta"] if dpo_steps > 0 else None
        run["recipe"]["learningRate"] = recipe["sftLr"] if sft_steps > 0 else recipe["dpoLr"]
        import accelerate
        import transformers

        run["trainedWith"] = {
            "tool": "pytorch-peft",
            "details": {
                "torch": torch.__version__,
                "transformers": transformers.__version__,
                "peft": peft.__version__,
                "accelerate": accelerate.__version__,
                "processes": world,
                "precision": "bf16" if bf16 else "fp32",
                "device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu",
                "tokens": "lab" if use_lab_ids else "retokenized",
                "sftSteps": sft_steps,
                "dpoSteps": dpo_steps,
                "dpoPairsKept": len(kept),
                "dpoPairsDropped": dropped,
                "finishedAt": datetime.now(timezone.utc).isoformat(),
            },
        }
        (out_dir / "patch_lab.json").write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
        with open(out_dir / "train_log.jsonl", "w", encoding="utf-8") as f:
            for point in history:
                f.write(json.dumps(point) + "\n")
        log(f"wrote the adapter to {out_dir}: import the folder (or a zip of it) in Patch Lab")


if __name__ == "__main__":
    main()
