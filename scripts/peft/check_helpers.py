"""Runs patch_helpers.py on the cases scripts/peft/helpers.test.ts computed in TypeScript.

Reads {"schedules": [...], "dpo": [...], ...} as JSON on stdin and prints the
Python results in the same shape; the test compares them to 1e-6.
"""

import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import patch_helpers as H  # noqa: E402


def main():
    cases = json.load(sys.stdin)
    f64 = torch.float64
    out = {"torch": torch.__version__}
    out["schedules"] = [
        [H.lr_at(s["peak"], s["warmupSteps"], s["totalSteps"], s["decay"], s["minRatio"], k) for k in range(s["totalSteps"])]
        for s in cases["schedules"]
    ]
    out["dpo"] = [
        float(H.dpo_loss(torch.tensor(c["pc"], dtype=f64), torch.tensor(c["pr"], dtype=f64), c["rc"], c["rr"], c["beta"]))
        for c in cases["dpo"]
    ]
    out["dpoGrad"] = []
    for c in cases["dpo"]:
        pc = torch.tensor(c["pc"], dtype=f64, requires_grad=True)
        pr = torch.tensor(c["pr"], dtype=f64, requires_grad=True)
        H.dpo_loss(pc, pr, c["rc"], c["rr"], c["beta"]).backward()
        out["dpoGrad"].append({"pc": pc.grad.tolist(), "pr": pr.grad.tolist()})
    out["rewardStats"] = [H.dpo_reward_stats(c["pc"], c["pr"], c["rc"], c["rr"], c["beta"]) for c in cases["dpo"]]
    out["chosenNll"] = []
    for c in cases["chosenNll"]:
        pc = torch.tensor(c["pc"], dtype=f64, requires_grad=True)
        loss = H.chosen_nll_loss(pc, c["counts"])
        loss.backward()
        out["chosenNll"].append({"loss": float(loss), "grad": pc.grad.tolist()})
    out["sft"] = [float(H.sft_loss(torch.tensor(c["sums"], dtype=f64), c["counts"])) for c in cases["sft"]]
    out["margins"] = []
    for c in cases["margins"]:
        kept, dropped = H.filter_pairs_by_margin(c["pairs"], c["threshold"])
        margins = [H.pair_margin(p["ref_chosen"], p["ref_rejected"], p["chosen_tokens"], p["rejected_tokens"]) for p in c["pairs"]]
        out["margins"].append({"kept": kept, "dropped": dropped, "margins": margins})
    out["clip"] = []
    for c in cases["clip"]:
        parts = [torch.tensor(p, dtype=torch.float32) for p in c["parts"]]
        norm = H.clip_by_global_norm(parts, c["maxNorm"])
        out["clip"].append({"norm": norm, "parts": [p.tolist() for p in parts]})
    out["logprobs"] = []
    for c in cases["logprobs"]:
        logits = torch.tensor(c["logits"], dtype=torch.float32)
        ids, _, answer = H.right_pad(c["prompts"], c["answers"], pad_id=0)
        sums, counts = H.answer_logprob_sums(logits, ids, answer, c["nVirtual"])
        hand = H.hand_answer_logprob_sums(logits, ids, answer, c["nVirtual"])
        out["logprobs"].append({"sums": sums.tolist(), "counts": counts.tolist(), "hand": hand})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
