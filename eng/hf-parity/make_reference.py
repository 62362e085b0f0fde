#!/usr/bin/env python3
"""Reference outputs of Hugging Face transformers for RlscPipeline's parity tests.

Writes the fixture that tests/Rlsc.Runtime.Tests/Model/HfParityTests.cs reads (see README.md beside this file):

  HF -> us   Tiny random Qwen2 / Llama models made and saved by transformers (save_pretrained, safetensors), with
             transformers' float64 logits for a padded batch and its greedy generations. The tests load these folders
             through our loader and compare.
  us -> HF   Our committed checkpoint models/arith-base (written by our CheckpointWriter) loaded by transformers
             (AutoModelForCausalLM, AutoTokenizer): token ids of prompts, float64 logits and greedy completions.

"float64 reference" means: weights upcast to float64 (exact), SDPA attention in float64, and transformers' RMSNorm
evaluated in the input dtype. transformers' RMSNorm always computes in float32 (hidden_states.to(torch.float32)),
which would cap a float64 reference at float32 precision; the replacement below is the same formula without that
cast and is checked to equal transformers' own forward bit for bit on float32 inputs. Rotary cos/sin stay in
float32 exactly as transformers computes them (our runtime does the same). The unpatched float64 difference is
reported as hf_float64_norm_in_float32_max_abs_diff.

Run on a machine with torch and transformers (a GPU adds the CUDA float32/bfloat16 measurements), from the
repository root:

    PYTHONUNBUFFERED=1 python3 eng/hf-parity/make_reference.py --out /tmp/hf-parity

It writes <out>/hf-parity-fixtures.tar.gz (unpack into tests/Rlsc.Runtime.Tests/Model/HfParity) and
<out>/summary.json, prints a summary, and exits with status 2 if anything unexpected happened (after writing what
it could), 1 on a crash.
"""
import argparse
import copy
import hashlib
import inspect
import json
import os
import platform
import shutil
import sys
import tarfile
import tempfile
import traceback
import types

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch  # noqa: E402

SCHEMA = "rlsc.hf-parity/v1"
PROBLEMS = []

# The tiny models (HF -> us). Small enough that the fixture stays a few hundred KB, shaped to exercise every
# branch: GQA with q/k/v bias, multi-query with tied embeddings and Qwen2.5's rope_theta, Llama with o_proj and
# MLP biases and a head_dim that is not hidden/heads, and a bfloat16 checkpoint.
TINY_MODELS = [
    dict(name="qwen2-gqa", arch="qwen2", vocab=96, hidden=32, intermediate=64, layers=2, heads=4, kv_heads=2,
         theta=10000.0, eps=1e-6, tied=False, seed=1,
         description="Qwen2ForCausalLM: 4 query / 2 KV heads, q/k/v bias, untied lm_head, float32"),
    dict(name="qwen2-tied-mqa", arch="qwen2", vocab=80, hidden=32, intermediate=48, layers=2, heads=4, kv_heads=1,
         theta=1000000.0, eps=1e-6, tied=True, seed=2,
         description="Qwen2ForCausalLM: tied embeddings, multi-query (1 KV head), rope_theta 1e6, float32"),
    dict(name="llama-bias-headdim", arch="llama", vocab=72, hidden=32, intermediate=64, layers=2, heads=4, kv_heads=2,
         head_dim=16, attention_bias=True, mlp_bias=True, theta=500000.0, eps=1e-5, tied=False, seed=3,
         description="LlamaForCausalLM: head_dim 16 (hidden 32 / 4 heads would be 8), q/k/v/o and MLP biases, float32"),
]
BF16_COPY_OF = "qwen2-gqa"   # saved again in bfloat16 as "qwen2-gqa-bf16"

FORWARD_LENGTH = 10
FORWARD_PADDING = [0, 3, 6]          # left padding of each row of the forward batch
GENERATION_PROMPT_LENGTHS = [1, 5, 8]
GENERATION_NEW_TOKENS = 12

