#!/usr/bin/env python3
"""The peer measurements beside rlsc's on the same GPU, same shapes, random weights (no download):
  bandwidth  device-to-device copy of 4 GiB: bytes read + written per second (the decode floor's denominator)
  decode     transformers' Qwen2ForCausalLM, Qwen2.5-Math-7B shape, bf16: ms per decode step (model + argmax) at batch 1
             and 16, context 512 and 3072, after a prefill into a DynamicCache; torch.cuda.synchronize around each timing
  train      one forward/backward of the Qwen2.5-Math-1.5B shape, bf16, 16 sequences x (64 + 512) tokens, AdamW step:
             seconds, achieved TFLOP/s (6 x parameters x tokens / forward-backward seconds), peak allocated/reserved
Usage: peer.py decode|train|bandwidth [--json F]. Prints one JSON line per measurement (and appends it to F).
"""
import json, sys, time
import torch

what = sys.argv[1]
out = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None
dev = torch.device("cuda")

def emit(record):
    line = json.dumps(record)
    print(line, flush=True)
    if out:
        with open(out, "a") as f:
            f.write(line + "\n")

def timed(fn, repeat):
    fn(); torch.cuda.synchronize()
    times = []
    for _ in range(repeat):
        t = time.perf_counter(); fn(); torch.cuda.synchronize(); times.append(time.perf_counter() - t)
    return min(times), sorted(times)[len(times) // 2]

def shape(name):
    from transformers import Qwen2Config
    if name == "7b":
        return Qwen2Config(vocab_size=152064, hidden_size=3584, intermediate_size=18944, num_hidden_layers=28,
                           num_attention_heads=28, num_key_value_heads=4, max_position_embeddings=4096,
                           rope_theta=10000.0, tie_word_embeddings=False)
    return Qwen2Config(vocab_size=151936, hidden_size=1536, intermediate_size=8960, num_hidden_layers=28,
                       num_attention_heads=12, num_key_value_heads=2, max_position_embeddings=4096,
                       rope_theta=10000.0, tie_word_embeddings=True)

def random_model(name):
    from transformers import Qwen2ForCausalLM
    torch.manual_seed(0)
    config = shape(name)
    config._attn_implementation = "sdpa"
    with torch.device(dev):
        torch.set_default_dtype(torch.bfloat16)
        model = Qwen2ForCausalLM(config)
        torch.set_default_dtype(torch.float32)
    return model

if what == "bandwidth":
    a = torch.empty(4 << 30, dtype=torch.uint8, device=dev); b = torch.empty_like(a)
    best, _ = timed(lambda: b.copy_(a), 10)
    emit({"measure": "bandwidth", "bytes_per_second": 2 * a.numel() / best, "gpu": torch.cuda.get_device_name()})

elif what == "decode":
    from transformers import DynamicCache
    model = random_model("7b").eval()
    weight_bytes = sum(p.numel() * p.element_size() for p in model.parameters())
    for batch in (1, 16):
        for context in (512, 3072):
            with torch.no_grad():
                ids = torch.randint(0, 151000, (batch, context), device=dev)
                cache = DynamicCache()
                logits = model(input_ids=ids, past_key_values=cache, use_cache=True).logits[:, -1]
                steps = []
                for _ in range(12):
                    torch.cuda.synchronize(); t = time.perf_counter()
                    nxt = logits.argmax(-1, keepdim=True)
                    logits = model(input_ids=nxt, past_key_values=cache, use_cache=True).logits[:, -1]
                    nxt.cpu()  # the host has the token, as a generate loop needs it
                    torch.cuda.synchronize(); steps.append(time.perf_counter() - t)
                steps = steps[2:]
                del cache
            emit({"measure": "decode", "impl": "transformers", "batch": batch, "context": context,
                  "ms_per_step_min": 1e3 * min(steps), "ms_per_step_median": 1e3 * sorted(steps)[len(steps) // 2],
                  "weight_bytes": weight_bytes})
            torch.cuda.empty_cache()

elif what == "train":
    model = random_model("1.5b").train()
    params = sum(p.numel() for p in model.parameters())
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-5)
    ids = torch.randint(0, 151000, (16, 64 + 512), device=dev)
    torch.cuda.reset_peak_memory_stats()
    for step in range(3):
        torch.cuda.synchronize(); t = time.perf_counter()
        loss = model(input_ids=ids, labels=ids).loss
        loss.backward()
        torch.cuda.synchronize(); fb = time.perf_counter() - t
        optimizer.step(); optimizer.zero_grad(set_to_none=True)
        torch.cuda.synchronize(); total = time.perf_counter() - t
    emit({"measure": "train", "impl": "pytorch", "shape": "qwen2.5-math-1.5b", "dtype": "bfloat16", "tokens": ids.numel(),
          "parameters": params, "forward_backward_s": fb, "step_s": total, "tflops": 6 * params * ids.numel() / fb / 1e12,
          "peak_allocated_bytes": torch.cuda.max_memory_allocated(), "peak_reserved_bytes": torch.cuda.max_memory_reserved()})
