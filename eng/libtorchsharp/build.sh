#!/usr/bin/env bash
# Builds libLibTorchSharp (TorchSharp 0.107.0's native layer) against a given LibTorch, for external LibTorch mode
# (-p:TorchDevice=external) when the packaged library does not link against that LibTorch. See README.md here.
#
#   eng/libtorchsharp/build.sh --libtorch python|<libtorch folder> [--check <libLibTorchSharp.so>] [--source <src/Native>]
#                              [--out <folder>] [--install <folder>] [--logs <folder>] [--force]
#
# 1. Resolves the LibTorch: `python` = the PyTorch python3 imports (torch.utils.cmake_prefix_path, torch/lib, its
#    version and C++ ABI), or a libtorch folder (holding lib/ and share/cmake/Torch).
# 2. With --check: `ldd -r` of that libLibTorchSharp against the LibTorch; no undefined symbol = nothing to build
#    (exit 0, unless --force).
# 3. Takes the source: --source, else ../shared/third-party/torchsharp-0.107.0-native beside the checkout, else
#    dotnet/TorchSharp at the pinned commit from GitHub; the src/Native tree's sha256 must match the pinned one.
# 4. Builds a copy of it (never the original) with -Werror removed and C++17 (newer compilers and LibTorch headers
#    warn where 0.107's flags make warnings errors, and LibTorch 2.x needs C++17), `ninja -k 0` so that every error
#    shows in one pass; logs go to --logs. Writes libLibTorchSharp.so and libLibTorchSharp.so.libtorch-version
#    (what rlsc doctor reports as "built for") to --out, and copies both to --install when given.
set -euo pipefail

readonly COMMIT=c20b6a1cc574d690707638a488d2583f3b8b983f
# sha256 of `find . -type f | LC_ALL=C sort | xargs sha256sum` inside src/Native at that commit.
readonly TREE_SHA256=911cff81cb030ec38e190561921dd3d5d2402b1980f0096da988eb1a3639568a
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

libtorch="" check="" source="" out="$PWD/libtorchsharp-build" install="" logs="" force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --libtorch) libtorch="$2"; shift 2 ;;
    --check) check="$2"; shift 2 ;;
    --source) source="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --install) install="$2"; shift 2 ;;
    --logs) logs="$2"; shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) sed -n 2,20p "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$libtorch" ] || { echo "build.sh: --libtorch python|<folder> is required" >&2; exit 2; }
mkdir -p "$out"; out="$(cd "$out" && pwd)"
logs="${logs:-$out/logs}"; mkdir -p "$logs"

# 1. The LibTorch.
abi=1
if [ "$libtorch" = python ]; then
  py="${RLSC_PYTHON:-python3}"
  read -r prefix libdir version abi < <("$py" -c 'import os, torch, torch.utils
print(torch.utils.cmake_prefix_path, os.path.join(os.path.dirname(torch.__file__), "lib"), torch.__version__, int(torch.compiled_with_cxx11_abi()))') \
    || { echo "build.sh: $py cannot import torch" >&2; exit 1; }
else
  root="$(cd "$libtorch" && pwd)"
  [ -d "$root/lib" ] || root="$(cd "$root/.." && pwd)"   # accept libtorch/ or libtorch/lib
  prefix="$root"; libdir="$root/lib"
  version="$(cat "$root/build-version" 2>/dev/null || echo unknown)"
fi
[ -f "$libdir/libtorch_cpu.so" ] || { echo "build.sh: no libtorch_cpu.so in $libdir" >&2; exit 1; }
echo "LibTorch $version: $libdir (CMake prefix $prefix, _GLIBCXX_USE_CXX11_ABI=$abi)"

# 2. Does the given library link already?
if [ -n "$check" ]; then
  [ -f "$check" ] || { echo "build.sh: --check $check: no such file" >&2; exit 2; }
  undefined="$(LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ldd -r "$check" 2>&1 | tee "$logs/ldd-r.log" | grep -c 'undefined symbol' || true)"
  echo "ldd -r $check: $undefined undefined symbols (log: $logs/ldd-r.log)"
  if [ "$undefined" = 0 ] && ! grep -q '=> not found' "$logs/ldd-r.log" && [ "$force" = 0 ]; then
    echo "it links against this LibTorch: nothing to build"; exit 0
  fi
fi

# 3. The source, checked against the pinned tree hash.
tree_hash() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -d' ' -f1; }
if [ -z "$source" ]; then
  if [ -d "$repo/../shared/third-party/torchsharp-0.107.0-native/src/Native" ]; then
    source="$repo/../shared/third-party/torchsharp-0.107.0-native/src/Native"
  else
    mkdir -p "$out/download"
    curl -fsSL "https://github.com/dotnet/TorchSharp/archive/$COMMIT.tar.gz" -o "$out/download/torchsharp.tar.gz"
    tar -xzf "$out/download/torchsharp.tar.gz" -C "$out/download" "TorchSharp-$COMMIT/src/Native"
    source="$out/download/TorchSharp-$COMMIT/src/Native"
  fi
