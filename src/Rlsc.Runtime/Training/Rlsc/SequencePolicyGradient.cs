using static TorchSharp.torch;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// The on-policy policy-gradient loss on sequence log-probs: -scale * sum_i c_i * log p_theta(y_i|x), with c_i (an
/// advantage or a weight) held constant. On-policy (one update per batch of samples) PPO's ratio is 1 and its clip
/// never acts, so its gradient is exactly this one: c_i * grad log p(y_i|x).
/// </summary>
public static class SequencePolicyGradient
{
    /// <param name="sequenceLogProbs">(n) log p_theta(y_i|x), differentiable.</param>
    /// <param name="coefficients">(n) c_i, no gradient.</param>
    public static Tensor Loss(Tensor sequenceLogProbs, Tensor coefficients, double scale) =>
        -(coefficients.detach().to(sequenceLogProbs.dtype, sequenceLogProbs.device) * sequenceLogProbs).sum() * scale;
}
