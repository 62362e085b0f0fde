using TorchSharp;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// Per-token log-probabilities and entropies of sequences under log_softmax(logits / T), the temperature-T
/// distribution they were sampled from. Position t holds log p(x_t | x_&lt;t) (predicted by the logits at t-1);
/// positions outside the completion mask (prompt, padding, position 0) hold 0.
/// </summary>
/// <param name="LogProbs">(B, T), differentiable when the logits are.</param>
/// <param name="Entropy">(B, T) entropy of the predicted distribution at each completion token, no gradient.</param>
public sealed record TokenScores(Tensor LogProbs, Tensor Entropy)
{
    /// <param name="logits">(B, T, V) the model's raw logits for the input sequence.</param>
    /// <param name="inputIds">(B, T) int64 token ids, prompt then completion then right padding.</param>
    /// <param name="completionMask">(B, T) 1 on completion tokens, 0 on prompt and padding.</param>
    /// <param name="temperature">The sampling temperature T, applied inside the log-softmax.</param>
    public static TokenScores FromLogits(Tensor logits, Tensor inputIds, Tensor completionMask, double temperature)
    {
        using var scope = NewDisposeScope();
        long b = logits.shape[0], t = logits.shape[1];
        if (logits.dim() != 3 || inputIds.shape[0] != b || inputIds.shape[1] != t || completionMask.shape[0] != b || completionMask.shape[1] != t)
            throw new ArgumentException($"shapes disagree: logits {Shape(logits)}, input ids {Shape(inputIds)}, mask {Shape(completionMask)}; expected (B, T, V), (B, T), (B, T).");

        // Logits at t-1 predict token t. float32 at least: log-softmax over a 150k vocabulary in bfloat16 loses the tail.
        var scaled = logits[.., ..(int)(t - 1), ..].to_type(Promote(logits.dtype)) / temperature;   // (B, T-1, V)
        var logProbsAll = nn.functional.log_softmax(scaled, dim: -1);                                // (B, T-1, V)
        var targets = inputIds[.., 1..].unsqueeze(-1);                                               // (B, T-1, 1)
        var picked = logProbsAll.gather(-1, targets).squeeze(-1);                                    // (B, T-1)
        var mask = completionMask[.., 1..].to_type(picked.dtype);                                    // (B, T-1)
        var tokenLogProbs = nn.functional.pad(picked * mask, [1, 0]);                                // (B, T)

        Tensor entropy;
        using (no_grad())
        {
            var detached = logProbsAll.detach();
            var perToken = -(detached.exp() * detached).sum(-1);                                     // (B, T-1)
            entropy = nn.functional.pad(perToken * mask, [1, 0]);                                    // (B, T)
        }
        return new TokenScores(tokenLogProbs.MoveToOuterDisposeScope(), entropy.MoveToOuterDisposeScope());
    }

    /// <summary>log p(y|x): the SUM of the completion tokens' log-probs, (B).</summary>
    public Tensor SequenceLogProbs() => LogProbs.sum(-1);

    static ScalarType Promote(ScalarType t) => t == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;

    static string Shape(Tensor x) => "(" + string.Join(", ", x.shape) + ")";
}