ARITH_DIR = "models/arith-base"
ARITH_TEST = "eval-suites/data/arith/test.jsonl"
ARITH_QUESTIONS = 4
ARITH_FORWARD_QUESTIONS = 2
ARITH_NEW_TOKENS = 48               # eval-suites/arith.json's max_new_tokens
ARITH_VOCAB_SUBSET = 24
# src/Rlsc.Runtime/Tokenization/ChatTemplates.cs, template "qwen25-math-cot".
QWEN_MATH_SYSTEM = "Please reason step by step, and put your final answer within \\boxed{}."
TOKENIZER_EXTRA_TEXTS = [
    "  Caf\u00e9 and cafe\u0301 (NFC!)\n\n\t 12345 + 0.5 = ?  ",
    "<|im_start|>user\nIt's 3.14159... isn't it? \\boxed{42}<|im_end|>\n",
    "Tom's 7 apples; they'll    share   them\r\n\r\nok",
]


def problem(message):
    PROBLEMS.append(message)
    print("PROBLEM: " + message, flush=True)


def r13(x):
    """A float rounded to 13 significant digits (5e-14 relative: far below every tolerance the tests use)."""
    return float("%.13g" % x)


def rows(t):
    return [[r13(v) for v in row] for row in t.tolist()]


def max_abs_diff(a, b, mask):
    """max |a - b| over the positions where mask (B, T) is 1; a, b (B, T, V)."""
    d = (a.double().cpu() - b.double().cpu()).abs()
    return float(d[mask.bool()].max())


def rope_kwargs(config_class, theta):
    params = inspect.signature(config_class.__init__).parameters
    if "rope_parameters" in params:
        return {"rope_parameters": {"rope_type": "default", "rope_theta": theta}}
    return {"rope_theta": theta}


def make_config(spec):
    from transformers import LlamaConfig, Qwen2Config
    cls = Qwen2Config if spec["arch"] == "qwen2" else LlamaConfig
    v = spec["vocab"]
    kwargs = dict(vocab_size=v, hidden_size=spec["hidden"], intermediate_size=spec["intermediate"],
                  num_hidden_layers=spec["layers"], num_attention_heads=spec["heads"],
                  num_key_value_heads=spec["kv_heads"], max_position_embeddings=128, rms_norm_eps=spec["eps"],
                  tie_word_embeddings=spec["tied"], hidden_act="silu",
                  bos_token_id=v - 2, eos_token_id=v - 1, pad_token_id=0)
    if "head_dim" in spec:
        kwargs["head_dim"] = spec["head_dim"]
    if spec["arch"] == "llama":
        kwargs["attention_bias"] = spec.get("attention_bias", False)
        kwargs["mlp_bias"] = spec.get("mlp_bias", False)
    kwargs.update(rope_kwargs(cls, spec["theta"]))
    return cls(**kwargs)


def perturb(model, seed):
    """Replaces HF's init (N(0, 0.02), norms 1, biases 0) by weights that make every term matter: norms 1 + 0.2 N(0,1),
    everything else 0.3 N(0,1). named_parameters() lists a tied embedding once."""
    g = torch.Generator().manual_seed(1000 + seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=g, dtype=torch.float64)
            p.copy_((1 + 0.2 * noise) if name.endswith("norm.weight") else 0.3 * noise)


def save(model, directory):
    try:
        model.save_pretrained(directory, safe_serialization=True)
    except TypeError:  # transformers versions where safetensors is the only format
        model.save_pretrained(directory)
    names = sorted(os.listdir(directory))
    if "model.safetensors" not in names or any(n.endswith(".bin") for n in names):
        problem(f"{directory}: save_pretrained wrote {names}, expected model.safetensors")
    return names


def safetensors_listing(path):
    from safetensors import safe_open
    out = {}
    with safe_open(path, framework="pt") as f:
        for k in f.keys():
            t = f.get_slice(k)
            out[k] = [t.get_dtype(), list(t.get_shape())]
    return out


def load(directory, dtype):
    """from_pretrained with SDPA attention, checking the loading report is clean and the dtype is the one asked."""
    from transformers import AutoModelForCausalLM
    kwargs = dict(attn_implementation="sdpa", output_loading_info=True)
    try:
        model, info = AutoModelForCausalLM.from_pretrained(directory, dtype=dtype, **kwargs)
    except TypeError:
        model, info = AutoModelForCausalLM.from_pretrained(directory, torch_dtype=dtype, **kwargs)
    tied = bool(getattr(model.config, "tie_word_embeddings", False))
    for key in ("missing_keys", "unexpected_keys", "mismatched_keys"):
        values = [k for k in (info.get(key) or []) if not (tied and "lm_head" in str(k))]
        if values:
            problem(f"{directory}: from_pretrained reported {key} {values}")
    if model.dtype != dtype:
        model = model.to(dtype)
    model.eval()
    return model


