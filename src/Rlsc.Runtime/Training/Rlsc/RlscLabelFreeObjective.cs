using static TorchSharp.torch;

using Rlsc.Core.Config;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// `loss.objective: rlsc` behind the common interface: c_i = w(y_i) + alpha from log p_old(y_i|x), and
/// loss = -scale * sum_i c_i log p(y_i|x) (<see cref="RlscObjective"/> holds the formulas).
/// </summary>
public sealed class RlscLabelFreeObjective(RlscLossOptions options) : ILabelFreeObjective
{
    readonly RlscObjective rlsc = new(options);

    public LabelFreeObjectiveKind Kind => LabelFreeObjectiveKind.Rlsc;
    public ScoreNeeds Needs => ScoreNeeds.LogProbs;
    public bool UsesScores => true;
    public bool CouplesSamples => rlsc.NeedsAllSamples;

    public double Scale(int samplesPerQuestion, int questionsPerStep) => rlsc.Scale(samplesPerQuestion, questionsPerStep);

    public SampleSignals Signals(QuestionGroup group, IReadOnlyList<int> rows, RowScores? scores)
    {
        using var scope = NewDisposeScope();
        var w = rlsc.Weights(scores!.SequenceLogProbs().detach());
        var c = rlsc.Coefficients(w);
        return new SampleSignals(ToArray(w), ToArray(c));
    }

    public Tensor Loss(RowScores scores, Tensor coefficients, double scale) =>
        RlscObjective.Loss(scores.SequenceLogProbs(), coefficients, scale);

    internal static double[] ToArray(Tensor x) => x.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
}
