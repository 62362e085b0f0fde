#!/usr/bin/env bash
# The embedded default's step time, split: runs `rlsc finetune` on configs/default.json without its evaluation for a
# few steps and prints the median (over the steps after the first) of the trainer's own time/* metrics and the first
# losses, which must not change when only the speed does. Used for docs/training.md ("The loss phase packed").
# Usage (from the repository root, after a Release build): bash eng/demo/step-times.sh [RLSC_DLL] [STEPS] [extra rlsc args]
set -euo pipefail
dll="${1:-src/Rlsc.Cli/bin/Release/net10.0/rlsc.dll}"
steps="${2:-8}"
shift $(( $# > 2 ? 2 : $# ))
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
dotnet "$dll" finetune --config configs/default.json --set 'evaluation.suites=[]' --steps "$steps" --output "$out/run" --progress none "$@" | tail -1
python3 - "$out/run/metrics.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
later = rows[1:] or rows
median = lambda key: statistics.median(r[key] for r in later)
print(f"median of steps {later[0]['step']}-{later[-1]['step']}: forward/backward {median('time/forward_backward_seconds'):.3f} s, "
      f"sampling {median('time/sampling_seconds'):.3f} s, step {median('time/step_seconds'):.3f} s, "
      f"forwarded tokens {median('tokens/forward_with_padding'):.0f}")
print("losses of steps 1-4:", ", ".join(f"{r['train/loss']:.4f}" for r in rows[:4]))
PY
