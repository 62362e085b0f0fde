namespace Rlsc.Core.Config;

/// <summary>
/// Which label-free objective `rlsc finetune` optimises (`loss.objective`). All share the sampler, the scoring
/// (log_softmax(logits / T)), the session and the metrics; docs/training.md gives each formula and its paper.
/// </summary>
public enum LabelFreeObjectiveKind
{
    /// <summary>RLSC (arXiv 2506.06395): -(w(y) + alpha) log p(y|x), w from p_old; loss.weighting applies.</summary>
    Rlsc,
    /// <summary>TTRL (arXiv 2504.16084): reward 1 when a sample's answer equals the majority answer, group-normalised advantages.</summary>
    Ttrl,
    /// <summary>EM-FT (arXiv 2505.15134): minimise the mean token entropy of the policy over its own samples.</summary>
    Entropy,
    /// <summary>Intuitor / RLIF (arXiv 2505.19590): reward = mean over tokens of KL(uniform || p), group-normalised advantages.</summary>
    SelfCertainty,
}
