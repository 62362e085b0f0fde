#!/usr/bin/env bash
# Builds the kit for the GPU machine (which has PyTorch, CMake, ninja and nvcc, but no .NET and no network):
# artifacts/gpu-kit/kit.tar.xz holding
#   rlsc/                 rlsc published framework-dependent in external LibTorch mode (-p:TorchDevice=external):
#                         TorchSharp and its libLibTorchSharp, no LibTorch; linux-x64 natives only
#   dotnet/               the .NET runtime of this machine's SDK: dotnet, host/, shared/Microsoft.NETCore.App/<version>
#   torchsharp-native/    TorchSharp 0.107.0's native source (../shared/third-party), for eng/libtorchsharp/build.sh
#   mirror/models/qwen2.5-tokenizer/  the Qwen2.5 tokenizer (RLSC_MIRROR layout) for the random 1.5B/7B-shape models
# The repository tree travels beside it; eng/gpu/run.sh unpacks and runs everything. Prints the sizes against the
# 64 MiB limit (kit + tracked tree).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
shared="${RLSC_SHARED:-$repo/../shared}"
out="$repo/artifacts/gpu-kit"
stage="$out/stage"
rm -rf "$stage" "$out/kit.tar.xz"; mkdir -p "$stage"

dotnet publish "$repo/src/Rlsc.Cli/Rlsc.Cli.csproj" -c Release -r linux-x64 --self-contained false \
  -p:TorchDevice=external --artifacts-path "$out/build" -o "$stage/rlsc" -nologo -v:q
# No LibTorch may travel (external mode loads the GPU machine's); fail loudly if one slipped in.
if find "$stage/rlsc" -name 'libtorch*.so' -o -name 'libc10*.so' | grep -q .; then echo "build-kit: LibTorch in the publish" >&2; exit 1; fi
rm -f "$stage/rlsc"/*.pdb

dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
runtime="$(cd "$stage/rlsc" && sed -n 's/.*"version": "\(10[^"]*\)".*/\1/p' rlsc.runtimeconfig.json | head -1)"
runtime_dir="$(ls -d "$dotnet_root/shared/Microsoft.NETCore.App/"10.* | sort -V | tail -1)"
mkdir -p "$stage/dotnet/shared/Microsoft.NETCore.App"
cp "$dotnet_root/dotnet" "$dotnet_root/LICENSE.txt" "$stage/dotnet/"
cp -r "$dotnet_root/host" "$stage/dotnet/"
cp -r "$runtime_dir" "$stage/dotnet/shared/Microsoft.NETCore.App/"
echo "runtime: $(basename "$runtime_dir") (rlsc asks for $runtime or later)"

cp -r "$shared/third-party/torchsharp-0.107.0-native" "$stage/torchsharp-native"
mkdir -p "$stage/mirror/models"
cp -r "$shared/models/qwen2.5-tokenizer" "$stage/mirror/models/"
git -C "$repo" rev-parse HEAD > "$stage/commit.txt"

tar -C "$stage" -cJf "$out/kit.tar.xz" .
kit=$(stat -c %s "$out/kit.tar.xz")
tree=$(git -C "$repo" ls-files -z | xargs -0 stat -c %s 2>/dev/null | awk '{s+=$1} END {print s}')
printf 'kit.tar.xz %.1f MiB + tracked tree %.1f MiB = %.1f MiB (limit 64 MiB)\n' \
  "$(echo "$kit/1048576" | bc -l)" "$(echo "$tree/1048576" | bc -l)" "$(echo "($kit+$tree)/1048576" | bc -l)"
[ $((kit + tree)) -le $((64 * 1048576)) ] || { echo "build-kit: over the 64 MiB limit" >&2; exit 1; }
