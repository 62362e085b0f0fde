using TorchSharp;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Sampling;

/// <summary>
/// Draws one token per row from logits and reports its log-probability.
///
/// Method: two-level inverse-CDF sampling. One uniform u per row picks the token whose cumulative weight interval
/// holds u × total, an exact draw from the categorical distribution like torch.multinomial, but much cheaper
/// over a 152K vocabulary (multinomial costs ~58 ms at batch 16 on 2 cores; docs/model.md has the measurements).
/// The vocabulary is cut into blocks of ~sqrt(V): one vectorised pass sums each block, a search over the few
/// hundred block totals finds the block, and only that block is scanned. So a step costs a fused softmax and a
/// sum over the logits (read-only), with no full-length cumulative sum (a read-write scan) and no sort.
/// Filtering (top-k, then top-p, in Hugging Face's order) works on the top candidates only: top-p grows the
/// candidate set until the nucleus fits in it (up to 1,024 candidates, then one sort of the row), so a peaked
/// distribution never sorts the whole vocabulary.
///
/// The reported log-prob is log_softmax(logits / T) over the FULL vocabulary at the sampled token, never the
/// filtered, renormalised distribution: it is p_old of RLSC and matches what teacher forcing computes.
/// </summary>
public static class TokenSampler
{
    /// <param name="logits">(B, V), any float dtype (computed in float32).</param>
    /// <param name="uniforms">(B) in [0, 1), float32 on logits' device; ignored when greedy.</param>
    /// <returns>tokens (B) int64 and their log-probs (B) float32.</returns>
    public static (Tensor Tokens, Tensor LogProbs) Sample(Tensor logits, float temperature, float topP, int topK, Tensor uniforms)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = logits.to(ScalarType.Float32);                               // (B, V)
        long vocab = x.shape[1];
        if (temperature == 0 || topK == 1)
        {
            if (temperature == 0) temperature = 1;
            var (best, tokens) = x.max(-1, keepdim: true);                   // (B, 1) each
            // The argmax's log-softmax at T: -log sum exp((x - max) / T), reusing the max.
            var shifted = x - best;
            if (temperature != 1) shifted.div_(temperature);
            var lp = shifted.exp_().sum(-1, keepdim: true).log_().neg_();
            return (tokens.squeeze(-1).MoveToOuterDisposeScope(), lp.squeeze(-1).MoveToOuterDisposeScope());
        }

