"""PyTorch anchor for `npm run bench`: the same workloads as src/bench/measure.ts
on a Llama-shaped model with random weights, so the bench can print
Patch Lab / PyTorch ratios measured in the same run.

  python3 scripts/bench/torch_anchor.py '<json>' [--device cpu|cuda]

where json = {"case": "matmul" | "train" | "generate", "config": {...},
"workload": {...}, "reps": N}. Prints one JSON object on stdout.

The training step computes what the engine computes: prefix rows prepended to
the token embeddings, the lm_head and log-softmax on the answer positions
only, the summed answer NLL, and the gradient to the prefix alone (weights
frozen). `--device cuda` runs the same shapes on the GPU in float32 (TF32
matmuls off, as tfjs-webgpu has none), timing with torch.cuda.synchronize();
scripts/device/webgpu-bench.sh uses it. Written for PyTorch 1.13 (Debian's python3-torch): no
scaled_dot_product_attention, so attention is written out.
"""
import json
import math
import os
import sys
import time

import torch

DEVICE = torch.device("cpu")


def sync():
    if DEVICE.type == "cuda":
        torch.cuda.synchronize()


def threads() -> int:
    n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    torch.set_num_threads(max(1, n or 1))
    return torch.get_num_threads()


class Llama:
    """Llama forward (RMSNorm, RoPE, GQA, SwiGLU, tied head), frozen random weights."""

    def __init__(self, c: dict, seed: int = 1):
        g = torch.Generator().manual_seed(seed)
        w = lambda *s: (torch.randn(*s, generator=g) * 0.02).to(DEVICE)  # noqa: E731
        self.c = c
        h, hd = c["hiddenSize"], c["headDim"]
        nh, nkv, inter = c["numHeads"], c["numKvHeads"], c["intermediateSize"]
        self.embed = w(c["vocabSize"], h)
        self.layers = [
            dict(q=w(nh * hd, h), k=w(nkv * hd, h), v=w(nkv * hd, h), o=w(h, nh * hd),
                 g=w(inter, h), u=w(inter, h), d=w(h, inter), n1=torch.ones(h, device=DEVICE),
                 n2=torch.ones(h, device=DEVICE))
            for _ in range(c["numLayers"])
        ]
        self.norm = torch.ones(h, device=DEVICE)
        self.inv_freq = (1.0 / (c["ropeTheta"] ** (torch.arange(0, hd, 2).float() / hd))).to(DEVICE)

    def rms(self, x, w):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.c["normEps"]) * w

    @staticmethod
    def rope(x, cos, sin):
        half = x.shape[-1] // 2
        rot = torch.cat([-x[..., half:], x[..., :half]], -1)
        return x * cos + rot * sin

    def forward(self, x, start=0, cache=None, out=None):
        """x [b, s, h] embeddings; out = (start, length) window for the head."""
        c = self.c
        b, s, _ = x.shape
        nh, nkv, hd = c["numHeads"], c["numKvHeads"], c["headDim"]
        pos = torch.arange(start, start + s, device=DEVICE).float()
        f = torch.outer(pos, self.inv_freq)
        emb = torch.cat([f, f], -1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        total = start + s
        mask = torch.full((s, total), float("-inf"), device=DEVICE).triu(start + 1)
        new_cache = []
        for i, L in enumerate(self.layers):
            y = self.rms(x, L["n1"])
            q = (y @ L["q"].T).view(b, s, nh, hd).transpose(1, 2)
            k = (y @ L["k"].T).view(b, s, nkv, hd).transpose(1, 2)
            v = (y @ L["v"].T).view(b, s, nkv, hd).transpose(1, 2)
            q, k = self.rope(q, cos, sin), self.rope(k, cos, sin)
            if cache is not None:
                k = torch.cat([cache[i][0], k], 2)
                v = torch.cat([cache[i][1], v], 2)
            new_cache.append((k, v))
            rep = nh // nkv
            kr, vr = k.repeat_interleave(rep, 1), v.repeat_interleave(rep, 1)
            att = torch.softmax(q @ kr.transpose(-1, -2) / math.sqrt(hd) + mask, -1)
            a = (att @ vr).transpose(1, 2).reshape(b, s, nh * hd)
            x = x + a @ L["o"].T
            y = self.rms(x, L["n2"])
            x = x + (torch.nn.functional.silu(y @ L["g"].T) * (y @ L["u"].T)) @ L["d"].T
        if out is not None:
            x = x[:, out[0] : out[0] + out[1]]
        return self.rms(x, self.norm) @ self.embed.T, new_cache


def train(c, w, reps):
    m = Llama(c)
    g = torch.Generator().manual_seed(2)
    b, seq, p = w["batch"], w["seqTokens"], w["prefixTokens"]
    half = seq // 2
    ids = torch.randint(1, c["vocabSize"], (b, seq), generator=g).to(DEVICE)
    prefix = (torch.randn(p, c["hiddenSize"], generator=g) * 0.02).to(DEVICE).requires_grad_()
    # Position t predicts token t+1: answer tokens half..seq-1 are predicted by
    # columns p+half-1 .. p+seq-2 (the engine's start/span).
    start, span = p + half - 1, seq - half
    targets = ids[:, half:]

    def step():
        x = torch.cat([prefix.expand(b, -1, -1), m.embed[ids]], 1)
        logits, _ = m.forward(x, out=(start, span))
        lp = torch.log_softmax(logits, -1).gather(-1, targets[..., None])
        loss = -lp.sum()
        (grad,) = torch.autograd.grad(loss, [prefix])
        return float(loss), grad

    t0 = time.perf_counter()
    step()
    sync()
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(reps):
        step()
    sync()
    s = (time.perf_counter() - t0) / reps
    return dict(firstTrainStepSeconds=first, trainStepSeconds=s, trainTokensPerSecond=b * (seq + p) / s)


@torch.no_grad()
def generate(c, w):
    m = Llama(c)
    g = torch.Generator().manual_seed(3)
    prompt = torch.randint(1, c["vocabSize"], (1, w["promptTokens"]), generator=g).to(DEVICE)

    def run(n):
        logits, cache = m.forward(m.embed[prompt], out=(w["promptTokens"] - 1, 1))
        length = w["promptTokens"]
        for _ in range(n):
            nxt = logits[:, -1].argmax(-1)
            logits, cache = m.forward(m.embed[nxt][:, None], start=length, cache=cache)
            length += 1

    # PyTorch 1.13 + OpenBLAS decodes SmolLM2-135M at ~1 tok/s on the shared
    # 2-core machine (small products, two BLAS threads), so the anchor times
    # at most 32 new tokens to keep the bench short; a rate, so comparable.
    n = min(w["newTokens"], 32) if DEVICE.type == "cpu" else w["newTokens"]
    run(2)
    sync()
    t0 = time.perf_counter()
    run(n)
    sync()
    return dict(generateTokensPerSecond=n / (time.perf_counter() - t0), generatedTokens=n)


def matmul(seconds=2.0, n=1024):
    a, b = torch.randn(n, n, device=DEVICE), torch.randn(n, n, device=DEVICE)
    a @ b
    sync()
    reps, t0 = 0, time.perf_counter()
    while reps == 0 or time.perf_counter() - t0 < seconds:
        a @ b
        reps += 1
    sync()
    return dict(gflops=2 * n**3 * reps / (time.perf_counter() - t0) / 1e9)


def main():
    global DEVICE
    args = sys.argv[1:]
    if "--device" in args:
        i = args.index("--device")
        DEVICE = torch.device(args[i + 1])
        del args[i : i + 2]
        if DEVICE.type == "cuda":
            torch.backends.cuda.matmul.allow_tf32 = False
            torch.backends.cudnn.allow_tf32 = False
    req = json.loads(args[0])
    n = threads()
    case = req["case"]
    if case == "matmul":
        r = matmul()
    elif case == "train":
        r = train(req["config"], req["workload"], req.get("reps", 1))
    elif case == "generate":
        r = generate(req["config"], req["workload"])
    else:
        raise SystemExit(f"unknown case {case!r} (matmul, train, generate)")
    where = torch.cuda.get_device_name(0) if DEVICE.type == "cuda" else "cpu"
    print(json.dumps(dict(torch=torch.__version__, threads=n, device=where, **r)))


if __name__ == "__main__":
    main()
