namespace Rlsc.Core.Config;

/// <summary>
/// The RLSC objective (section `loss`): for each sampled completion y of question x,
/// loss(y) = -(w(y) + alpha) * log p_theta(y|x), with w(y) computed from p_old (no gradient through it) and
/// log p the SUM of the completion tokens' log-probs under log_softmax(logits / T).
/// </summary>
public sealed class RlscLossOptions
{
    /// <summary>
    /// The objective: rlsc (default, this project's method), ttrl, entropy or self_certainty. weighting, alpha and
    /// renormalize apply to rlsc only; the reductions apply to all; advantage_epsilon to ttrl and self_certainty.
    /// </summary>
    public LabelFreeObjectiveKind Objective { get; set; } = LabelFreeObjectiveKind.Rlsc;

    /// <summary>
    /// paper: w = exp(log p_old(y|x)), the paper's L2 as written. It underflows to ~0 for long completions (a
    /// 3000-token answer has log p around -1000), leaving -alpha * log p: plain fine-tuning on the model's own
    /// samples. normalized: w = softmax over the N samples' sequence log-probs, which keeps the mode-seeking
    /// signal (relative confidence among the N samples) at any length. Default paper, because it is what the
    /// paper specifies.
    /// </summary>
    public Weighting Weighting { get; set; } = Weighting.Paper;

    /// <summary>
    /// alpha in -(w + alpha) log p. 0 gives the paper's L1; 0.1 is its L2 value ("even small values such as 0.1
    /// improve convergence and generalization").
    /// </summary>
    public double Alpha { get; set; } = 0.1;

    /// <summary>
    /// Divide the coefficients (w + alpha) by their sum over the N samples, as one unofficial re-implementation
    /// does. Off: the paper does not renormalise.
    /// </summary>
    public bool Renormalize { get; set; }

    /// <summary>
    /// Combine the N samples' losses by mean (default: the loss scale and so the useful learning rate do not
    /// change with N) or sum (the paper's sum over y). The paper does not say which its code used.
    /// </summary>
    public Reduction SampleReduction { get; set; } = Reduction.Mean;

    /// <summary>
    /// Combine the questions of one step (when training.questions_per_step &gt; 1) by mean (default) or sum.
    /// </summary>
    public Reduction QuestionReduction { get; set; } = Reduction.Mean;

    /// <summary>
    /// epsilon in the group-normalised advantage (r - mean) / (std + epsilon) of ttrl and self_certainty. 1e-6:
    /// verl's GRPO default, the framework TTRL is built on. A group whose rewards are all equal gets advantage 0.
    /// </summary>
    public double AdvantageEpsilon { get; set; } = 1e-6;
}
