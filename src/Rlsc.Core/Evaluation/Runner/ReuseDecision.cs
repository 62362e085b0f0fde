using Rlsc.Core.Evaluation.Reports;

namespace Rlsc.Core.Evaluation.Runner;

/// <summary>What <see cref="ReusableEvaluation.Check"/> found: the finished evaluation to copy, or why there is none.</summary>
public sealed record ReuseDecision(EvaluationSummary? Summary, string? WhyNot)
{
    public static ReuseDecision Reuse(EvaluationSummary summary) => new(summary, null);

    public static ReuseDecision No(string why) => new(null, why);
}
