#!/usr/bin/env bash
# The GPU half of issue 16's round trip, for a machine with an NVIDIA GPU,
# PyTorch, transformers, PEFT and accelerate (no Node needed). Under 10 minutes
# on the random-weight GPT-2 fixture:
#   1. the patch the lab exported (peft-roundtrip/lab-adapter) loads with
#      PeftModel.from_pretrained and gives the lab engine's logits, unpatched
#      and patched, to 1e-4 (peft-roundtrip/expected-logits.json);
#   2. train_patch.py trains the bundle (peft-roundtrip/bundle) for its few
#      SFT and DPO steps under `accelerate launch`, on the fixture;
#   3. the trained adapter's patched logits are written for the lab side:
#      back here, `npm run node -- scripts/peft/check-trained-adapter.ts OUT`
#      imports the adapter and compares them with the engine (1e-4).
# Usage: scripts/device/peft-roundtrip.sh [FIXTURE_DIR] [BUNDLE_DIR] [OUT_DIR]
#   defaults: /work/shared/fixtures/hf-gpt2-random, scripts/device/peft-roundtrip/bundle, $OUT or /tmp/peft-roundtrip
# Results: OUT/roundtrip.json (versions, diffs, ok), OUT/trained-adapter/, OUT/trained-logits.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=scripts/device/peft-roundtrip
FIXTURE=${1:-/work/shared/fixtures/hf-gpt2-random}
BUNDLE=${2:-$HERE/bundle}
OUT_DIR=${3:-${OUT:-/tmp/peft-roundtrip}}
mkdir -p "$OUT_DIR"
PY=${PYTHON:-python3}

"$PY" - <<'EOF' | tee "$OUT_DIR/versions.json"
import json, torch, transformers, peft, accelerate
print(json.dumps({"torch": torch.__version__, "transformers": transformers.__version__, "peft": peft.__version__,
                  "accelerate": accelerate.__version__, "cuda": torch.cuda.is_available(),
                  "device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu"}))
EOF

echo "== 1. lab-exported adapter under PeftModel.from_pretrained"
set +e
timeout 120 "$PY" scripts/device/peft_roundtrip.py check-lab-adapter --fixture "$FIXTURE" \
  --adapter "$HERE/lab-adapter" --expected "$HERE/expected-logits.json" | tee "$OUT_DIR/lab-adapter.json"
LAB_RC=${PIPESTATUS[0]}

echo "== 2. train_patch.py under accelerate launch"
if command -v accelerate >/dev/null; then
  LAUNCH=(accelerate launch --num_processes 1 --num_machines 1 --dynamo_backend no)
else
  LAUNCH=("$PY")
fi
timeout 300 "${LAUNCH[@]}" scripts/peft/train_patch.py --bundle "$BUNDLE" --model-path "$FIXTURE" \
  --output-dir "$OUT_DIR/trained-adapter" --precision fp32 2>&1 | tee "$OUT_DIR/train.log"
TRAIN_RC=${PIPESTATUS[0]}

echo "== 3. the trained adapter's patched logits, for the lab side"
TRAINED_RC=1
if [ "$TRAIN_RC" = 0 ]; then
  timeout 120 "$PY" scripts/device/peft_roundtrip.py logits --fixture "$FIXTURE" \
    --adapter "$OUT_DIR/trained-adapter" --expected "$HERE/expected-logits.json" --out "$OUT_DIR/trained-logits.json"
  TRAINED_RC=$?
fi
set -e

"$PY" - "$OUT_DIR" "$LAB_RC" "$TRAIN_RC" "$TRAINED_RC" <<'EOF'
import json, sys
out, lab, train, trained = sys.argv[1], *map(int, sys.argv[2:])
def load(name):
    try:
        return json.load(open(f"{out}/{name}"))
    except Exception as e:
        return {"error": str(e)}
summary = {"versions": load("versions.json"), "labAdapter": load("lab-adapter.json"),
           "trainExit": train, "trainedLogitsExit": trained,
           "ok": lab == 0 and train == 0 and trained == 0}
json.dump(summary, open(f"{out}/roundtrip.json", "w"), indent=2)
print(json.dumps(summary, indent=2))
sys.exit(0 if summary["ok"] else 1)
EOF
