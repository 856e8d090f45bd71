#!/usr/bin/env bash
# train_patch.py's helper tests (scripts/peft/helpers.test.ts) run Debian's
# python3 with python3-torch. Install them when missing (as root), from
# Debian only; libopenblas0-pthread is the BLAS torch's CPU ops load.
set -euo pipefail
PY=${PATCH_LAB_PYTHON:-/usr/bin/python3}
if [ -x "$PY" ] && "$PY" -c 'import torch' 2>/dev/null; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "The Python helper tests need $PY with torch. Install them with: sudo apt-get install -y python3 python3-torch libopenblas0-pthread" >&2
  exit 1
fi
echo "Installing Debian's python3-torch (apt-get)…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq python3 python3-torch libopenblas0-pthread >/dev/null
/usr/bin/python3 -c 'import torch; print("torch", torch.__version__)'
