#!/usr/bin/env python3
"""Independent float64 reference values for the gate's statistics (issue 18).

Recomputes, with nothing but Python's float64 arithmetic and its standard library, the numbers that
tests/Rlsc.Runtime.Tests/Gate/GateStatisticsTests.cs checks the C# code against:

  * the standard error of a suite metric clustered by problem, SE = sqrt(sum (s_i - mean)^2 / (n (n - 1))), for avg@k,
    maj@k and pass@k scores of a fixed set of problems, and the naive (samples-as-independent) SE for comparison;
  * the paired bootstrap of docs/gate.md ("Statistics"): SplitMix64 from seed 18, index = next() mod n, B resamples,
    p_worse = (1 + #{m* >= 0}) / (B + 1), p_gain = (1 + #{m* <= D}) / (B + 1), interval = sorted m* at
    floor(alpha B) and ceil((1 - alpha) B) - 1;
  * the normal quantiles used by the power statement, from statistics.NormalDist.

Run: python3 eng/gate/reference.py > eng/gate/reference-values.json
"""
import json
import math
from statistics import NormalDist

MASK = (1 << 64) - 1

# 20 problems, k = 8: correct samples per problem before (base) and after (model), and whether the majority answer
# was right. Made up to cover all-right, all-wrong, ties and both directions of change.
BASE_CORRECT = [8, 6, 5, 3, 0, 8, 4, 7, 2, 6, 5, 1, 8, 3, 6, 0, 7, 4, 5, 2]
MODEL_CORRECT = [8, 8, 7, 2, 0, 8, 6, 8, 4, 7, 5, 3, 8, 6, 7, 1, 8, 3, 7, 2]
MODEL_MAJORITY = [True, True, True, False, False, True, True, True, False, True, True, False, True, True, True, False, True, False, True, False]
K = 8


def clustered_se(scores):
    n = len(scores)
    mean = sum(scores) / n
    return math.sqrt(sum((s - mean) ** 2 for s in scores) / (n * (n - 1)))


def pass_at_k(n, c, k):
    # 1 - C(n - c, k) / C(n, k), exactly, with integer binomials.
    if n - c < k:
        return 1.0
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def paired_bootstrap(differences, alpha, min_gain, resamples, seed):
    n = len(differences)
    state = seed
    means = []
    for _ in range(resamples):
        total = 0.0
        for _ in range(n):
            state, r = splitmix64(state)
            total += differences[r % n]
        means.append(total / n)
    not_worse = sum(1 for m in means if m >= 0)
    not_above = sum(1 for m in means if m <= min_gain)
    means.sort()
    low = means[int(math.floor(alpha * resamples))]
    high = means[min(resamples - 1, int(math.ceil((1 - alpha) * resamples)) - 1)]
    mean = 0.0
    for d in differences:
        mean += d
    mean /= n
    return {
        "mean_difference": mean, "low": low, "high": high,
        "p_worse": (1 + not_worse) / (resamples + 1), "p_gain": (1 + not_above) / (resamples + 1),
    }


def main():
    avg = [c / K for c in MODEL_CORRECT]
    maj = [1.0 if m else 0.0 for m in MODEL_MAJORITY]
    pass2 = [pass_at_k(K, c, 2) for c in MODEL_CORRECT]
    p = sum(avg) / len(avg)
    differences = [(m - b) / K for m, b in zip(MODEL_CORRECT, BASE_CORRECT)]
    out = {
        "k": K,
        "base_correct": BASE_CORRECT,
        "model_correct": MODEL_CORRECT,
        "model_majority": MODEL_MAJORITY,
        "avg_at_k": {"mean": p, "clustered_se": clustered_se(avg), "naive_se": math.sqrt(p * (1 - p) / (len(avg) * K))},
        "maj_at_k": {"mean": sum(maj) / len(maj), "clustered_se": clustered_se(maj)},
        "pass_at_2": {"mean": sum(pass2) / len(pass2), "clustered_se": clustered_se(pass2)},
        "paired_gain_0": paired_bootstrap(differences, 0.05, 0.0, 2000, 18),
        "paired_gain_0.05": paired_bootstrap(differences, 0.05, 0.05, 2000, 18),
        "paired_reversed": paired_bootstrap([-d for d in differences], 0.05, 0.0, 2000, 18),
        "splitmix64_seed_18_first": splitmix64(18)[1],
        "normal_quantile": {str(q): NormalDist().inv_cdf(q) for q in (0.8, 0.9, 0.95, 0.975, 0.99, 0.001)},
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
