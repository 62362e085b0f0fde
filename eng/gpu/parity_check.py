#!/usr/bin/env python3
"""The Hugging Face parity fixture (tests/Rlsc.Runtime.Tests/Model/HfParity/reference.json, arith-base entry) scored by
rlsc on a device and dtype, without the .NET SDK (the GPU machine has only the runtime, so the NUnit tests cannot run
there). Two checks, with the CPU tests' tolerances (HfParityTests: 4x transformers' own float32 error, 2x its bfloat16
error; doubled here because a log-probability carries the error of a logit and of the log-sum-exp):
  1. log p(v | prefix) for the fixture's vocabulary subset at every real position, by `rlsc score`, against
     transformers' float64 logits minus its float64 log-sum-exp;
  2. greedy continuations by `rlsc generate --temperature 0`, token for token, where transformers' top-2 margin is
     clear (float32 only: bfloat16 may flip near ties, as in the CPU tests).
Usage: parity_check.py RLSC_COMMAND DEVICE DTYPE OUT_DIR   (RLSC_COMMAND e.g. "dotnet /path/rlsc.dll"). Exit 1 on failure.
"""
import json, os, shlex, subprocess, sys

rlsc, device, dtype, out = shlex.split(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
reference = json.load(open(os.path.join(repo, "tests/Rlsc.Runtime.Tests/Model/HfParity/reference.json")))
arith = reference["arith_base"]
model = os.path.join(repo, arith["folder"])
factor = {"float32": 4.0, "bfloat16": 2.0}[dtype]
tolerance = 2 * factor * max(arith[f"hf_cpu_{dtype}_max_abs_diff"], arith[f"hf_cuda_{dtype}_max_abs_diff"])
os.makedirs(out, exist_ok=True)

forward = arith["forward"]
subset = forward["vocab_subset"]
lines, expected = [], []
for b, (ids, mask) in enumerate(zip(forward["input_ids"], forward["attention_mask"])):
    real = [i for i, m in zip(ids, mask) if m]
    row = forward["rows"][b]
    for t in range(len(real)):
        for j, v in enumerate(subset):
            lines.append({"id": len(lines), "prompt_ids": real[: t + 1], "completion_ids": [v]})
            expected.append(row["logits_at_vocab_subset"][t][j] - row["logsumexp"][t])
score_in = os.path.join(out, f"score-{dtype}.in.jsonl")
score_out = os.path.join(out, f"score-{dtype}.out.jsonl")
with open(score_in, "w") as f:
    f.writelines(json.dumps(l) + "\n" for l in lines)
subprocess.run(rlsc + ["score", "--model", model, "--input", score_in, "--device", device, "--dtype", dtype,
                       "--batch-size", "256", "--output", score_out], check=True)
got = {int(r["id"]): r["token_logprobs"][0] for r in map(json.loads, open(score_out))}
worst = max(abs(got[i] - e) for i, e in enumerate(expected))
ok = worst < tolerance
print(f"parity {device} {dtype}: max |log p rlsc - log p transformers float64| = {worst:.3e} over {len(expected)} "
      f"(position, token) pairs; tolerance {tolerance:.3e}: {'PASS' if ok else 'FAIL'}")

if dtype == "float32":
    generation = arith["generation"]
    gen_in = os.path.join(out, "greedy.in.jsonl")
    gen_out = os.path.join(out, "greedy.out.jsonl")
    clear = [s for s in generation["sequences"] if s.get("min_top2_margin", 1.0) > 10 * tolerance]
    with open(gen_in, "w") as f:
        f.writelines(json.dumps({"id": i, "prompt_ids": s["prompt_ids"]}) + "\n" for i, s in enumerate(clear))
    subprocess.run(rlsc + ["generate", "--model", model, "--input", gen_in, "--temperature", "0", "--max-new-tokens",
                           str(generation["max_new_tokens"]), "--device", device, "--dtype", dtype, "--output", gen_out], check=True)
    outputs = {int(r["id"]): r["token_ids"] for r in map(json.loads, open(gen_out))}
    same = sum(outputs[i] == s["completion_ids"] for i, s in enumerate(clear))
    print(f"greedy {device} {dtype}: {same} of {len(clear)} sequences identical to transformers'")
    ok = ok and same == len(clear)
sys.exit(0 if ok else 1)
