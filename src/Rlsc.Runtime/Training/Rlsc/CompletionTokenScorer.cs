using static TorchSharp.torch;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// <see cref="TokenScores"/> from a model's final hidden states rather than its logits: only the positions whose
/// next token is a completion token go through the LM head (prompt and padding rows never do), in row chunks
/// (<see cref="ChunkedTokenLogProbs"/>), so no (B, T, V) tensor exists. The values equal
/// <see cref="TokenScores.FromLogits"/> on the same model to float32 rounding.
/// </summary>
public static class CompletionTokenScorer
{
    /// <param name="hidden">(B, T, C) final hidden states, differentiable when grad is on.</param>
    /// <param name="headWeight">(V, C) the LM head weight.</param>
    /// <param name="inputIds">(B, T) int64, prompt then completion then right padding.</param>
    /// <param name="completionMask">(B, T) 1 on completion tokens.</param>
    /// <param name="temperature">T, applied inside the log-softmax.</param>
    public static TokenScores Score(Tensor hidden, Tensor headWeight, Tensor inputIds, Tensor completionMask, double temperature,
        long chunkElements = ChunkedTokenLogProbs.DefaultChunkElements)
    {
        using var scope = NewDisposeScope();
        long b = inputIds.shape[0], t = inputIds.shape[1];
        var dtype = ChunkedLmHeadFunction.ComputeType(headWeight.dtype);
        if (t < 2)
            return new TokenScores(zeros([b, t], dtype: dtype, device: hidden.device).MoveToOuterDisposeScope(),
                zeros([b, t], dtype: dtype, device: hidden.device).MoveToOuterDisposeScope());

        // The hidden state at t-1 predicts token t: keep the rows whose next token is scored.
        var rows = completionMask.narrow(1, 1, t - 1).reshape(-1).nonzero().squeeze(1);                   // (N)
        var states = hidden.narrow(1, 0, t - 1).reshape(b * (t - 1), -1).index_select(0, rows);          // (N, C)
        var targets = inputIds.narrow(1, 1, t - 1).reshape(-1).index_select(0, rows);                    // (N)
        var scores = ChunkedTokenLogProbs.Compute(states, headWeight, targets, temperature, chunkElements);

        var logProbs = zeros(b * (t - 1), dtype: dtype, device: hidden.device).index_add(0, rows, scores.LogProbs, 1);
        Tensor entropy;
        using (no_grad())
            entropy = zeros(b * (t - 1), dtype: dtype, device: hidden.device).index_add(0, rows, scores.Entropy.detach(), 1);
        // Position 0 is never scored: nothing predicts it.
        var shiftedLogProbs = nn.functional.pad(logProbs.reshape(b, t - 1), [1, 0]);                     // (B, T)
        var shiftedEntropy = nn.functional.pad(entropy.reshape(b, t - 1), [1, 0]);                       // (B, T)
        return new TokenScores(shiftedLogProbs.MoveToOuterDisposeScope(), shiftedEntropy.MoveToOuterDisposeScope());
    }
}
