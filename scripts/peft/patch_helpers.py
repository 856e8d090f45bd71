"""Pure helpers of train_patch.py: the lab's training maths in PyTorch.

Each function mirrors one TypeScript function of Patch Lab, named beside it,
and scripts/peft/helpers.test.ts checks them against the TypeScript on the
same numbers (to 1e-6). Only torch is imported here (no transformers, no
accelerate), so the helpers test on a CPU with Debian's python3-torch.
"""

import math

import torch
import torch.nn.functional as F


# --- src/train/schedule.ts: lrAt -------------------------------------------


def lr_at(peak, warmup_steps, total_steps, decay, min_ratio, step):
    """Learning rate of update number `step` (0-based) of a stage.

    Linear warmup from 0 to `peak` over `warmup_steps` updates, then cosine
    or linear decay to min_ratio * peak at the stage's last update, or
    constant.
    """
    if step < warmup_steps:
        return peak * (step + 1) / warmup_steps
    if decay == "constant":
        return peak
    span = total_steps - warmup_steps - 1
    p = 1.0 if span <= 0 else min(1.0, (step - warmup_steps) / span)
    floor = peak * min_ratio
    if decay == "cosine":
        shape = 0.5 * (1 + math.cos(math.pi * p))
    elif decay == "linear":
        shape = 1 - p
    else:
        raise ValueError(f"unknown decay {decay!r}: cosine, linear or constant")
    return floor + (peak - floor) * shape


# --- src/train/losses.ts ------------------------------------------------------


def sft_loss(answer_logprob_sums, token_counts):
    """Mean cross-entropy over answer tokens: -sum(logp) / sum(tokens) (sftLoss)."""
    total = int(torch.as_tensor(token_counts).sum().item())
    if total <= 0:
        raise ValueError("sft_loss: the batch has no answer tokens")
    return -answer_logprob_sums.sum() / total


def dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta):
    """Mean of -log sigmoid(beta * ((pi_w - ref_w) - (pi_l - ref_l))), as softplus(-z) (dpoLoss)."""
    ref_chosen = torch.as_tensor(ref_chosen, dtype=policy_chosen.dtype, device=policy_chosen.device)
    ref_rejected = torch.as_tensor(ref_rejected, dtype=policy_rejected.dtype, device=policy_rejected.device)
    z = ((policy_chosen - ref_chosen) - (policy_rejected - ref_rejected)) * beta
    return F.softplus(-z).mean()


def chosen_nll_loss(policy_chosen, chosen_tokens):
    """Mean over pairs of -pi_w / |w|, the RPO term added to DPO; an empty answer counts 0 (chosenNllLoss)."""
    n = len(chosen_tokens)
    if n == 0:
        raise ValueError("chosen_nll_loss: no pairs")
    if policy_chosen.shape[0] != n:
        raise ValueError(f"chosen_nll_loss: {policy_chosen.shape[0]} log-probs for {n} token counts")
    inv = torch.tensor([1.0 / int(t) if int(t) > 0 else 0.0 for t in chosen_tokens], dtype=policy_chosen.dtype, device=policy_chosen.device)
    return -(policy_chosen * inv).sum() / n


def dpo_reward_stats(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta):
    """Mean implicit rewards, their margin and the reward accuracy (dpoRewardStats)."""
    n = len(policy_chosen)
    if n == 0:
        raise ValueError("dpo_reward_stats: no pairs")
    rw = [beta * (float(p) - float(r)) for p, r in zip(policy_chosen, ref_chosen)]
    rl = [beta * (float(p) - float(r)) for p, r in zip(policy_rejected, ref_rejected)]
    return {
        "chosenReward": sum(rw) / n,
        "rejectedReward": sum(rl) / n,
        "margin": (sum(rw) - sum(rl)) / n,
        "accuracy": sum(1 for a, b in zip(rw, rl) if a > b) / n,
    }


def pair_margin(ref_chosen, ref_rejected, chosen_tokens, rejected_tokens):
    """M' preference in nats per token; an empty answer has mean log-prob 0 (pairMargin)."""

    def per_tok(s, n):
        return s / n if n > 0 else 0.0

    return per_tok(ref_chosen, chosen_tokens) - per_tok(ref_rejected, rejected_tokens)


def filter_pairs_by_margin(pairs, threshold):
    """Indices of the pairs M' prefers by >= threshold nats/token; non-finite margins dropped (filterPairsByMargin).

    `pairs` holds dicts with ref_chosen, ref_rejected, chosen_tokens, rejected_tokens.
    Returns (kept_indices, dropped_count).
    """
    kept = []
    for i, p in enumerate(pairs):
        m = pair_margin(p["ref_chosen"], p["ref_rejected"], p["chosen_tokens"], p["rejected_tokens"])
        if math.isfinite(m) and m >= threshold:
            kept.append(i)
    return kept, len(pairs) - len(kept)


# --- src/train/train-pool.ts ---------------------------------------------------


def trains_in(item_domain, domains):
    """Harmless look-alike prompts (kind 'safe') train with the harmfulness domain (trainsIn)."""
    return ("harmful" if item_domain == "safe" else item_domain) in domains


# --- src/train/clip.ts -------------------------------------------------------


