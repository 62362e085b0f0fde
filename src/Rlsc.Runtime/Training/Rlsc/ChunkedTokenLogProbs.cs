using static TorchSharp.torch;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>Per-row log p of the target token and entropy, both (N) and differentiable.</summary>
public sealed record ChunkedRowScores(Tensor LogProbs, Tensor Entropy);

/// <summary>
/// log p(target) and entropy of the temperature-T distribution softmax(h W^T / T) for chosen hidden rows, computed
/// in row chunks so that memory is O(chunk x V) in the forward and in the backward pass (see
/// <see cref="ChunkedLmHeadFunction"/>), and the result equals log_softmax(logits / T).gather(target) to float32
/// rounding. Gradients flow to the hidden rows and to the head weight (unless it is frozen); an objective may use
/// the entropy too (its gradient is exact), or ignore it at no cost.
/// </summary>
public static class ChunkedTokenLogProbs
{
    /// <summary>Elements of one (chunk x V) block: 32M float32 = 128 MB, ~210 rows of Qwen's vocabulary.
    /// Large enough that the head's matrix product streams the weight once per ~200 rows, not per row.</summary>
    public const long DefaultChunkElements = 1L << 25;

    /// <param name="hidden">(N, C) final hidden states of the rows to score (after the last norm).</param>
    /// <param name="headWeight">(V, C) the LM head (the tied embedding for tied models).</param>
    /// <param name="targets">(N) int64 token predicted at each row.</param>
    /// <param name="temperature">T &gt; 0, applied inside the softmax.</param>
    /// <param name="chunkElements">Upper bound on rows x V of one chunk.</param>
    public static ChunkedRowScores Compute(Tensor hidden, Tensor headWeight, Tensor targets, double temperature, long chunkElements = DefaultChunkElements)
    {
        if (hidden.dim() != 2 || headWeight.dim() != 2 || targets.dim() != 1 || hidden.shape[1] != headWeight.shape[1] || targets.shape[0] != hidden.shape[0])
            throw new ArgumentException($"shapes disagree: hidden ({string.Join(", ", hidden.shape)}), head weight ({string.Join(", ", headWeight.shape)}), targets ({string.Join(", ", targets.shape)}); expected (N, C), (V, C), (N).");
        if (!(temperature > 0) || !double.IsFinite(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive and finite");
        var dtype = ChunkedLmHeadFunction.ComputeType(headWeight.dtype);
        if (hidden.shape[0] == 0)
            return new ChunkedRowScores(zeros(0, dtype: dtype, device: hidden.device), zeros(0, dtype: dtype, device: hidden.device));
        long chunkRows = Math.Clamp(chunkElements / headWeight.shape[0], 1, hidden.shape[0]);
        var outputs = ChunkedLmHeadFunction.apply(hidden, headWeight, targets.to_type(ScalarType.Int64), temperature, chunkRows);
        return new ChunkedRowScores(outputs[0], outputs[1]);
    }
}
