using Rlsc.Core.Evaluation.Grading;

namespace Rlsc.Core.Evaluation.Suites;

/// <summary>A suite's overrides of <see cref="GradingOptions"/>; unset fields keep the defaults.</summary>
public sealed record GradingSettings
{
    public double? RelativeTolerance { get; init; }
    public double? SymbolicTolerance { get; init; }
    public bool? IntegersExact { get; init; }
    public int? RandomPoints { get; init; }
    public double? TimeLimitSeconds { get; init; }

    public GradingOptions ToOptions()
    {
        var d = GradingOptions.Default;
        return d with
        {
            RelativeTolerance = RelativeTolerance ?? d.RelativeTolerance,
            SymbolicTolerance = SymbolicTolerance ?? d.SymbolicTolerance,
            IntegersExact = IntegersExact ?? d.IntegersExact,
            RandomPoints = RandomPoints ?? d.RandomPoints,
            TimeLimit = TimeLimitSeconds is { } s ? TimeSpan.FromSeconds(s) : d.TimeLimit,
        };
    }
}
