using static TorchSharp.torch;
using Rlsc.Core.Config;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// The RLSC loss of one question's N sampled completions:
///   c_i = w(y_i) + alpha  (optionally renormalised to sum to 1),   loss = -scale * sum_i c_i * log p_theta(y_i|x),
/// where w comes from p_old (the model before this update; no gradient flows through it) and
/// scale = 1/N for mean reduction (1 for sum) times 1/Q for the mean over a step's Q questions.
/// </summary>
public sealed class RlscObjective(RlscLossOptions options)
{
    public RlscLossOptions Options { get; } = options;

    /// <summary>
    /// True when a sample's coefficient depends on the other samples (normalized weighting, renormalisation):
    /// then all N sequence log-probs must be known before the first micro-batch's backward pass.
    /// </summary>
    public bool NeedsAllSamples => Options.Weighting == Weighting.Normalized || Options.Renormalize;

    /// <summary>w(y_i) from the N samples' log p_old(y_i|x), (N) -> (N), no gradient.</summary>
    public Tensor Weights(Tensor oldSequenceLogProbs)
    {
        using var _ = no_grad();
        var old = oldSequenceLogProbs.detach();
        return Options.Weighting switch
        {
            // exp(sum of ~thousands of log-probs) underflows to 0 for long completions: documented, faithful.
            Weighting.Paper => old.exp(),
            // Softmax over the N samples: exp(l_i - max) / sum_j exp(l_j - max), never underflows for all i.
            Weighting.Normalized => nn.functional.softmax(old, dim: 0),
            _ => throw new ArgumentOutOfRangeException(nameof(Options.Weighting), Options.Weighting, "unknown weighting"),
        };
    }

    /// <summary>c_i = w_i + alpha, renormalised over the N samples when asked; (N) -> (N), no gradient.</summary>
    public Tensor Coefficients(Tensor weights)
    {
        using var _ = no_grad();
        var c = weights + Options.Alpha;
        return Options.Renormalize ? c / c.sum() : c;
    }

    /// <summary>The factor that turns sum_i c_i * (-log p_i) into the configured reduction.</summary>
    public double Scale(int samplesPerQuestion, int questionsPerStep) =>
        (Options.SampleReduction == Reduction.Mean ? 1.0 / samplesPerQuestion : 1.0) *
        (Options.QuestionReduction == Reduction.Mean ? 1.0 / questionsPerStep : 1.0);

    /// <summary>
    /// The loss of some of a question's samples (a micro-batch): -scale * sum_i c_i * log p_i.
    /// Summing it over the micro-batches gives the question's loss, so gradients accumulate exactly.
    /// </summary>
    /// <param name="sequenceLogProbs">(n) log p_theta(y_i|x), differentiable.</param>
    /// <param name="coefficients">(n) c_i of the same samples, no gradient.</param>
    public static Tensor Loss(Tensor sequenceLogProbs, Tensor coefficients, double scale) =>
        -(coefficients.detach().to(sequenceLogProbs.dtype, sequenceLogProbs.device) * sequenceLogProbs).sum() * scale;
}