def clip_by_global_norm(grads, max_norm):
    """Scales every gradient in place by min(1, max_norm / norm); returns the norm before (clipByGlobalNorm).

    Not torch.nn.utils.clip_grad_norm_, which divides by (norm + 1e-6) and so
    clips slightly differently from the lab. max_norm <= 0 or inf disables.
    """
    norm = math.sqrt(sum(float(g.detach().double().pow(2).sum()) for g in grads))
    if max_norm > 0 and math.isfinite(max_norm) and norm > max_norm:
        scale = max_norm / norm
        for g in grads:
            g.mul_(scale)
    return norm


# --- src/train/data-cursor.ts: the order examples are drawn in ---------------


class DataCursor:
    """A shuffled order per epoch and a position in it; a batch may cross epochs (takeBatch).

    The shuffle is torch's (seeded), not the lab's Rng, so the order differs
    from the tab's; what is mirrored is the rule: every example once per
    epoch, a batch larger than the data repeats examples.
    """

    def __init__(self, size, seed):
        if size < 1:
            raise ValueError("a training stage needs at least one example")
        self.generator = torch.Generator().manual_seed(seed)
        self.order = torch.randperm(size, generator=self.generator).tolist()
        self.index = 0
        self.epoch = 0

    def take(self, count):
        out = []
        while len(out) < count:
            if self.index >= len(self.order):
                self.order = torch.randperm(len(self.order), generator=self.generator).tolist()
                self.index = 0
                self.epoch += 1
            out.append(self.order[self.index])
            self.index += 1
        return out


# --- Batching and per-token log-probs (src/engine/score.ts) ------------------


def truncate_prompt(ids, max_tokens):
    """Keeps a prompt's last tokens, where the chat template cues the answer (truncatePrompt)."""
    return ids[len(ids) - max_tokens :] if len(ids) > max_tokens else ids


def right_pad(prompts, answers, pad_id):
    """[prompt + answer + pads] rows, right padded as the lab does, so causality hides the pads
    and positions count from the first virtual token as in PEFT.

    Returns input_ids [B, T] (long), attention_mask [B, T] and answer_mask
    [B, T] (True on answer tokens).
    """
    rows = [list(p) + list(a) for p, a in zip(prompts, answers)]
    width = max(1, max(len(r) for r in rows))
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    attention = torch.zeros((len(rows), width), dtype=torch.long)
    answer = torch.zeros((len(rows), width), dtype=torch.bool)
    for b, (p, a) in enumerate(zip(prompts, answers)):
        n = len(p) + len(a)
        ids[b, :n] = torch.tensor(rows[b], dtype=torch.long)
        attention[b, :n] = 1
        answer[b, len(p) : n] = True
    return ids, attention, answer


def token_logprobs(logits, input_ids, num_virtual_tokens):
    """log p(token t | virtual tokens, tokens < t) for every position t, [B, T].

    A PEFT prompt-learning model returns logits for the virtual tokens too:
    [B, num_virtual_tokens + T, V]. The logit that predicts token t sits at
    position num_virtual_tokens + t - 1, so the first num_virtual_tokens - 1
    positions are sliced off and the rest shifted by one; an off-the-shelf
    trainer that forgets the slice scores every token against the wrong
    logits. Without virtual tokens, token 0 has no prediction (its entry is 0).
    """
    batch, length = input_ids.shape
    if logits.shape[0] != batch or logits.shape[1] != num_virtual_tokens + length:
        raise ValueError(
            f"logits {tuple(logits.shape)} do not cover {num_virtual_tokens} virtual tokens + "
            f"{length} tokens of {batch} rows"
        )
    if num_virtual_tokens > 0:
        pred = logits[:, num_virtual_tokens - 1 : num_virtual_tokens - 1 + length, :]
        targets = input_ids
    else:
        pred = logits[:, : length - 1, :]
        targets = input_ids[:, 1:]
    lp = torch.log_softmax(pred.float(), dim=-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    if num_virtual_tokens == 0:
        lp = torch.cat([torch.zeros_like(lp[:, :1]), lp], dim=1)
    return lp


def answer_logprob_sums(logits, input_ids, answer_mask, num_virtual_tokens):
    """Per-row sum of the answer tokens' log-probs and their count (continuationLogProbs)."""
    if num_virtual_tokens == 0 and bool(answer_mask[:, 0].any()):
        raise ValueError("an answer token at position 0 has no prediction without virtual tokens")
    lp = token_logprobs(logits, input_ids, num_virtual_tokens)
    mask = answer_mask.to(lp.dtype)
    return (lp * mask).sum(dim=-1), answer_mask.sum(dim=-1)


def hand_answer_logprob_sums(logits, input_ids, answer_mask, num_virtual_tokens):
    """The same sums one token at a time, with log-softmax written out (max + log sum exp):
    the independent computation train_patch.py checks its first batch against."""
    out = []
    for b in range(input_ids.shape[0]):
        total = 0.0
        for t in range(input_ids.shape[1]):
            if not bool(answer_mask[b, t]):
                continue
            row = logits[b, num_virtual_tokens + t - 1].double()
            top = float(row.max())
            lse = top + math.log(float(torch.exp(row - top).sum()))
            total += float(row[int(input_ids[b, t])]) - lse
        out.append(total)
    return out
