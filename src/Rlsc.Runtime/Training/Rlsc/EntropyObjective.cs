using static TorchSharp.torch;

using Rlsc.Core.Config;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// `loss.objective: entropy` (EM-FT, Agarwal et al., arXiv 2505.15134): minimise the mean token entropy of the
/// policy over its own sampled completions,
///   loss = scale * sum_i (1/|y_i|) sum_t H(p_theta(.|x, y_i,&lt;t)),
/// by direct gradient descent (the samples are fixed: no gradient through the sampling, unlike EM-RL). H is the
/// entropy of the temperature-T distribution that was sampled; each completion's tokens are averaged first, then
/// the samples (the paper's estimator), so c_i = 1/|y_i| (0 for an empty completion).
/// </summary>
public sealed class EntropyObjective(RlscLossOptions options) : ILabelFreeObjective
{
    public LabelFreeObjectiveKind Kind => LabelFreeObjectiveKind.Entropy;
    public ScoreNeeds Needs => ScoreNeeds.EntropyWithGradient;
    public bool UsesScores => false;
    public bool CouplesSamples => false;

    public double Scale(int samplesPerQuestion, int questionsPerStep) => LossReductions.Scale(options, samplesPerQuestion, questionsPerStep);

    public SampleSignals Signals(QuestionGroup group, IReadOnlyList<int> rows, RowScores? scores) =>
        new(rows.Select(_ => 1.0).ToArray(), rows.Select(r => group.Lengths[r] == 0 ? 0 : 1.0 / group.Lengths[r]).ToArray());

    public Tensor Loss(RowScores scores, Tensor coefficients, double scale) =>
        (coefficients.detach().to(scores.EntropySums!.dtype, scores.EntropySums.device) * scores.EntropySums).sum() * scale;
}
