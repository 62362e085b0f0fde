#!/usr/bin/env python3
"""An independent PyTorch/transformers reference for one RLSC training step (arXiv 2506.06395).

Written from the paper's formulas (docs/training.md, "The algorithm"), not from our C#:

  log p(y_i|x) = sum over y_i's completion tokens t of log_softmax(logits[t-1] / T)[y_i,t]     (T = 0.5)
  paper:       w_i = exp(log p_old(y_i|x))                        (p_old: the same forward, detached)
  normalized:  w_i = exp(log p_old(y_i|x)) / sum_j exp(log p_old(y_j|x))
  renormalize: c_i = (w_i + alpha) / sum_j (w_j + alpha), otherwise c_i = w_i + alpha         (alpha = 0.1)
  loss = -(1/N) sum_i c_i * log p_theta(y_i|x)             (mean over the N samples, one question per step)

The model is the tiny transformers-written checkpoint tests/Rlsc.Runtime.Tests/Model/HfParity/qwen2-gqa in
float64 (RMSNorm without transformers' float32 cast, as eng/hf-parity/make_reference.py does). The batch is the
layout RlscTrainer builds (SequenceBatch): prompt, then completion, then right padding (pad id 0); attention mask 1
on prompt and completion. The N completions are sampled from the model itself at T with a seeded generator
(so that the paper's w = p_old(y|x) is not ~0 and its part of the gradient is actually checked), cut to fixed,
different lengths.

Run from the repository root on a machine with torch and transformers (CPU is enough):

    python3 eng/rlsc-reference/make_reference.py --out /tmp/rlsc-reference

and copy <out>/rlsc-reference.json to tests/Rlsc.Runtime.Tests/Training/RlscReference/. Exits 1 on a crash.
"""
import argparse
import json
import math
import os
import platform
import sys
import types

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402

SCHEMA = "rlsc.rlsc-reference/v1"
CHECKPOINT = "tests/Rlsc.Runtime.Tests/Model/HfParity/qwen2-gqa"
TEMPERATURE = 0.5
ALPHA = 0.1
PROMPT = [94, 17, 42, 5, 63]           # bos then a few ids (vocab 96)
COMPLETION_LENGTHS = [3, 7, 1, 5, 2, 6]  # N = 6, all different: the padding differs per row
PAD_ID = 0
SEED = 2506
CASES = [
    dict(name="paper", weighting="paper", alpha=ALPHA, renormalize=False),
    dict(name="normalized", weighting="normalized", alpha=ALPHA, renormalize=False),
    dict(name="normalized-renormalized", weighting="normalized", alpha=ALPHA, renormalize=True),
]
# Full gradients of these (small) tensors; every parameter's gradient norm is recorded too.
FULL_GRADIENTS = ["model.norm.weight", "model.layers.0.self_attn.k_proj.bias", "model.layers.1.input_layernorm.weight"]


def r17(x):
    """A float64 written with 17 significant digits: it reads back bit for bit."""
    if torch.is_tensor(x):
        x = x.detach().item()
    return float(repr(float(x)))


# ---- the RLSC step, from the paper ------------------------------------------------------------------------------

def build_batch(prompt, completions, pad_id):
    """Right-padded prompt+completion rows: ids, attention mask (prompt and completion), completion mask; (N, L)."""
    length = max(len(prompt) + len(c) for c in completions)
    ids = torch.full((len(completions), length), pad_id, dtype=torch.long)
    attention = torch.zeros_like(ids)
    completion = torch.zeros_like(ids)
    for i, c in enumerate(completions):
        row = list(prompt) + list(c)
        ids[i, :len(row)] = torch.tensor(row)
        attention[i, :len(row)] = 1
        completion[i, len(prompt):len(row)] = 1
    return ids, attention, completion


def sequence_log_probs(logits, ids, completion_mask, temperature):
    """log p(y|x) per row: logits (N, L, V) at position t-1 score token t; sum over the completion's tokens. (N)"""
    out = []
    for i in range(ids.shape[0]):
        total = logits.new_zeros(())
        for t in range(1, ids.shape[1]):
            if completion_mask[i, t]:
                total = total + torch.log_softmax(logits[i, t - 1] / temperature, dim=-1)[ids[i, t]]
        out.append(total)
    return torch.stack(out)


