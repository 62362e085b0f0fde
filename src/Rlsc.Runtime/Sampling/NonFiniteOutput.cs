using Rlsc.Core;
using TorchSharp;

namespace Rlsc.Runtime.Sampling;

/// <summary>
/// Stops generation and scoring when the model's log-probabilities are NaN or infinite. They are finite for any
/// finite logits (log_softmax is computed stably), so a non-finite one means the weights hold NaN or infinite values
/// (a diverged or damaged checkpoint) or the activations overflow in the model's dtype. Carrying on would only write
/// garbage, and JSON cannot even hold NaN: `rlsc generate` and `rlsc score` died in the serializer.
/// </summary>
public static class NonFiniteOutput
{
    /// <summary>Throws RLSC015 when <paramref name="values"/> holds NaN or an infinity.</summary>
    /// <param name="where">What was being computed, e.g. "generation step 3 of prompt 0".</param>
    /// <param name="checkpoint">The model's folder, when known (else <see cref="NameCheckpoint"/> adds it later).</param>
    public static void Check(ReadOnlySpan<float> values, string where, string? checkpoint = null)
    {
        foreach (float v in values)
            if (!float.IsFinite(v))
                throw Error($"log-probabilities are {(float.IsNaN(v) ? "NaN" : "infinite")}", where, checkpoint);
    }

    /// <summary>
    /// Throws RLSC015 for logits with a row that has no finite maximum (a NaN or +infinity in it, or nothing but
    /// -infinity). The decoder checks the rows itself, inside its one device-to-host copy per step, and calls this.
    /// </summary>
    public static void ThrowNonFiniteLogits(string where) => throw Error("logits are NaN or infinite", where, null);

    static RlscException Error(string what, string where, string? checkpoint) =>
        new(ErrorCodes.NonFiniteModelOutput,
            $"the model's {what} ({where}): its weights hold NaN or infinite values, or its activations overflow in this " +
            "dtype. Nothing was written. Check the checkpoint (was it saved by a diverged run?), or load it in float32 (--dtype float32).",
            checkpoint);

    /// <summary>The same error with the checkpoint's folder as its file, for callers that know which model it was.</summary>
    public static RlscException NameCheckpoint(RlscException e, string checkpoint) =>
        e.Code == ErrorCodes.NonFiniteModelOutput && e.File is null ? new RlscException(e.Code, e.Message, checkpoint, inner: e) : e;
}