def norm_keep_float64(self, hidden_states):
    # transformers' RMSNorm.forward with its float32 cast kept for every dtype but float64.
    input_dtype = hidden_states.dtype
    h = hidden_states if input_dtype == torch.float64 else hidden_states.to(torch.float32)
    variance = h.pow(2).mean(-1, keepdim=True)
    h = h * torch.rsqrt(variance + norm_eps(self))
    return self.weight * h.to(input_dtype)


def norm_eps(module):
    for attr in ("variance_epsilon", "eps", "epsilon"):
        if hasattr(module, attr):
            return getattr(module, attr)
    raise RuntimeError(f"{type(module).__name__} has no epsilon attribute")


def rms_norms(model):
    return [m for m in model.modules() if type(m).__name__.endswith("RMSNorm")]


def check_norm_patch(model32):
    """The replacement equals transformers' own forward on float32 inputs, bit for bit."""
    norms = rms_norms(model32)
    if not norms:
        raise RuntimeError("no RMSNorm modules found")
    g = torch.Generator().manual_seed(5)
    with torch.no_grad():
        for m in norms:
            x = 3 * torch.randn(2, 5, m.weight.shape[0], generator=g)
            if not torch.equal(m(x), norm_keep_float64(m, x)):
                raise RuntimeError(f"the float64 RMSNorm replacement differs from transformers' {type(m).__name__} on float32")


def float64_reference(directory, load_dtype=torch.float32, patch=True):
    model = load(directory, load_dtype).double()
    if patch:
        for m in rms_norms(model):
            m.forward = types.MethodType(norm_keep_float64, m)
    return model


def run_forward(model, ids, mask, positions, device="cpu"):
    with torch.no_grad():
        out = model(input_ids=ids.to(device), attention_mask=mask.to(device), position_ids=positions.to(device),
                    use_cache=False)
    return out.logits


def positions_of(mask):
    # What transformers' generate and our runtime use for left padding: real tokens numbered from 0.
    return (mask.cumsum(-1) - 1).clamp(min=0)


def greedy(model, prompt_ids, new_tokens, eos_ids, pad_id, device="cpu"):
    ids = torch.tensor([prompt_ids], device=device)
    with torch.no_grad():
        out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), do_sample=False, num_beams=1,
                             max_new_tokens=new_tokens, eos_token_id=eos_ids, pad_token_id=pad_id,
                             output_logits=True, return_dict_in_generate=True)
    new = out.sequences[0, len(prompt_ids):].tolist()
    margins = []
    for step, logits in enumerate(out.logits):
        top = torch.topk(logits[0].double(), 2)
        if int(top.indices[0]) != new[step]:
            problem(f"greedy step {step} chose {new[step]}, not the argmax {int(top.indices[0])}")
        margins.append(float(top.values[0] - top.values[1]))
    finish = "eos" if new and new[-1] in eos_ids else "length"
    return new, finish, min(margins)


def greedy_batched(model, prompts, new_tokens, eos_ids, pad_id):
    """transformers' own left-padded batch; each row cut after its first EOS."""
    length = max(len(p) for p in prompts)
    ids = torch.tensor([[pad_id] * (length - len(p)) + p for p in prompts])
    mask = torch.tensor([[0] * (length - len(p)) + [1] * len(p) for p in prompts])
    with torch.no_grad():
        out = model.generate(input_ids=ids, attention_mask=mask, do_sample=False, num_beams=1,
                             max_new_tokens=new_tokens, eos_token_id=eos_ids, pad_token_id=pad_id)
    result = []
    for row in out[:, length:].tolist():
        cut = next((i + 1 for i, t in enumerate(row) if t in eos_ids), len(row))
        result.append(row[:cut])
    return result


def device_diffs(directory, reference_logits, ids, mask, positions, checkpoint_dtype):
    """max |logit - float64 reference| of transformers itself in float32 and bfloat16, on the CPU and on CUDA."""
    out = {}
    dtypes = [("float32", torch.float32), ("bfloat16", torch.bfloat16)]
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    for dev in devices:
        for name, dtype in dtypes:
            model = load(directory, dtype).to(dev)
            logits = run_forward(model, ids, mask, positions, dev)
            out[f"hf_{dev}_{name}_max_abs_diff"] = max_abs_diff(logits, reference_logits, mask)
            del model
    unpatched = float64_reference(directory, checkpoint_dtype, patch=False)
    out["hf_float64_norm_in_float32_max_abs_diff"] = max_abs_diff(
        run_forward(unpatched, ids, mask, positions), reference_logits, mask)
    return out


