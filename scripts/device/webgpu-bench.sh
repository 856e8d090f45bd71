#!/usr/bin/env bash
# The engine on a real GPU: tfjs-backend-webgpu over Dawn (the npm `webgpu`
# package) beside PyTorch CUDA on the same shapes, for a machine with an
# NVIDIA GPU and PyTorch but no Node or browser. Everything else comes in
# .webgpu-bench/bundle.tar.xz, made here by scripts/device/webgpu-bench-prepare.sh
# (carry .webgpu-bench). Under 10 minutes: PyTorch first (about a minute),
# then the engine under a 400 s limit, its rows kept as they finish.
# Workloads (src/bench/measure.ts, random SmolLM2-135M-shaped weights):
#   prefix-training step batch 1 and 4 × (128 + 50), KV-cache generation
#   16 → +128 (batch 1), f32 1024² matmul.
# Usage: scripts/device/webgpu-bench.sh [OUT_DIR]   (default $OUT or /tmp/webgpu-bench)
# Env: BUNDLE (default .webgpu-bench/bundle.tar.xz), PYTHON (python3),
#      TORCH_DEVICE (cuda), ENGINE_LIMIT_S (400), VK_ICD_FILENAMES (a Vulkan
#      driver to use, e.g. SwiftShader's when testing without a GPU),
#      SMOKE=1 (a 2-layer model on a reduced workload on both sides: checks
#      the pipeline on a machine without a GPU; its numbers mean nothing).
# Results: OUT/webgpu-bench.json (everything) and OUT/webgpu-bench.md (the table).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT_DIR=${1:-${OUT:-/tmp/webgpu-bench}}
BUNDLE=${BUNDLE:-.webgpu-bench/bundle.tar.xz}
PY=${PYTHON:-python3}
TORCH_DEVICE=${TORCH_DEVICE:-cuda}
mkdir -p "$OUT_DIR"
[ -f "$BUNDLE" ] || { echo "no $BUNDLE: run scripts/device/webgpu-bench-prepare.sh here first and carry .webgpu-bench" >&2; exit 1; }

RT=$(mktemp -d /tmp/webgpu-bench-rt.XXXX)
# The device tool returns at most 8 files from $OUT: PyTorch's per-case output
# goes to $RT and into webgpu-bench.json, so OUT holds 5 files.
TORCH_DIR="$RT/torch"
mkdir -p "$TORCH_DIR"
xz -dc "$BUNDLE" | tar -C "$RT" -xf -

# The Vulkan loader: the machine's if it has one, else the bundled one.
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 '; then
  export LD_LIBRARY_PATH="$RT/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
