using Rlsc.Core.Config;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>loss.sample_reduction and loss.question_reduction as one factor, the same for every objective.</summary>
public static class LossReductions
{
    public static double Scale(RlscLossOptions options, int samplesPerQuestion, int questionsPerStep) =>
        (options.SampleReduction == Reduction.Mean ? 1.0 / samplesPerQuestion : 1.0) *
        (options.QuestionReduction == Reduction.Mean ? 1.0 / questionsPerStep : 1.0);
}
