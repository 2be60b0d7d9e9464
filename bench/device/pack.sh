#!/usr/bin/env bash
# Packs everything bench/nn-dawn.ts needs on a GPU machine that has no Node, no npm and no
# internet (only python3 and its NVIDIA driver) into one folder, default ./.devwebgpu:
#
#   payload.tar.xz   bin/node              this machine's Node, stripped
#                    dawn.node             Dawn for Node (npm package webgpu 0.6.2, fetched on demand)
#                    nn-dawn.cjs           esbuild bundle of bench/nn-dawn.ts (tfjs inside;
#                                          dawn.node is loaded from a path given by --dawn)
#                    tfjs-backend-wasm*.wasm   next to the bundle, where the wasm backend looks
#                    vulkan/               libvulkan1 (apt-get download + dpkg -x)
#                    xlibs/                libX11, libXext and their dependencies, plus
#                                          libglvnd's libGLdispatch: NVIDIA's Vulkan ICD
#                                          (libGLX_nvidia.so.0) links them, and a CUDA-only
#                                          image often lacks them; run.sh puts them last
#                    sysroot/              this machine's glibc, libstdc++ and libgcc_s, used by
#                                          run.sh only when the target's own are too old
#                    MANIFEST.txt          versions and sha256s (also beside the tarball)
#   MANIFEST.txt
#
# One xz tarball rather than loose files: nothing in the folder is JavaScript or JSON that
# eslint or prettier would pick up, and python3's tarfile can unpack it where xz is missing.
# bench/device/run.sh unpacks and runs it.
#
#   bash bench/device/pack.sh [OUTDIR]
#
# Environment: NODE_BIN (default: `command -v node`), DAWN_NODE (default: fetched with
# `npm pack webgpu@0.6.2`), XZ_LEVEL (default 9; 1 packs fast for a
# local try), MAX_MIB (default 60: the pack fails above it).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUTDIR=${1:-.devwebgpu}
NODE_BIN=${NODE_BIN:-$(command -v node)}
DAWN_NODE=${DAWN_NODE:-}
XZ_LEVEL=${XZ_LEVEL:-9}
MAX_MIB=${MAX_MIB:-60}
WASM_DIR=node_modules/@tensorflow/tfjs-backend-wasm/dist
log() { printf '[pack] %s\n' "$*" >&2; }

[ -x "$NODE_BIN" ] || { log "no Node binary at '$NODE_BIN' (set NODE_BIN)"; exit 1; }
# Dawn for Node is 51 MB to download, needed by this device check only: it is fetched here on
# demand (npm pack webgpu@0.6.2) rather than being a devDependency every CI install would pay for.
if [ -z "$DAWN_NODE" ]; then
	DAWN_DIR=$(mktemp -d)
	log "fetching webgpu@0.6.2 (Dawn for Node) with npm pack"
	(cd "$DAWN_DIR" && npm pack --silent webgpu@0.6.2 >/dev/null &&
		tar xzf webgpu-0.6.2.tgz package/dist/linux-x64/dawn.node package/package.json) || {
		log "could not fetch webgpu@0.6.2; set DAWN_NODE to a dawn.node"
		exit 1
	}
	DAWN_NODE=$DAWN_DIR/package/dist/linux-x64/dawn.node
fi
[ -f "$DAWN_NODE" ] || { log "no dawn.node at '$DAWN_NODE'"; exit 1; }
for t in xz tar apt-get dpkg sha256sum; do
	command -v "$t" >/dev/null || { log "needs $t"; exit 1; }
done

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
STAGE=$TMP/stage
mkdir -p "$STAGE/bin" "$STAGE/sysroot" "$TMP/apt"

log "node: $NODE_BIN ($("$NODE_BIN" --version))"
cp "$NODE_BIN" "$STAGE/bin/node"
if command -v strip >/dev/null; then strip "$STAGE/bin/node"; fi
"$STAGE/bin/node" -e 'process.exit(0)'
cp "$DAWN_NODE" "$STAGE/dawn.node"