# The NVIDIA driver's Vulkan ICD where the loader does not find one by itself.
NV_ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_ICD_FILENAMES:-}" ] && [ -f "$NV_ICD" ] &&
  ! ls /usr/share/vulkan/icd.d/*nvidia* /etc/vulkan/icd.d/*nvidia* >/dev/null 2>&1; then
  export VK_ICD_FILENAMES=$NV_ICD VK_DRIVER_FILES=$NV_ICD
fi

{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "no nvidia-smi"; } >"$OUT_DIR/gpu.txt"
echo "== $(cat "$OUT_DIR/gpu.txt"); node $("$RT/node" -v)"

# SmolLM2-135M's shape, as scripts/bench/torch-anchor.ts passes it.
CFG='{"vocabSize":49152,"hiddenSize":576,"numLayers":30,"numHeads":9,"numKvHeads":3,"headDim":64,"intermediateSize":1536,"ropeTheta":100000,"normEps":1e-5}'
wl() { echo "{\"label\":\"batch $1\",\"batch\":$1,\"seqTokens\":128,\"prefixTokens\":50,\"newTokens\":128,\"newTokensNoCache\":32,\"promptTokens\":16}"; }
ENGINE_ARGS=()
if [ "${SMOKE:-0}" = 1 ]; then # matches smokeModel() and REDUCED in entry.ts / measure.ts
  CFG='{"vocabSize":512,"hiddenSize":64,"numLayers":2,"numHeads":4,"numKvHeads":2,"headDim":16,"intermediateSize":128,"ropeTheta":10000,"normEps":1e-5}'
  wl() { echo "{\"label\":\"smoke\",\"batch\":$1,\"seqTokens\":16,\"prefixTokens\":8,\"newTokens\":8,\"newTokensNoCache\":4,\"promptTokens\":8}"; }
  ENGINE_ARGS=(--smoke)
fi
torch_case() { # name json
  echo "== PyTorch ($TORCH_DEVICE): $1"
  timeout 150 "$PY" scripts/bench/torch_anchor.py "$2" --device "$TORCH_DEVICE" >"$TORCH_DIR/$1.json" 2>"$TORCH_DIR/$1.err" ||
    echo "{\"error\": \"exit $?: $(tail -c 300 "$TORCH_DIR/$1.err" | tr '\n"' ' \047')\"}" >"$TORCH_DIR/$1.json"
  cat "$TORCH_DIR/$1.json"
}
torch_case matmul '{"case":"matmul"}'
torch_case train-1 "{\"case\":\"train\",\"config\":$CFG,\"workload\":$(wl 1),\"reps\":3}"
torch_case train-4 "{\"case\":\"train\",\"config\":$CFG,\"workload\":$(wl 4),\"reps\":3}"
torch_case generate "{\"case\":\"generate\",\"config\":$CFG,\"workload\":$(wl 1)}"

echo "== Patch Lab engine, tfjs-backend-webgpu over Dawn (limit ${ENGINE_LIMIT_S:-400} s)"
set +e
timeout "${ENGINE_LIMIT_S:-400}" "$RT/node" "$RT/bench.mjs" "$RT/webgpu" --reps 3 --batches 1,4 "${ENGINE_ARGS[@]}" \
  2> >(tee "$OUT_DIR/engine.err" >&2) | tee "$OUT_DIR/engine.log"
ENGINE_RC=${PIPESTATUS[0]}
set -e
trap 'rm -rf "$RT"' EXIT

"$PY" - "$OUT_DIR" "$ENGINE_RC" "$TORCH_DIR" <<'PYEOF'
import json, sys
out, rc, torch_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = [json.loads(l[4:]) for l in open(f"{out}/engine.log") if l.startswith("ROW ")]
torch = {}
for name in ["matmul", "train-1", "train-4", "generate"]:
    try:
        torch[name] = json.load(open(f"{torch_dir}/{name}.json"))
    except Exception as e:
        torch[name] = {"error": str(e)}
setup = next((r for r in rows if r.get("kind") == "setup"), {})
mm = next((r for r in rows if r.get("kind") == "matmul"), {})
model = {r["batch"]: r for r in rows if r.get("kind") == "model"}
def cell(x):
    return f"{x:.1f}" if isinstance(x, (int, float)) else "—"
lines = [
    f"GPU: {open(f'{out}/gpu.txt').read().strip()}; adapter: {json.dumps(setup.get('adapter'))}; "
    f"node {setup.get('node')}; torch {torch['matmul'].get('torch')} on {torch['matmul'].get('device')}; engine exit {rc}",
    "",
    f"| workload | Patch Lab (webgpu, Dawn) | PyTorch {torch['matmul'].get('device', '?')} f32 | ratio |",
    "|---|---|---|---|",
]
smoke = any(r.get("model") == "smoke" for r in model.values())
shape = "smoke model (2 layers, numbers mean nothing)" if smoke else "SmolLM2-135M"
def add(name, ours, theirs, unit):
    ratio = f"{ours / theirs:.3f}×" if isinstance(ours, (int, float)) and isinstance(theirs, (int, float)) and theirs else "—"
    lines.append(f"| {name} | {cell(ours)} {unit} | {cell(theirs)} {unit} | {ratio} |")
add("f32 1024² matmul", mm.get("gflops"), torch["matmul"].get("gflops"), "GFLOP/s")
for b in (1, 4):
    r = model.get(b, {})
    add(f"{shape} prefix step, batch {b}" + ("" if smoke else " × (128 + 50)") + (f" (ours: {r['error']})" if "error" in r else ""),
        r.get("trainTokensPerSecond"), torch[f"train-{b}"].get("trainTokensPerSecond"), "tok/s")
add(f"{shape} KV-cache generation" + ("" if smoke else " 16 → +128"), model.get(1, {}).get("generateTokensPerSecond"),
    torch["generate"].get("generateTokensPerSecond"), "tok/s")
table = "\n".join(lines)
open(f"{out}/webgpu-bench.md", "w").write(table + "\n")
json.dump({"engineExit": rc, "engine": rows, "torch": torch}, open(f"{out}/webgpu-bench.json", "w"), indent=2)
print(table)
sys.exit(0 if rc == 0 and len(model) == 2 else 1)
PYEOF