def coefficients(old_log_probs, weighting, alpha, renormalize):
    """(w, c) from the detached log p_old(y_i|x), (N) each."""
    old = old_log_probs.detach()
    if weighting == "paper":
        w = torch.exp(old)
    elif weighting == "normalized":
        m = old.max()
        e = torch.exp(old - m)
        w = e / e.sum()
    else:
        raise ValueError(weighting)
    c = w + alpha
    if renormalize:
        c = c / c.sum()
    return w, c


def rlsc_loss(seq_log_probs, c):
    """-(1/N) sum_i c_i log p_theta(y_i|x): mean over the N samples (docs/training.md's default)."""
    return -(c * seq_log_probs).sum() / seq_log_probs.shape[0]


def step(model, ids, attention, completion, case):
    """One forward and backward; the loss, log-probs, weights, coefficients and gradients, all float64."""
    model.zero_grad(set_to_none=True)
    logits = model(input_ids=ids, attention_mask=attention).logits          # (N, L, V)
    if logits.dtype != torch.float64:
        raise RuntimeError(f"logits are {logits.dtype}, expected float64")
    seq = sequence_log_probs(logits, ids, completion, TEMPERATURE)           # (N)
    w, c = coefficients(seq, case["weighting"], case["alpha"], case["renormalize"])
    loss = rlsc_loss(seq, c)
    loss.backward()
    grads = {n: p.grad.detach().clone() for n, p in model.named_parameters() if p.grad is not None}
    missing = [n for n, p in model.named_parameters() if p.grad is None]
    if missing:
        raise RuntimeError(f"no gradient for {missing}")
    full = [n for n in FULL_GRADIENTS if n in grads] or sorted(grads)[:1]
    global_norm = math.sqrt(sum(float((g * g).sum()) for g in grads.values()))
    return dict(
        name=case["name"], weighting=case["weighting"], alpha=case["alpha"], renormalize=case["renormalize"],
        sample_reduction="mean", loss=r17(loss), sequence_log_probs=[r17(x) for x in seq.tolist()],
        weights=[r17(x) for x in w.tolist()], coefficients=[r17(x) for x in c.tolist()],
        global_grad_norm=r17(global_norm),
        grad_norms={n: r17(g.norm()) for n, g in grads.items()},
        full_gradients={n: [r17(x) for x in grads[n].reshape(-1).tolist()] for n in full},
        full_gradient_shapes={n: list(grads[n].shape) for n in full})


def sample_completions(model, prompt, lengths, temperature, seed):
    """Completion i: the first lengths[i] tokens of a sample from the model at the temperature (float64, CPU)."""
    g = torch.Generator().manual_seed(seed)
    out = []
    with torch.no_grad():
        for n in lengths:
            row = list(prompt)
            for _ in range(n):
                logits = model(input_ids=torch.tensor([row])).logits[0, -1]
                probs = torch.softmax(logits / temperature, dim=-1)
                row.append(int(torch.multinomial(probs, 1, generator=g)))
            out.append(row[len(prompt):])
    return out


# ---- transformers in float64 ------------------------------------------------------------------------------------

def norm_keep_float64(self, hidden_states):
    # transformers' RMSNorm.forward without its cast to float32 (which would cap a float64 reference at float32).
    variance = hidden_states.pow(2).mean(-1, keepdim=True)
    return self.weight * (hidden_states * torch.rsqrt(variance + norm_eps(self)))


def norm_eps(module):
    for attr in ("variance_epsilon", "eps", "epsilon"):
        if hasattr(module, attr):
            return getattr(module, attr)
    raise RuntimeError(f"{type(module).__name__} has no epsilon attribute")


def load_float64(directory):
    from transformers import AutoModelForCausalLM
    model = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float32, attn_implementation="sdpa").double()
    norms = [m for m in model.modules() if type(m).__name__.endswith("RMSNorm")]
    if not norms:
        raise RuntimeError("no RMSNorm modules found")
    # The replacement is transformers' formula: check it on float32 inputs before trusting it in float64.
    x = torch.randn(3, 4, model.config.hidden_size, generator=torch.Generator().manual_seed(0))
    for m in norms:
        m32 = type(m)(model.config.hidden_size, eps=norm_eps(m))
        m32.weight.data = m.weight.data.float()
        if (m32(x) - norm_keep_float64(m32, x)).abs().max() > 1e-6:
            raise RuntimeError("the float64 RMSNorm replacement differs from transformers' on float32")
        m.forward = types.MethodType(norm_keep_float64, m)
    model.train()   # dropout is 0; train() as a training step runs
    return model


