#!/usr/bin/env bash
# Runs bench/nn-dawn.ts on a GPU machine from the folder bench/device/pack.sh made: no Node, npm
# or internet needed there, only bash, tar-or-python3 and the NVIDIA driver's Vulkan ICD.
# From the repository root:
#
#   bash bench/device/run.sh [extra bench/nn-dawn.ts arguments…]
#
# Writes $OUT/nn-dawn.json (the result; rewritten after every case, so a run stopped at its
# time limit keeps what it measured), $OUT/nn-dawn.log (progress) and $OUT/env.txt (what the
# machine offered: driver, ICD, libraries), then prints env.txt, the log's tail and the JSON.
#
# Environment (defaults for the NVIDIA machine; override them to try it elsewhere):
#   DEVWEBGPU_DIR      the packed folder                  ./.devwebgpu
#   DEVWEBGPU_ICD      the Vulkan ICD json                /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
#   DEVWEBGPU_DRVLIB   driver library dirs (colon list)   /usr/local/nvidia/lib64:/usr/local/nvidia/lib
#   DEVWEBGPU_LOADER   system | sysroot | auto            auto: the carried glibc only if needed
#   DEVWEBGPU_XLIBS    yes | no | auto                    auto: carried libX11/libXext if absent
#   DEVWEBGPU_TIMEOUT  hard limit for the bench, seconds  370
#   DEVWEBGPU_BUDGET   the bench's --budget, seconds      290 (cases start until then)
#   DEVWEBGPU_ARGS     bench arguments before "$@" (e.g. tiny sizes for a local try)
#   DEVWEBGPU_UNPACK   python: unpack with python3 even where xz is there
#   DEVWEBGPU_DAWN_FLAGS  Dawn create() options, ';'-separated (e.g. backend=vulkan)
#   OUT                output folder (set on the GPU machine)  $TMPDIR/devwebgpu-out
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PACK=${DEVWEBGPU_DIR:-$ROOT/.devwebgpu}
ICD=${DEVWEBGPU_ICD:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
DRVLIB=${DEVWEBGPU_DRVLIB:-/usr/local/nvidia/lib64:/usr/local/nvidia/lib}
LOADER=${DEVWEBGPU_LOADER:-auto}
XLIBS=${DEVWEBGPU_XLIBS:-auto}
TIMEOUT=${DEVWEBGPU_TIMEOUT:-370}
OUT=${OUT:-${TMPDIR:-/tmp}/devwebgpu-out}
mkdir -p "$OUT"
ENV_TXT=$OUT/env.txt
: >"$ENV_TXT"
note() { printf '[run] %s\n' "$*" | tee -a "$ENV_TXT" >&2; }
T0=$(date +%s)

[ -f "$PACK/payload.tar.xz" ] || { note "no $PACK/payload.tar.xz: run bench/device/pack.sh"; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/devwebgpu.XXXXXX")
trap 'rm -rf "$W"' EXIT

# ---- unpack: xz + tar where there, else python3's tarfile (lzma) ----
if [ "${DEVWEBGPU_UNPACK:-}" != python ] && command -v xz >/dev/null && command -v tar >/dev/null; then
	xz -dc "$PACK/payload.tar.xz" | tar -xf - -C "$W" || { note 'unpack (xz | tar) failed'; exit 1; }
	how='xz | tar'
else
	python3 - "$PACK/payload.tar.xz" "$W" <<'EOF' || { note 'unpack (python3 tarfile) failed'; exit 1; }
import sys, tarfile
with tarfile.open(sys.argv[1], 'r:xz') as t:
    t.extractall(sys.argv[2])
EOF
	how='python3 tarfile'
fi
chmod +x "$W/bin/node" "$W/sysroot/ld-linux-x86-64.so.2"
note "unpacked with $how in $(($(date +%s) - T0)) s to $W"

if [ ! -f "$ICD" ] && [ -z "${DEVWEBGPU_ICD:-}" ]; then
	found=$(find /usr/local/nvidia /usr/share/vulkan /etc/vulkan -name 'nvidia_icd*.json' 2>/dev/null | head -n1)
	note "no $ICD; using: ${found:-nothing (no nvidia_icd*.json found)}"
	[ -n "$found" ] && ICD=$found
fi

# ---- library path: carried libvulkan first, then the driver, then (if needed) X libs ----
LIBPATH=$W/vulkan:$DRVLIB
have_lib() { ldconfig -p 2>/dev/null | grep -q "^[[:space:]]*$1 "; }
if [ "$XLIBS" = yes ] || { [ "$XLIBS" = auto ] && ! { have_lib libXext.so.6 && have_lib libX11.so.6; }; }; then
	LIBPATH=$LIBPATH:$W/xlibs
	note 'carried libX11/libXext/libxcb/libGLdispatch appended to the library path'
fi

# ---- what the machine offers ----
{
	echo "== uname: $(uname -srm)"
	echo "== os: $(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-?}")"
	echo "== glibc: $({ ldd --version 2>/dev/null || echo '?'; } | head -n1)"
	echo "== nvidia-smi:"
	PATH=$PATH:/usr/local/nvidia/bin nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -n4
	echo "== ICD $ICD:"
	cat "$ICD" 2>&1
	echo
	echo "== driver libraries (Vulkan/GLX/EGL/glcore/spirv/gpucomp) in $DRVLIB:"
	for d in ${DRVLIB//:/ }; do
		ls -1 "$d" 2>/dev/null | grep -Ei 'vulkan|glx|egl|glcore|spirv|gpucomp|gldispatch|tls' | sed "s|^|$d/|"
	done
	icdlib=$(sed -n 's/.*"library_path"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$ICD" 2>/dev/null | head -n1)
	for d in $(dirname "$ICD") ${DRVLIB//:/ }; do
		case $icdlib in /*) f=$icdlib ;; *) f=$d/$icdlib ;; esac
		if [ -n "$icdlib" ] && [ -f "$f" ]; then
			echo "== unresolved libraries of $f (none listed: all found):"
			LD_LIBRARY_PATH=$LIBPATH ldd "$f" 2>&1 | grep -i 'not found'
			break
		fi
	done
	echo "== /dev/nvidia*: $(ls /dev/nvidia* 2>/dev/null | tr '\n' ' ')"
	echo "== manifest:"
	head -n 7 "$W/MANIFEST.txt"
} >>"$ENV_TXT" 2>&1

node_cmd() { # mode → NODE_CMD, the command line that starts the carried node
	if [ "$1" = sysroot ]; then
		# The carried ld.so with its own glibc/libstdc++ first: --library-path replaces
		# LD_LIBRARY_PATH, and the Vulkan loader's dlopen of the ICD searches the same list.
		NODE_CMD=("$W/sysroot/ld-linux-x86-64.so.2" --library-path "$W/sysroot:$LIBPATH" "$W/bin/node")
	else
		NODE_CMD=(env "LD_LIBRARY_PATH=$LIBPATH${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$W/bin/node")
	fi
}
probe="require('$W/dawn.node'); console.log(process.version)"
if [ "$LOADER" = auto ]; then
	node_cmd system
	if out=$("${NODE_CMD[@]}" -e "$probe" 2>&1); then
		LOADER=system
	else
		note "system glibc cannot run node + dawn.node ($(echo "$out" | head -n2 | tr '\n' ' ')): using the carried one"
		LOADER=sysroot
	fi
fi
node_cmd "$LOADER"
"${NODE_CMD[@]}" -e "$probe" >/dev/null 2>&1 || note "node + dawn.node fail to load with the $LOADER loader too"
note "loader: $LOADER"

export VK_ICD_FILENAMES=$ICD VK_DRIVER_FILES=$ICD
export VK_LOADER_DEBUG=${VK_LOADER_DEBUG:-error,warn}
ARGS=(--dawn "$W/dawn.node" --out "$OUT/nn-dawn.json")
IFS=';' read -r -a FLAGS <<<"${DEVWEBGPU_DAWN_FLAGS:-}"
for f in ${FLAGS[@]+"${FLAGS[@]}"}; do [ -n "$f" ] && ARGS+=(--dawn-flag "$f"); done
# shellcheck disable=SC2206
EXTRA=(--budget "${DEVWEBGPU_BUDGET:-290}" ${DEVWEBGPU_ARGS:-})
note "bench: ${EXTRA[*]} $* (timeout ${TIMEOUT} s)"

LIMIT=()
command -v timeout >/dev/null && LIMIT=(timeout -k 10 "$TIMEOUT")
# The driver may print to stdout; the bench's own JSON goes to $OUT through --out.
${LIMIT[@]+"${LIMIT[@]}"} "${NODE_CMD[@]}" "$W/nn-dawn.cjs" "${ARGS[@]}" "${EXTRA[@]}" "$@" \
	>"$OUT/nn-dawn.stdout" 2>"$OUT/nn-dawn.log"
rc=$?
note "bench exited $rc after $(($(date +%s) - T0)) s in all"

echo '---- env ----'
cat "$ENV_TXT"
echo '---- nn-dawn.log (tail) ----'
tail -n 30 "$OUT/nn-dawn.log" | cut -c1-400
echo '---- nn-dawn.json ----'
if [ -s "$OUT/nn-dawn.json" ]; then cat "$OUT/nn-dawn.json"; else echo '(none)'; fi
# 0: complete; 2: stopped at DEVWEBGPU_TIMEOUT, the JSON holds the cases done ("complete":
# false); 1: no result. (Not 124: a device runner would read that as its own time limit.)
if [ "$rc" = 0 ]; then exit 0; fi
if [ -s "$OUT/nn-dawn.json" ] && { [ "$rc" = 124 ] || [ "$rc" = 137 ]; }; then
	echo "bench stopped at its ${TIMEOUT} s limit; partial result above"
	exit 2
fi
exit 1
