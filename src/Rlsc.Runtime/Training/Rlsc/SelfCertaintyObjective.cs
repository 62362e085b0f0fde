using static TorchSharp.torch;

using Rlsc.Core.Config;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// `loss.objective: self_certainty` (Intuitor / RLIF, Zhao et al., arXiv 2505.19590): the reward of a sample is its
/// self-certainty u_i = (1/|y_i|) sum_t KL(U || p_old(.|x, y_&lt;t)) under the temperature-T distribution, a constant
/// (no gradient flows through the reward); A_i group-normalised as in ttrl (<see cref="GroupAdvantages"/>);
/// loss = -scale * sum_i A_i log p(y_i|x). The rewards need the model's scores of all N samples, so with several
/// micro-batches the trainer scores them without gradients first.
/// </summary>
public sealed class SelfCertaintyObjective(RlscLossOptions options) : ILabelFreeObjective
{
    public LabelFreeObjectiveKind Kind => LabelFreeObjectiveKind.SelfCertainty;
    public ScoreNeeds Needs => ScoreNeeds.SelfCertainty;
    public bool UsesScores => true;
    public bool CouplesSamples => true;

    public double Scale(int samplesPerQuestion, int questionsPerStep) => LossReductions.Scale(options, samplesPerQuestion, questionsPerStep);

    public SampleSignals Signals(QuestionGroup group, IReadOnlyList<int> rows, RowScores? scores)
    {
        double[] rewards = RlscLabelFreeObjective.ToArray(scores!.SelfCertainty!);
        // An empty completion has no token to be certain about: its reward is 0 (RowScores), like an unparsable one in ttrl.
        double[] advantages = GroupAdvantages.Of(rewards, options.AdvantageEpsilon);
        return new SampleSignals(rewards, advantages);
    }

    public Tensor Loss(RowScores scores, Tensor coefficients, double scale) =>
        SequencePolicyGradient.Loss(scores.SequenceLogProbs(), coefficients, scale);
}