def tiny_model(spec, root, bf16_copy):
    from transformers import AutoModelForCausalLM
    name = spec["name"]
    print(f"== {name}: {spec['description']}", flush=True)
    config = make_config(spec)
    torch.manual_seed(spec["seed"])
    try:
        model = AutoModelForCausalLM.from_config(config, attn_implementation="sdpa")
    except TypeError:
        model = AutoModelForCausalLM.from_config(config)
    model.eval()
    perturb(model, spec["seed"])
    tied = model.get_output_embeddings().weight is model.get_input_embeddings().weight
    if tied != spec["tied"]:
        problem(f"{name}: tie_word_embeddings={spec['tied']} but the head is {'' if tied else 'not '}the embedding")
    check_norm_patch(model)

    # HF's inv_freq from the theta we asked for: a wrong theta would make the fixture meaningless.
    head_dim = spec.get("head_dim", spec["hidden"] // spec["heads"])
    rotary = next(m for m in model.modules() if type(m).__name__.endswith("RotaryEmbedding"))
    inv_freq = rotary.inv_freq.detach().float().cpu()
    expected = 1.0 / (spec["theta"] ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim))
    if inv_freq.shape[0] != head_dim // 2 or (inv_freq.double() - expected).abs().max() > 1e-6:
        problem(f"{name}: rotary inv_freq {inv_freq.tolist()} does not match rope_theta {spec['theta']}")

    directories = [(name, model, spec["description"], torch.float32)]
    if bf16_copy:
        directories.append((name + "-bf16", copy.deepcopy(model).to(torch.bfloat16),
                            spec["description"].replace("float32", "saved in bfloat16"), torch.bfloat16))
    results = []
    for folder, m, description, dtype in directories:
        directory = os.path.join(root, folder)
        files = save(m, directory)
        with open(os.path.join(directory, "config.json")) as f:
            saved_config = json.load(f)
        listing = safetensors_listing(os.path.join(directory, "model.safetensors"))
        if spec["tied"] and "lm_head.weight" in listing:
            print(f"note: {folder}: tied checkpoint stores lm_head.weight too", flush=True)
        results.append(reference_for(spec, folder, directory, description, dtype, files, saved_config, listing, inv_freq))
    return results


def reference_for(spec, folder, directory, description, dtype, files, saved_config, listing, inv_freq):
    v = spec["vocab"]
    eos, pad = [v - 1], 0
    ref = float64_reference(directory, dtype)

    g = torch.Generator().manual_seed(100 + spec["seed"])
    ids = torch.randint(1, v - 2, (len(FORWARD_PADDING), FORWARD_LENGTH), generator=g)
    mask = torch.ones_like(ids)
    for b, padding in enumerate(FORWARD_PADDING):
        mask[b, :padding] = 0
        ids[b, :padding] = pad
    positions = positions_of(mask)
    logits = run_forward(ref, ids, mask, positions)
    if logits.dtype != torch.float64:
        problem(f"{folder}: transformers returned {logits.dtype} logits from a float64 model")
    real = mask.bool()
    if not torch.isfinite(logits[real]).all():
        problem(f"{folder}: non-finite reference logits")

    # transformers' own padding handling: each padded row equals the row run alone.
    padding_diff = 0.0
    for b in range(ids.shape[0]):
        alone_ids = ids[b][real[b]][None]
        alone = run_forward(ref, alone_ids, torch.ones_like(alone_ids), positions_of(torch.ones_like(alone_ids)))
        padding_diff = max(padding_diff, float((alone[0] - logits[b][real[b]]).abs().max()))

    stored = []
    for b in range(ids.shape[0]):
        stored.append([[r13(x) for x in logits[b, t].tolist()] if mask[b, t] else None for t in range(ids.shape[1])])

    generations = []
    gg = torch.Generator().manual_seed(200 + spec["seed"])
    prompts = [torch.randint(1, v - 2, (n,), generator=gg).tolist() for n in GENERATION_PROMPT_LENGTHS]
    for p in prompts:
        new, finish, margin = greedy(ref, p, GENERATION_NEW_TOKENS, eos, pad)
        generations.append({"prompt_ids": p, "output_ids": new, "finish_reason": finish, "min_top2_margin": r13(margin)})
    batched = greedy_batched(ref, prompts, GENERATION_NEW_TOKENS, eos, pad)
    batched_ok = batched == [x["output_ids"] for x in generations]
    if not batched_ok:
        print(f"note: {folder}: transformers' batched greedy {batched} != unbatched", flush=True)

    diffs = device_diffs(directory, logits, ids, mask, positions, dtype)
    cuda_greedy = None
    if torch.cuda.is_available():
        m32 = load(directory, torch.float32).to("cuda")
        cuda_greedy = all(greedy(m32, x["prompt_ids"], GENERATION_NEW_TOKENS, eos, pad, "cuda")[0] == x["output_ids"]
                          for x in generations)
        del m32

    print(f"   logits max |x| {float(logits[real].abs().max()):.3f}; HF padded vs alone {padding_diff:.2e}; "
          + ", ".join(f"{k[3:]} {val:.2e}" for k, val in diffs.items()), flush=True)
    return {
        "name": folder,
        "folder": folder,
        "attn_implementation": getattr(ref.config, "_attn_implementation", None),
        "description": description,
        "files": files,
        "config_json": saved_config,
        "tensors": listing,
        "inv_freq": [float(x) for x in inv_freq.tolist()],
        "forward": {
            "input_ids": ids.tolist(),
            "attention_mask": mask.tolist(),
            "position_ids": positions.tolist(),
            "logits": stored,
        },
        "reference_max_abs_logit": float(logits[real].abs().max()),
        "hf_padded_vs_alone_max_abs_diff": padding_diff,
        **diffs,
        "generation": {
            "max_new_tokens": GENERATION_NEW_TOKENS,
            "eos_token_ids": eos,
            "sequences": generations,
            "hf_batched_matches_unbatched": batched_ok,
            "hf_cuda_float32_greedy_matches": cuda_greedy,
        },
    }


