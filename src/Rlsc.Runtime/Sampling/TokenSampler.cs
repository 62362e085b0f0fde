using TorchSharp;
using static TorchSharp.torch;

namespace Rlsc.Sampling;

/// <summary>
/// Draws one token per row from logits and reports its log-probability.
///
/// Method: inverse-CDF sampling. One uniform u per row; the token is the first index whose cumulative
/// (unnormalised) weight exceeds u × total, found by a binary search. That is an exact draw from the
/// categorical distribution, like multinomial, but costs one exp pass, one cumsum and a search, where
/// torch.multinomial over 151,936 logits at batch 16 costs ~58 ms on 2 CPU cores (docs/model.md has the numbers).
/// Filtering (top-k, then top-p as Hugging Face orders them) works on the top candidates only: top-p grows the
/// candidate set until the nucleus fits in it, so it never sorts the whole vocabulary for a peaked distribution.
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
        Tensor tokens;
        if (temperature == 0 || topK == 1)
        {
            if (temperature == 0) temperature = 1;
            tokens = x.argmax(-1, keepdim: true);                            // (B, 1)
            var lp = x.gather(-1, tokens) / temperature - (x / temperature).logsumexp(-1, keepdim: true);
            return (tokens.squeeze(-1).MoveToOuterDisposeScope(), lp.squeeze(-1).MoveToOuterDisposeScope());
        }

        var scaled = temperature == 1 ? x : x / temperature;                  // (B, V)
        var max = scaled.max(-1, keepdim: true).values;                      // (B, 1)
        var shifted = scaled - max;                                          // (B, V), <= 0
        Tensor logTotal;                                                     // log sum exp(shifted), the full-vocabulary normaliser
        if (topK <= 0 && topP >= 1)
        {
            var cdf = shifted.exp().cumsum(-1);                              // (B, V)
            var total = cdf.narrow(1, vocab - 1, 1);                         // (B, 1)
            tokens = Search(cdf, total, uniforms).clamp_max(vocab - 1);      // (B, 1)
            logTotal = total.log();
        }
        else
        {
            logTotal = shifted.exp().sum(-1, keepdim: true).log();           // (B, 1)
            tokens = SampleFiltered(shifted, logTotal, topP, topK <= 0 ? vocab : Math.Min(topK, vocab), uniforms);
        }
        var logProbs = shifted.gather(-1, tokens) - logTotal;                // (B, 1)
        return (tokens.squeeze(-1).MoveToOuterDisposeScope(), logProbs.squeeze(-1).MoveToOuterDisposeScope());
    }

    // Index of the first cumulative weight above u × total (right = true skips zero-weight tokens). The target
    // is kept strictly below the total: float rounding of u × total could otherwise land on it.
    static Tensor Search(Tensor cdf, Tensor total, Tensor uniforms)       // cdf (B, K), total (B, 1) -> (B, 1)
    {
        var target = (uniforms.unsqueeze(-1) * total).minimum(total.nextafter(zeros_like(total)));
        return searchsorted(cdf, target, right: true);
    }

    // Top-k, then top-p over the top-k renormalised (HF's order), on the k largest logits only.
    static Tensor SampleFiltered(Tensor shifted, Tensor logTotal, float topP, long topK, Tensor uniforms)  // -> (B, 1)
    {
        long vocab = shifted.shape[1];
        // With top-p alone the nucleus is usually small: try 64 candidates and double until it fits.
        long k = topP < 1 && topK == vocab ? Math.Min(64, vocab) : topK;
        while (true)
        {
            using var attempt = NewDisposeScope();
            var (values, indices) = shifted.topk((int)k, dim: -1, largest: true, sorted: true);  // (B, k) descending
            var weights = values.exp();                                                        // (B, k)
            if (topP < 1)
            {
                // Mass of each candidate relative to the (top-k filtered) distribution.
                var normaliser = topK < vocab ? weights.sum(-1, keepdim: true) : logTotal.exp();
                var probabilities = weights / normaliser;
                var inclusive = probabilities.cumsum(-1);                                      // (B, k)
                bool fits = k == topK || inclusive.narrow(1, k - 1, 1).ge(topP).all().item<bool>();
                if (!fits)
                {
                    k = Math.Min(topK, 2 * k);
                    continue;
                }
                // Keep a candidate when the mass strictly before it is below top-p (the first one always).
                var keep = (inclusive - probabilities).lt(topP);
                weights = weights * keep;
            }
            var cdf = weights.cumsum(-1);                                                      // (B, k)
            var choice = Search(cdf, cdf.narrow(1, k - 1, 1), uniforms).clamp_max(k - 1);     // (B, 1)
            return indices.gather(-1, choice).MoveToOuterDisposeScope();
        }
    }
}