        var scaled = temperature == 1 ? x : x / temperature;                  // (B, V)
        // One fused, vectorised kernel (max, exp, sum, divide). log p of a sampled token is log_softmax up to
        // float32 rounding: a token whose probability underflows to 0 has an empty interval and is never drawn.
        var probabilities = scaled.softmax(-1);                              // (B, V)
        Tensor chosen;
        if (topK <= 0 && topP >= 1)
            chosen = SampleBlocked(probabilities, uniforms);
        else
            chosen = SampleFiltered(probabilities, probabilities.sum(-1, keepdim: true), topP, topK <= 0 ? vocab : Math.Min(topK, vocab), uniforms);
        var logProbs = probabilities.gather(-1, chosen).log();               // (B, 1)
        return (chosen.squeeze(-1).MoveToOuterDisposeScope(), logProbs.squeeze(-1).MoveToOuterDisposeScope());
    }

    /// <summary>The block size for a vocabulary: ~sqrt(V), rounded up to a multiple of 16 (vectorised sums) from 256 up.</summary>
    internal static long BlockSize(long vocab)
    {
        long root = Math.Max(1, (long)Math.Ceiling(Math.Sqrt(vocab)));
        return root < 16 ? root : (root + 15) / 16 * 16;
    }

    // Two-level inverse CDF over weights (B, V) (probabilities, or any non-negative weights): the tokens (B, 1).
    static Tensor SampleBlocked(Tensor weights, Tensor uniforms)
    {
        long b = weights.shape[0], vocab = weights.shape[1];
        long size = BlockSize(vocab), full = vocab / size, tailLength = vocab - full * size;
        var blockSums = cat([
            weights.narrow(1, 0, full * size).view(b, full, size).sum(-1),         // (B, full)
            weights.narrow(1, full * size, tailLength).sum(-1, keepdim: true),     // (B, 1), the shorter last block
        ], 1);                                                                     // (B, full + 1)
        var blockCdf = blockSums.cumsum(-1);                                       // (B, full + 1)
        var total = blockCdf.narrow(1, full, 1);                                   // (B, 1)
        var target = Below(uniforms.unsqueeze(-1) * total, total);                 // (B, 1), in [0, total)
        var block = searchsorted(blockCdf, target, right: true).clamp_max(full);   // (B, 1): first block whose cdf exceeds the target
        var before = blockCdf.gather(1, block) - blockSums.gather(1, block);       // (B, 1): weight of the blocks before it

        var offsets = arange(size, dtype: ScalarType.Int64, device: weights.device);         // (size)
        var candidates = block * size + offsets;                                             // (B, size)
        var inside = candidates.lt(vocab);                                                   // the last block is shorter
        var local = weights.gather(1, candidates.clamp_max(vocab - 1)) * inside;             // (B, size)
        var localCdf = local.cumsum(-1);                                                     // (B, size)
        var localTotal = localCdf.narrow(1, size - 1, 1);
        // Rounding can put the remaining target a hair outside the block: keep it inside.
        var remaining = Below((target - before).clamp_min(0), localTotal);
        var position = searchsorted(localCdf, remaining, right: true).clamp_max(size - 1);  // (B, 1)
        return candidates.gather(1, position);
    }

    // Clamps a target strictly below the total: float rounding of u × total could otherwise land on it, and
    // right-searching a value equal to the last cumulative weight would run past the end.
    static Tensor Below(Tensor target, Tensor total) => target.minimum(total.nextafter(zeros_like(total)));

    /// <summary>Largest candidate set tried with topk before top-p falls back to sorting the whole row.</summary>
    const long MaxCandidates = 1024;

    // Top-k, then top-p over the top-k renormalised (HF's order), on the k largest weights only.
    static Tensor SampleFiltered(Tensor weights, Tensor total, float topP, long topK, Tensor uniforms)  // -> (B, 1)
    {
        long vocab = weights.shape[1];
        // With top-p alone the nucleus of a language model is usually small: try 64 candidates and double until it
        // fits; a flat distribution whose nucleus exceeds 1,024 candidates is sorted once instead.
        long k = topP < 1 && topK == vocab ? Math.Min(64, vocab) : topK;
        while (true)
        {
            using var attempt = NewDisposeScope();
            var (values, indices) = k == vocab
                ? weights.sort(dim: -1, descending: true)                                    // (B, V)
                : weights.topk((int)k, dim: -1, largest: true, sorted: true);                 // (B, k) descending
            if (topP < 1)
            {
                // Mass of each candidate relative to the (top-k filtered) distribution.
                var normaliser = topK < vocab ? values.sum(-1, keepdim: true) : total;
                var probabilities = values / normaliser;
                var inclusive = probabilities.cumsum(-1);                                      // (B, k)
                bool fits = k == topK || inclusive.narrow(1, k - 1, 1).ge(topP).all().item<bool>();
                if (!fits)
                {
                    k = 2 * k > MaxCandidates ? topK : Math.Min(topK, 2 * k);
                    continue;
                }
                // Keep a candidate when the mass strictly before it is below top-p (the first one always).
                values = values * (inclusive - probabilities).lt(topP);
            }
            var cdf = values.cumsum(-1);                                                       // (B, k)
            var choice = searchsorted(cdf, Below(uniforms.unsqueeze(-1) * cdf.narrow(1, k - 1, 1), cdf.narrow(1, k - 1, 1)), right: true).clamp_max(k - 1);
            return indices.gather(-1, choice).MoveToOuterDisposeScope();
        }
    }
}