log "bundling bench/nn-dawn.ts"
# CJS: the wasm backend finds its .wasm files through __dirname, i.e. beside the bundle.
npx esbuild bench/nn-dawn.ts --bundle --platform=node --format=cjs --target=node20 \
	--external:webgpu --log-level=warning --outfile="$STAGE/nn-dawn.cjs"
cp "$WASM_DIR"/tfjs-backend-wasm*.wasm "$STAGE/"

XPKGS='libx11-6 libxext6 libxcb1 libxau6 libxdmcp6 libbsd0 libmd0 libglvnd0'
log "apt-get download libvulkan1 $XPKGS"
# shellcheck disable=SC2086
(cd "$TMP/apt" && apt-get download libvulkan1 $XPKGS >/dev/null 2>&1) || {
	log 'apt-get download failed'
	exit 1
}
# Flattened to vulkan/ and xlibs/ (no usr/lib/x86_64-linux-gnu/ inside), symlinks kept.
flatten() { # deb-glob dest
	local x=$TMP/x-$2
	mkdir -p "$x" "$STAGE/$2"
	for deb in $1; do dpkg -x "$deb" "$x"; done
	find "$x" \( -name '*.so.*' -o -name '*.so' \) \( -type f -o -type l \) -exec cp -P {} "$STAGE/$2/" \;
}
flatten "$TMP/apt/libvulkan1_*.deb" vulkan
flatten "$(ls "$TMP"/apt/*.deb | grep -v /libvulkan1_)" xlibs
[ -e "$STAGE/vulkan/libvulkan.so.1" ] || { log 'libvulkan.so.1 not in the package'; exit 1; }
[ -e "$STAGE/xlibs/libXext.so.6" ] || { log 'libXext.so.6 not in the packages'; exit 1; }

# The loader, glibc and C++ runtime this Node and dawn.node were linked against: run.sh runs
# Node through this ld.so only where the target's glibc or libstdc++ is older than they need.
for lib in ld-linux-x86-64.so.2 libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 \
	libstdc++.so.6 libgcc_s.so.1; do
	src=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ && !f { print $NF; f = 1 }')
	[ -n "$src" ] || src=/lib64/$lib
	cp -L "$src" "$STAGE/sysroot/$lib"
done

{
	echo "packed $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(. /etc/os-release && echo "$PRETTY_NAME")"
	echo "node $("$NODE_BIN" --version)"
	echo "webgpu 0.6.2"
	echo "debs $(cd "$TMP/apt" && ls ./*.deb | tr '\n' ' ')"
	echo "glibc $(ldd --version | head -n1)"
	echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?') (bench/nn-dawn.ts may be uncommitted)"
	echo
	(cd "$STAGE" && find . -type f ! -name MANIFEST.txt | sort | xargs sha256sum)
} >"$STAGE/MANIFEST.txt"

log "xz -$XZ_LEVEL (node alone takes a minute or more at -9)"
mkdir -p "$OUTDIR"
rm -f "$OUTDIR/payload.tar.xz" "$OUTDIR/payload.tar.xz.part" "$OUTDIR/MANIFEST.txt"
tar -C "$STAGE" -cf - . | xz "-$XZ_LEVEL" -T0 -c >"$OUTDIR/payload.tar.xz.part"
mv "$OUTDIR/payload.tar.xz.part" "$OUTDIR/payload.tar.xz"
cp "$STAGE/MANIFEST.txt" "$OUTDIR/MANIFEST.txt"

bytes=$(du -sb "$OUTDIR" | cut -f1)
log "unpacked: $(du -sh "$STAGE" | cut -f1); $OUTDIR: $((bytes / 1024 / 1024)) MiB ($bytes bytes)"
if [ "$bytes" -gt $((MAX_MIB * 1024 * 1024)) ]; then
	log "over ${MAX_MIB} MiB"
	exit 1
fi
ls -l "$OUTDIR" >&2