fi
actual="$(tree_hash "$source")"
[ "$actual" = "$TREE_SHA256" ] || { echo "build.sh: $source is not TorchSharp $COMMIT's src/Native (tree sha256 $actual, expected $TREE_SHA256)" >&2; exit 1; }

# 4. Build a patched copy.
work="$out/src"; rm -rf "$work"; cp -r "$source" "$work"; chmod -R u+w "$work"
sed -i -e 's/add_definitions(-Werror)/# -Werror removed by eng\/libtorchsharp (newer compilers and LibTorch headers warn)/' \
       -e 's/set(CMAKE_CXX_STANDARD 11)/set(CMAKE_CXX_STANDARD 17)/' \
       -e "s/-D_GLIBCXX_USE_CXX11_ABI=1/-D_GLIBCXX_USE_CXX11_ABI=$abi/" "$work/CMakeLists.txt"
sed -i -e 's/CXX_STANDARD 14/CXX_STANDARD 17/' "$work/LibTorchSharp/CMakeLists.txt"
diff -ru "$source" "$work" > "$logs/source-overrides.diff" || true
generator=(-G Ninja); command -v ninja >/dev/null || generator=(-G "Unix Makefiles")
cmake -S "$work" -B "$out/build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DLIBTORCH_PATH="$prefix" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_FLAGS="-Wno-error" > "$logs/cmake-configure.log" 2>&1 \
  || { tail -30 "$logs/cmake-configure.log" >&2; echo "build.sh: cmake configure failed (log: $logs/cmake-configure.log)" >&2; exit 1; }
if [ "${generator[1]}" = Ninja ]; then build=(ninja -C "$out/build" -k 0); else build=(make -C "$out/build" -k -j"$(nproc)"); fi
if ! "${build[@]}" > "$logs/build.log" 2>&1; then
  grep -E 'error' "$logs/build.log" | head -40 >&2
  echo "build.sh: the build failed; every error is in $logs/build.log" >&2; exit 1
fi
lib="$(find "$out/build" -name libLibTorchSharp.so -type f | head -1)"
cp "$lib" "$out/libLibTorchSharp.so"
echo "$version" > "$out/libLibTorchSharp.so.libtorch-version"
LD_LIBRARY_PATH="$libdir" ldd -r "$out/libLibTorchSharp.so" > "$logs/ldd-r-built.log" 2>&1 || true
if grep -q 'undefined symbol' "$logs/ldd-r-built.log"; then
  echo "build.sh: the built library still has undefined symbols (log: $logs/ldd-r-built.log)" >&2; exit 1
fi
echo "built $out/libLibTorchSharp.so for LibTorch $version"
if [ -n "$install" ]; then
  cp "$out/libLibTorchSharp.so" "$out/libLibTorchSharp.so.libtorch-version" "$install/"
  echo "installed into $install"
fi
