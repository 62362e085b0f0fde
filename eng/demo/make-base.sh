#!/usr/bin/env bash
# Reproduces the embedded default's data and base model (docs/embedded-default.md, "The base model"):
#   1. the arith task (test, unlabeled train, noisy warm-up) into eval-suites/data/arith,
#   2. the byte-level BPE tokenizer learned from the warm-up split into models/arith-base,
#   3. a randomly initialised 1.85M-parameter Qwen2 (configs/arith-base/model-config.json, seed 1),
#   4. supervised warm-up with `rlsc sft` (configs/arith-base/sft.json),
#   5. the final SFT checkpoint copied into models/arith-base (weights, config, tokenizer).
# Run from the repository root after `dotnet build RlscPipeline.sln -c Release`. Every step is seeded, so the files
# come out identical on the same CPU type; OMP_NUM_THREADS=1 only affects speed (use it on a busy machine).
set -euo pipefail
rlsc() { dotnet src/Rlsc.Cli/bin/Release/net10.0/rlsc.dll "$@"; }

rlsc demo make-task --seed 1 --out eval-suites/data/arith
rlsc demo make-tokenizer --data eval-suites/data/arith/warmup.jsonl --out models/arith-base
rm -rf artifacts/arith-base
rlsc init-model --config configs/arith-base/model-config.json --tokenizer models/arith-base --seed 1 --out artifacts/arith-base/init
rlsc sft --config configs/arith-base/sft.json --progress plain
cp artifacts/arith-base/sft/checkpoints/final/{config.json,generation_config.json,model.safetensors,tokenizer.json,tokenizer_config.json} models/arith-base/
echo "models/arith-base: $(sha256sum models/arith-base/model.safetensors)"
