#!/usr/bin/env bash
# The prepared run on the GPU machine (PyTorch with CUDA, CMake, ninja, nvcc; no .NET, no network). From the
# repository root, with the kit built by eng/gpu/build-kit.sh at artifacts/gpu-kit/kit.tar.xz:
#
#   OUT=/some/folder eng/gpu/run.sh            # every stage, within RLSC_GPU_BUDGET_S seconds (default 570)
#   RLSC_GPU_STAGES=train,lora7b eng/gpu/run.sh   # chosen stages only (a second command; the unpacked kit is reused)
#
# Stages: env unpack libtorchsharp doctor parity bandwidth decode peer-decode train peer-train lora7b. Each stage's
# output goes to $OUT/<stage>.log, its exit code and time to $OUT/summary.txt; a failing stage does not stop the
# others. What each figure means: docs/gpu.md.
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${OUT:-$repo/gpu-out}"; mkdir -p "$OUT"
work="${RLSC_GPU_WORK:-/tmp/rlsc-gpu}"
budget="${RLSC_GPU_BUDGET_S:-570}"
stages=",${RLSC_GPU_STAGES:-env,unpack,libtorchsharp,doctor,parity,bandwidth,decode,peer-decode,train,peer-train,lora7b},"
start=$SECONDS
summary="$OUT/summary.txt"

stage() {  # stage NAME SECONDS command... : runs when chosen and time is left, with a timeout of min(SECONDS, time left)
  local name=$1 want=$2; shift 2
  [[ "$stages" == *",$name,"* ]] || return 0
  local left=$((budget - (SECONDS - start)))
  if [ "$left" -lt 15 ]; then echo "$name: skipped, no time left" | tee -a "$summary"; return 0; fi
  local limit=$((want < left ? want : left)) began=$SECONDS rc
  timeout --kill-after=5 "$limit" "$@" > "$OUT/$name.log" 2>&1; rc=$?
  echo "$name: exit $rc after $((SECONDS - began)) s (limit $limit s)$([ $rc = 124 ] && echo ', TIMED OUT')" | tee -a "$summary"
}

export DOTNET_ROOT="$work/dotnet" PATH="$work/dotnet:$PATH" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export RLSC_LIBTORCH="${RLSC_LIBTORCH:-python}" RLSC_MIRROR="$work/mirror" RLSC_CACHE="$work/cache" HF_HUB_OFFLINE=1
rlsc="dotnet $work/rlsc/rlsc.dll"
native="$work/rlsc"   # a RID-specific publish puts the natives beside rlsc.dll, where TorchSharp loads them

stage env 30 bash -c 'date -u; nvidia-smi; python3 -c "import torch, transformers; print(\"torch\", torch.__version__, \"cuda\", torch.version.cuda, \"available\", torch.cuda.is_available(), torch.cuda.get_device_name()); print(\"transformers\", transformers.__version__); print(\"cmake_prefix_path\", torch.utils.cmake_prefix_path)"; cmake --version | head -1; ninja --version; nvcc --version | tail -1; c++ --version | head -1'
stage unpack 60 bash -c "[ -x '$work/dotnet/dotnet' ] || { mkdir -p '$work' && tar -xJf '$repo/artifacts/gpu-kit/kit.tar.xz' -C '$work'; }; '$work/dotnet/dotnet' --info | head -20; cat '$work/commit.txt'"
# The packaged libLibTorchSharp (LibTorch 2.10) against this PyTorch's LibTorch: ldd -r, and a build only if it does not link.
stage libtorchsharp 300 "$repo/eng/libtorchsharp/build.sh" --libtorch "${RLSC_GPU_LIBTORCH:-python}" --check "$native/libLibTorchSharp.so" --install "$native" \
  --source "$work/torchsharp-native/src/Native" --out "$work/libtorchsharp" --logs "$OUT/libtorchsharp"
stage doctor 60 $rlsc doctor
stage parity 150 bash -c "python3 '$repo/eng/gpu/parity_check.py' '$rlsc' cuda float32 '$OUT/parity' && python3 '$repo/eng/gpu/parity_check.py' '$rlsc' cuda bfloat16 '$OUT/parity'"
stage bandwidth 40 python3 "$repo/eng/gpu/peer.py" bandwidth --json "$OUT/peer.jsonl"
# Qwen2.5-Math-7B shape, bf16, random weights: decode step (model + sampler + the host reading the tokens) at 512 and 3072.
stage decode 200 bash -c "$rlsc bench generate --presets qwen2.5-math-7b --dtype bfloat16 --device cuda --batch 16 --prompt 64 --contexts 512,3072 --steps 12 --new-tokens 16 --skip-uncached --json '$OUT/decode-b16.json' && \
  $rlsc bench generate --presets qwen2.5-math-7b --dtype bfloat16 --device cuda --batch 1 --prompt 64 --contexts 512,3072 --steps 12 --new-tokens 16 --skip-uncached --json '$OUT/decode-b1.json'"
stage peer-decode 200 python3 "$repo/eng/gpu/peer.py" decode --json "$OUT/peer.jsonl"
# One RLSC step on the Qwen2.5-Math-1.5B shape: 16 samples x 512 new tokens, full fine-tuning (float32 master weights
# on the GPU: the trainer's rule), after a warm-up step.
stage train 240 $rlsc bench finetune --preset qwen2.5-math-1.5b --device cuda --steps 2 --samples 16 --max-new-tokens 512 --progress plain
stage peer-train 120 python3 "$repo/eng/gpu/peer.py" train --json "$OUT/peer.jsonl"
stage lora7b 300 $rlsc bench finetune --preset qwen2.5-math-7b --device cuda --lora --steps 2 --samples 16 --max-new-tokens 512 --progress plain
nvidia-smi --query-gpu=name,memory.total,memory.used --format=csv >> "$summary" 2>&1 || true
echo "done in $((SECONDS - start)) s; logs in $OUT" | tee -a "$summary"