def self_check():
    """The step's arithmetic on a toy model, against closed forms (runs without transformers: --self-check)."""
    torch.manual_seed(0)
    v, hidden = 11, 6

    class Toy(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = torch.nn.Embedding(v, hidden).double()
            self.head = torch.nn.Linear(hidden, v).double()

        def forward(self, input_ids, attention_mask=None):
            return types.SimpleNamespace(logits=self.head(torch.tanh(self.emb(input_ids).cumsum(1))))

    model = Toy()
    completions = sample_completions(model, [1, 2, 3], [2, 4, 1], TEMPERATURE, 5)
    ids, attention, completion = build_batch([1, 2, 3], completions, 0)
    assert ids.shape == (3, 7) and completion.sum() == 7 and attention.sum() == 9 + 7 - 0
    logits = model(ids).logits
    seq = sequence_log_probs(logits, ids, completion, TEMPERATURE)
    # Vectorised form of the same sum.
    lp = torch.log_softmax(logits[:, :-1] / TEMPERATURE, -1).gather(-1, ids[:, 1:, None])[..., 0]
    assert torch.allclose(seq, (lp * completion[:, 1:]).sum(1), atol=1e-12, rtol=0)
    w, c = coefficients(seq, "normalized", 0.1, True)
    assert abs(float(w.sum()) - 1) < 1e-12 and abs(float(c.sum()) - 1) < 1e-12
    w, c = coefficients(seq, "paper", 0.1, False)
    assert torch.allclose(w, seq.exp()) and torch.allclose(c, seq.exp() + 0.1)
    # The gradient of the loss w.r.t. log p_i is -c_i / N (w is detached).
    s = seq.detach().clone().requires_grad_(True)
    _, c = coefficients(s, "paper", 0.1, False)
    rlsc_loss(s, c).backward()
    assert torch.allclose(s.grad, -c / 3, atol=1e-15, rtol=0)
    r = step(model, ids, attention, completion, CASES[0])
    print("self-check ok:", r["loss"], r["sequence_log_probs"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.environ.get("OUT", "/tmp/rlsc-reference"))
    ap.add_argument("--self-check", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)   # deterministic CPU reductions
    if args.self_check:
        self_check()
        return
    import transformers
    os.makedirs(args.out, exist_ok=True)
    model = load_float64(CHECKPOINT)
    completions = sample_completions(model, PROMPT, COMPLETION_LENGTHS, TEMPERATURE, SEED)
    ids, attention, completion = build_batch(PROMPT, completions, PAD_ID)
    results = [step(model, ids, attention, completion, case) for case in CASES]
    for r in results:
        if sorted(r["full_gradients"]) != sorted(FULL_GRADIENTS):
            raise RuntimeError(f"expected parameters {FULL_GRADIENTS}, got {sorted(r['full_gradients'])}")
    reference = dict(
        schema=SCHEMA, checkpoint=CHECKPOINT, dtype="float64",
        float64_reference="weights upcast to float64, SDPA attention, RMSNorm without its float32 cast; "
                          "rotary cos/sin as transformers computes them",
        temperature=TEMPERATURE, pad_id=PAD_ID, sampling_seed=SEED, prompt=PROMPT, completions=completions,
        input_ids=ids.tolist(), attention_mask=attention.tolist(), completion_mask=completion.tolist(),
        cases=results,
        versions=dict(python=platform.python_version(), torch=torch.__version__, transformers=transformers.__version__))
    path = os.path.join(args.out, "rlsc-reference.json")
    with open(path + ".tmp", "w") as f:
        json.dump(reference, f, indent=1)
    os.replace(path + ".tmp", path)
    for r in results:
        print(f"{r['name']}: loss {r['loss']!r} log p {r['sequence_log_probs']} w {r['weights']} "
              f"grad norm {r['global_grad_norm']!r}")
    print("wrote", path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    try:
        main()
    except Exception:
        import traceback
        traceback.print_exc()
        sys.exit(1)
