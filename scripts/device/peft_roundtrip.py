"""The PyTorch half of the PEFT round trip (run by peft-roundtrip.sh; needs torch, transformers, peft).

  check-lab-adapter  load the lab-exported adapter with PeftModel.from_pretrained and compare
                     unpatched and patched logits with the lab engine's (expected-logits.json)
  logits             write the logits of a (trained) adapter on the same probe ids, in the same
                     form, for scripts/peft/check-trained-adapter.ts to compare with the engine
"""

import argparse
import json
import math
import sys

import torch


def probe_logits(model, ids, n_virtual, vocab_ids):
    """Per position of `ids`: logits at vocab_ids, log-sum-exp and argmax (lab-logits.ts's form)."""
    with torch.no_grad():
        out = model(input_ids=torch.tensor([ids], device=model.device)).logits[0].double().cpu()
    if out.shape[0] != n_virtual + len(ids):
        raise SystemExit(f"logits have {out.shape[0]} positions, expected {n_virtual} virtual + {len(ids)}")
    out = out[n_virtual:]
    return {
        "ids": ids,
        "logits": out[:, vocab_ids].tolist(),
        "logsumexp": torch.logsumexp(out, dim=-1).tolist(),
        "argmax": out.argmax(dim=-1).tolist(),
    }


def max_diff(expected, got):
    worst = 0.0
    for e, g in zip(expected["probes"], got):
        for a, b in zip(e["logits"], g["logits"]):
            worst = max(worst, max(abs(x - y) for x, y in zip(a, b)))
        worst = max(worst, max(abs(x - y) for x, y in zip(e["logsumexp"], g["logsumexp"])))
    return worst


def load_base(path):
    from transformers import AutoModelForCausalLM

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    device = "cuda" if torch.cuda.is_available() else "cpu"
    return AutoModelForCausalLM.from_pretrained(path, torch_dtype=torch.float32).to(device).eval()


def check_lab_adapter(args):
    from peft import PeftModel

    expected = json.load(open(args.expected, encoding="utf-8"))
    tol = expected["tolerance"]
    base = load_base(args.fixture)
    vocab_ids = expected["base"]["vocabIds"]
    unpatched = [probe_logits(base, p["ids"], 0, vocab_ids) for p in expected["base"]["probes"]]
    n = expected["patched"]["nVirtual"]
    patched_model = PeftModel.from_pretrained(base, args.adapter).eval()
    patched = [probe_logits(patched_model, p["ids"], n, vocab_ids) for p in expected["patched"]["probes"]]
    result = {
        "unpatchedMaxAbsDiff": max_diff(expected["base"], unpatched),
        "patchedMaxAbsDiff": max_diff(expected["patched"], patched),
        "argmaxEqual": all(
            e["argmax"] == g["argmax"] for e, g in zip(expected["patched"]["probes"], patched)
        ),
        "tolerance": tol,
    }
    result["ok"] = (
        result["unpatchedMaxAbsDiff"] <= tol and result["patchedMaxAbsDiff"] <= tol and result["argmaxEqual"]
    )
    print(json.dumps(result))
    return 0 if result["ok"] else 1


def write_logits(args):
    from peft import PeftModel

    expected = json.load(open(args.expected, encoding="utf-8"))
    base = load_base(args.fixture)
    model = PeftModel.from_pretrained(base, args.adapter).eval()
    n = model.peft_config["default"].num_virtual_tokens
    vocab_ids = expected["patched"]["vocabIds"]
    probes = [probe_logits(model, p["ids"], n, vocab_ids) for p in expected["patched"]["probes"]]
    json.dump({"model": args.fixture, "nVirtual": n, "vocabIds": vocab_ids, "probes": probes}, open(args.out, "w"))
    print(json.dumps({"wrote": args.out, "nVirtual": n, "finite": all(math.isfinite(x) for p in probes for x in p["logsumexp"])}))
    return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("command", choices=["check-lab-adapter", "logits"])
    p.add_argument("--fixture", required=True)
    p.add_argument("--adapter", required=True)
    p.add_argument("--expected", required=True)
    p.add_argument("--out")
    args = p.parse_args()
    sys.exit(check_lab_adapter(args) if args.command == "check-lab-adapter" else write_logits(args))


if __name__ == "__main__":
    main()
