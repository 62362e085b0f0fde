using static TorchSharp.torch;

using Rlsc.Core.Config;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// `loss.objective: ttrl` (test-time RL, Zuo et al., arXiv 2504.16084): r_i = 1 when y_i's answer equals the
/// majority answer of the N samples (<see cref="MajorityVoteReward"/>), else 0; A_i group-normalised
/// (<see cref="GroupAdvantages"/>); loss = -scale * sum_i A_i log p(y_i|x) (<see cref="SequencePolicyGradient"/>).
/// The advantages follow from the answers alone, so they are known before any forward pass; a question whose
/// samples have no answer, or all the same one, has A = 0 and contributes nothing.
/// </summary>
public sealed class TtrlObjective(RlscLossOptions options) : ILabelFreeObjective
{
    public LabelFreeObjectiveKind Kind => LabelFreeObjectiveKind.Ttrl;
    public ScoreNeeds Needs => ScoreNeeds.LogProbs;
    public bool UsesScores => false;
    public bool CouplesSamples => true;

    public double Scale(int samplesPerQuestion, int questionsPerStep) => LossReductions.Scale(options, samplesPerQuestion, questionsPerStep);

    public SampleSignals Signals(QuestionGroup group, IReadOnlyList<int> rows, RowScores? scores)
    {
        double[] rewards = MajorityVoteReward.Of(group.Answers, group.Equal);
        double[] advantages = GroupAdvantages.Of(rewards, options.AdvantageEpsilon);
        return new SampleSignals(rows.Select(r => rewards[r]).ToArray(), rows.Select(r => advantages[r]).ToArray());
    }

    public Tensor Loss(RowScores scores, Tensor coefficients, double scale) =>
        SequencePolicyGradient.Loss(scores.SequenceLogProbs(), coefficients, scale);
}
