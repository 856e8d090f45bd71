#!/usr/bin/env bash
# Prepares what scripts/device/webgpu-bench.sh needs on a GPU machine that has
# PyTorch but no Node and no browser; runs here (needs node, npm and esbuild
# from node_modules, the npm registry, and Debian's apt for the Vulkan loader).
# Writes the ignored folder .webgpu-bench/:
#   bundle.tar.xz   node (this machine's x86-64 binary, stripped), the npm
#                   `webgpu` package cut to linux-x64 (dawn.node), the Vulkan
#                   loader libvulkan.so.1, and bench.mjs (the engine bench,
#                   one esbuild file: scripts/device/webgpu-bench/entry.ts)
#   webgpu/         the same package unpacked, for running the bench here
#                   (npm run bench -- --node-only --backends webgpu)
# The `webgpu` package is packed from the registry, never added to
# package.json. Carry .webgpu-bench in the device tool's `carry` (64 MiB in
# all with the working tree; the bundle is about 35 MB).
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR=.webgpu-bench
WEBGPU_VERSION=${WEBGPU_VERSION:-0.6.2}
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$DIR" "$STAGE/bundle/webgpu/dist/linux-x64" "$STAGE/bundle/lib"

echo "== webgpu@$WEBGPU_VERSION from the registry (linux-x64 only)"
(cd "$STAGE" && npm pack --silent "webgpu@$WEBGPU_VERSION" >/dev/null)
tar -xzf "$STAGE/webgpu-$WEBGPU_VERSION.tgz" -C "$STAGE" \
  package/package.json package/index.js package/LICENSE.md package/dist/linux-x64/dawn.node
cp "$STAGE/package/package.json" "$STAGE/package/index.js" "$STAGE/package/LICENSE.md" "$STAGE/bundle/webgpu/"
cp "$STAGE/package/dist/linux-x64/dawn.node" "$STAGE/bundle/webgpu/dist/linux-x64/"
rm -rf "$DIR/webgpu" && cp -r "$STAGE/bundle/webgpu" "$DIR/webgpu"

echo "== node $(node -v) ($(uname -m)), stripped"
[ "$(uname -m)" = x86_64 ] || { echo "the GPU machine is x86-64; run this on x86-64" >&2; exit 1; }
cp "$(readlink -f "$(command -v node)")" "$STAGE/bundle/node"
strip --strip-all "$STAGE/bundle/node" 2>/dev/null || true

echo "== Vulkan loader (Debian's libvulkan1; Chromium's copy if apt cannot download)"
if (cd "$STAGE" && apt-get download libvulkan1 >/dev/null 2>&1); then
  dpkg -x "$STAGE"/libvulkan1_*.deb "$STAGE/deb"
  cp -L "$(find "$STAGE/deb" -name 'libvulkan.so.1' | head -1)" "$STAGE/bundle/lib/libvulkan.so.1"
elif [ -f /usr/lib/chromium/libvulkan.so.1 ]; then
  cp /usr/lib/chromium/libvulkan.so.1 "$STAGE/bundle/lib/"
else
  echo "no Vulkan loader found (apt-get download libvulkan1 failed, no Chromium copy)" >&2
  exit 1
fi

echo "== bench.mjs (esbuild)"
# wasm and webgl are never used there; their dynamic imports stay unresolved.
# tfjs-core's Node platform require()s node:util: ESM output needs a require.
npx esbuild scripts/device/webgpu-bench/entry.ts --bundle --platform=node --format=esm \
  --target=node20 --log-level=warning --outfile="$STAGE/bundle/bench.mjs" \
  --banner:js="import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" \
  --external:@tensorflow/tfjs-backend-wasm --external:'@tensorflow/tfjs-backend-wasm/*' \
  --external:@tensorflow/tfjs-backend-webgl

echo "== $DIR/bundle.tar.xz"
tar -C "$STAGE/bundle" -cf - . | xz -T2 -6 >"$DIR/bundle.tar.xz"
tar -tJvf "$DIR/bundle.tar.xz" | awk '{print $3, $6}'
ls -l "$DIR/bundle.tar.xz"