def render_prompt(question):
    return f"<|im_start|>system\n{QWEN_MATH_SYSTEM}<|im_end|>\n<|im_start|>user\n{question}<|im_end|>\n<|im_start|>assistant\n"


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def arith_base(repo_root):
    from tokenizers import Tokenizer
    from transformers import AutoTokenizer, PreTrainedTokenizerFast
    print("== models/arith-base (written by our CheckpointWriter) in transformers", flush=True)
    directory = os.path.join(repo_root, ARITH_DIR)
    with open(os.path.join(repo_root, ARITH_TEST)) as f:
        problems = [json.loads(line) for _, line in zip(range(ARITH_QUESTIONS), f)]
    with open(os.path.join(directory, "config.json")) as f:
        config = json.load(f)
    vocab = config["vocab_size"]

    raw = Tokenizer.from_file(os.path.join(directory, "tokenizer.json"))
    try:
        fast = PreTrainedTokenizerFast(tokenizer_file=os.path.join(directory, "tokenizer.json"))
    except Exception:
        traceback.print_exc()
        problem("arith-base: PreTrainedTokenizerFast(tokenizer_file=...) failed")
        fast = None
    try:
        tokenizer = AutoTokenizer.from_pretrained(directory)
    except Exception:
        traceback.print_exc()
        problem("arith-base: AutoTokenizer.from_pretrained failed; using PreTrainedTokenizerFast")
        tokenizer = fast
    prompts = [render_prompt(p["question"]) for p in problems]
    template_ok = []
    for p in problems:
        try:
            rendered = tokenizer.apply_chat_template(
                [{"role": "system", "content": QWEN_MATH_SYSTEM}, {"role": "user", "content": p["question"]}],
                tokenize=False, add_generation_prompt=True)
        except Exception:
            traceback.print_exc()
            rendered = None
        template_ok.append(rendered == render_prompt(p["question"]))
    if not all(template_ok):
        problem("the checkpoint's chat_template renders [system, user] differently from qwen25-math-cot")

    tokenization = []
    for text in prompts + [p["question"] for p in problems] + TOKENIZER_EXTRA_TEXTS:
        ids_auto = tokenizer(text, add_special_tokens=True)["input_ids"]
        ids_fast = fast(text, add_special_tokens=True)["input_ids"] if fast is not None else None
        ids_raw = raw.encode(text, add_special_tokens=True).ids
        if not (ids_auto == ids_fast == ids_raw):
            problem(f"transformers' tokenizers disagree on {text!r}: auto {ids_auto} fast {ids_fast} raw {ids_raw}")
        tokenization.append({"text": text, "ids": ids_auto, "decoded": tokenizer.decode(ids_auto, skip_special_tokens=False),
                             "auto_fast_raw_agree": ids_auto == ids_fast == ids_raw,
                             "tokenizer_class": type(tokenizer).__name__})

    ref = float64_reference(directory, torch.float32)
    if config.get("tie_word_embeddings") and ref.get_output_embeddings().weight is not ref.get_input_embeddings().weight:
        problem("arith-base: transformers did not tie lm_head to embed_tokens")

    # A left-padded batch of the first prompts, as our Generation builds it.
    encoded = [tokenizer(p, add_special_tokens=True)["input_ids"] for p in prompts[:ARITH_FORWARD_QUESTIONS]]
    length = max(len(e) for e in encoded)
    pad = 614 if vocab > 614 else 0
    ids = torch.tensor([[pad] * (length - len(e)) + e for e in encoded])
    mask = torch.tensor([[0] * (length - len(e)) + [1] * len(e) for e in encoded])
    positions = positions_of(mask)
    logits = run_forward(ref, ids, mask, positions)
    real = mask.bool()
    g = torch.Generator().manual_seed(7)
    subset = sorted(set(torch.randperm(vocab, generator=g)[:ARITH_VOCAB_SUBSET].tolist()) | {614, 615, 616})
    forward_rows = []
    for b in range(ids.shape[0]):
        keep = real[b]
        row = logits[b][keep]                                     # (T_b, V)
        forward_rows.append({
            "logits_at_vocab_subset": rows(row[:, subset]),
            "logsumexp": [r13(x) for x in torch.logsumexp(row, -1).tolist()],
            "argmax": row.argmax(-1).tolist(),
            "last_position_logits": [r13(x) for x in row[-1].tolist()],
        })
    diffs = device_diffs(directory, logits, ids, mask, positions, torch.float32)

    eos = [616, 614]
    generations = []
    for p, prompt in zip(problems, prompts):
        prompt_ids = tokenizer(prompt, add_special_tokens=True)["input_ids"]
        new, finish, margin = greedy(ref, prompt_ids, ARITH_NEW_TOKENS, eos, 614)
        body = new[:-1] if finish == "eos" else new
        text = tokenizer.decode(body, skip_special_tokens=False)
        generations.append({"id": p["id"], "question": p["question"], "answer": p["answer"], "prompt_ids": prompt_ids,
                            "completion_ids": new, "text": text, "finish_reason": finish,
                            "min_top2_margin": r13(margin), "boxed_answer_correct": ("\\boxed{%s}" % p["answer"]) in text})
    cuda_greedy = None
    if torch.cuda.is_available():
        m32 = load(directory, torch.float32).to("cuda")
        cuda_greedy = all(greedy(m32, x["prompt_ids"], ARITH_NEW_TOKENS, eos, 614, "cuda")[0] == x["completion_ids"]
                          for x in generations)
        del m32
    print(f"   tokenizer {type(tokenizer).__name__}: {len(tokenization)} texts; logits max |x| "
          f"{float(logits[real].abs().max()):.3f}; " + ", ".join(f"{k[3:]} {v:.2e}" for k, v in diffs.items()), flush=True)
    for x in generations:
        print(f"   {x['id']}: {x['finish_reason']}, {len(x['completion_ids'])} tokens, margin {x['min_top2_margin']:.3f}: {x['text']!r}",
              flush=True)
    return {
        "folder": ARITH_DIR,
        "model_sha256": sha256(os.path.join(directory, "model.safetensors")),
        "tokenizer_json_sha256": sha256(os.path.join(directory, "tokenizer.json")),
        "prompt_template": "qwen25-math-cot",
        "chat_template_matches": all(template_ok),
        "tokenization": tokenization,
        "forward": {
            "questions": [p["question"] for p in problems[:ARITH_FORWARD_QUESTIONS]],
            "input_ids": ids.tolist(),
            "attention_mask": mask.tolist(),
            "vocab_subset": subset,
            "rows": forward_rows,
        },
        "reference_max_abs_logit": float(logits[real].abs().max()),
        **diffs,
        "generation": {
            "max_new_tokens": ARITH_NEW_TOKENS,
            "eos_token_ids": eos,
            "sequences": generations,
            "hf_cuda_float32_greedy_matches": cuda_greedy,
        },
    }


