using static TorchSharp.torch;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>What an objective may need beyond the completion tokens' log-probs.</summary>
[Flags]
public enum ScoreNeeds
{
    /// <summary>Only log p(y|x) (rlsc, ttrl).</summary>
    LogProbs = 0,
    /// <summary>The token entropies with their gradient (entropy).</summary>
    EntropyWithGradient = 1,
    /// <summary>The mean over completion tokens of KL(uniform || p), no gradient (self_certainty).</summary>
    SelfCertainty = 2,
}

/// <summary>
/// One row per sampled completion: the per-sequence quantities the label-free objectives are built from, all under
/// the temperature-T distribution log_softmax(logits / T) that was sampled, over the completion tokens only.
/// </summary>
/// <param name="Tokens">Per-token log-probs (differentiable) and entropies (no gradient).</param>
/// <param name="EntropySums">(B) sum over completion tokens of H(p_t), differentiable; null unless asked for.</param>
/// <param name="SelfCertainty">(B) mean over completion tokens of KL(U || p_t), no gradient; null unless asked for.</param>
/// <param name="Lengths">(B) completion tokens per row (float, for averaging).</param>
public sealed record RowScores(TokenScores Tokens, Tensor? EntropySums, Tensor? SelfCertainty, Tensor Lengths)
{
    /// <summary>log p(y|x), (B), differentiable.</summary>
    public Tensor SequenceLogProbs() => Tokens.SequenceLogProbs();

    /// <summary>Rows [start, start + count): one question's share of a micro-batch that holds several.</summary>
    public RowScores Slice(long start, long count) => new(
        new TokenScores(Tokens.LogProbs.narrow(0, start, count), Tokens.Entropy.narrow(0, start, count)),
        EntropySums?.narrow(0, start, count), SelfCertainty?.narrow(0, start, count), Lengths.narrow(0, start, count));

    /// <summary>Rows from per-token scores computed elsewhere (the chunked LM head): log-probs only.</summary>
    /// <param name="completionMask">(B, T) 1 on completion tokens.</param>
    public static RowScores FromTokens(TokenScores tokens, Tensor completionMask)
    {
        using var scope = NewDisposeScope();
        var lengths = completionMask[.., 1..].to_type(tokens.LogProbs.dtype).sum(-1);
        return new RowScores(tokens, null, null, lengths.MoveToOuterDisposeScope());
    }

    /// <param name="logits">(B, T, V) raw logits of prompt + completion.</param>
    /// <param name="inputIds">(B, T) ids; <paramref name="completionMask"/> (B, T) 1 on completion tokens.</param>
    public static RowScores FromLogits(Tensor logits, Tensor inputIds, Tensor completionMask, double temperature, ScoreNeeds needs)
    {
        var tokens = TokenScores.FromLogits(logits, inputIds, completionMask, temperature);
        using var scope = NewDisposeScope();
        long t = logits.shape[1];
        var mask = completionMask[.., 1..].to_type(tokens.LogProbs.dtype);              // (B, T-1): token t scored at t-1
        var lengths = mask.sum(-1);
        Tensor? entropySums = null, selfCertainty = null;
        if (needs != ScoreNeeds.LogProbs)
        {
            // The whole next-token distribution is needed here (not only the sampled token's probability). This is a
            // second log-softmax over (B, T-1, V): the memory of TokenScores' own one again, only for these objectives.
            var logP = nn.functional.log_softmax(logits[.., ..(int)(t - 1), ..].to_type(tokens.LogProbs.dtype) / temperature, dim: -1);
            if (needs.HasFlag(ScoreNeeds.EntropyWithGradient))
                entropySums = (-(logP.exp() * logP).sum(-1) * mask).sum(-1);                 // gradient flows through p and log p
            if (needs.HasFlag(ScoreNeeds.SelfCertainty))
                using (no_grad())
                {
                    // KL(U || p) = sum_v (1/V) log((1/V) / p_v) = -log V - mean_v log p_v.
                    double logV = Math.Log(logits.shape[2]);
                    var perToken = -logP.detach().mean([-1L]) - logV;
                    selfCertainty = (perToken * mask).sum(-1) / lengths.clamp_min(1);     // 0 for an empty completion
                }
        }
        return new RowScores(tokens, entropySums?.MoveToOuterDisposeScope(), selfCertainty?.MoveToOuterDisposeScope(),
            lengths.MoveToOuterDisposeScope());
    }
}