def rope_scaling_config(root):
    """A Llama 3.1-style rotary scaling config as this transformers writes it: our loader must refuse it."""
    from transformers import LlamaConfig
    folder = os.path.join(root, "llama3-rope-scaling")
    rope = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
            "original_max_position_embeddings": 8192, "rope_theta": 500000.0}
    params = inspect.signature(LlamaConfig.__init__).parameters
    kwargs = {"rope_parameters": rope} if "rope_parameters" in params else {"rope_scaling": rope, "rope_theta": 500000.0}
    config = LlamaConfig(architectures=["LlamaForCausalLM"], vocab_size=64, hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=131072, **kwargs)
    config.save_pretrained(folder)
    with open(os.path.join(folder, "config.json")) as f:
        saved = json.load(f)
    print("== llama3 rope scaling config.json keys: " +
          json.dumps({k: saved[k] for k in saved if "rope" in k}), flush=True)
    return {"folder": "llama3-rope-scaling", "config_json": saved}


def versions():
    import safetensors
    import tokenizers
    import transformers
    out = {"python": platform.python_version(), "torch": torch.__version__, "transformers": transformers.__version__,
           "safetensors": safetensors.__version__, "tokenizers": tokenizers.__version__}
    try:
        import numpy
        out["numpy"] = numpy.__version__
    except ImportError:
        pass
    out["cuda_device"] = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    out["float32_matmul_precision"] = torch.get_float32_matmul_precision()
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="folder for hf-parity-fixtures.tar.gz and summary.json")
    parser.add_argument("--repo-root", default=".", help="the repository root (models/arith-base, eval-suites/)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.use_deterministic_algorithms(False)
    work = tempfile.mkdtemp(prefix="hf-parity-")
    root = os.path.join(work, "HfParity")
    os.makedirs(root)

    reference = {"schema": SCHEMA, "generated_by": "eng/hf-parity/make_reference.py", "versions": versions(),
                 "float64_reference": "weights upcast to float64, SDPA attention, RMSNorm without its float32 cast, "
                                      "rotary cos/sin in float32 as transformers computes them",
                 "tiny_models": [], "arith_base": None, "rope_scaling": None}
    print(json.dumps(reference["versions"]), flush=True)
    for spec in TINY_MODELS:
        try:
            reference["tiny_models"].extend(tiny_model(spec, root, spec["name"] == BF16_COPY_OF))
        except Exception:
            traceback.print_exc()
            problem(f"{spec['name']}: crashed")
    try:
        reference["arith_base"] = arith_base(args.repo_root)
    except Exception:
        traceback.print_exc()
        problem("arith-base: crashed")
    try:
        reference["rope_scaling"] = rope_scaling_config(root)
    except Exception:
        traceback.print_exc()
        problem("rope scaling config: crashed")
    reference["problems"] = PROBLEMS

    with open(os.path.join(root, "reference.json"), "w") as f:
        json.dump(reference, f, separators=(",", ":"), sort_keys=False)
        f.write("\n")
    with tarfile.open(os.path.join(args.out, "hf-parity-fixtures.tar.gz"), "w:gz") as tar:
        tar.add(root, arcname="HfParity")

    def brief(entry):
        return {k: v for k, v in entry.items()
                if k.endswith("_diff") or k in ("name", "reference_max_abs_logit", "chat_template_matches", "files")}
    summary = {"versions": reference["versions"], "problems": PROBLEMS,
               "tiny_models": [dict(brief(m), generation={k: v for k, v in m["generation"].items() if k != "sequences"},
                                    min_margin=min(s["min_top2_margin"] for s in m["generation"]["sequences"]),
                                    finishes=[s["finish_reason"] for s in m["generation"]["sequences"]])
                               for m in reference["tiny_models"]],
               "arith_base": brief(reference["arith_base"]) if reference["arith_base"] else None,
               "fixture_bytes": {os.path.relpath(os.path.join(d, n), root): os.path.getsize(os.path.join(d, n))
                                 for d, _, ns in os.walk(root) for n in ns}}
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary, indent=1), flush=True)
    shutil.rmtree(work, ignore_errors=True)
    if PROBLEMS:
        print(f"{len(PROBLEMS)} problem(s); see above", flush=True)
        sys.exit(2)
    print("ok", flush=True)


if __name__ == "__main__":
    main()
