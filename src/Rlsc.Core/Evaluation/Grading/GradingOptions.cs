namespace Rlsc.Core.Evaluation.Grading;

/// <summary>
/// How strictly answers are compared. Defaults follow the Qwen2.5-Math evaluation toolkit where it has a rule
/// (relative tolerance 1e-4, about 3 s per comparison) and are stricter where a careful mathematician would be
/// (integers compare exactly). A suite manifest can override them in its `grading` block.
/// </summary>
public sealed record GradingOptions
{
    /// <summary>Numbers a, b are equal when |a-b| &lt;= RelativeTolerance * max(|a|,|b|). Default 1e-4 (Qwen2.5-Math).</summary>
    public double RelativeTolerance { get; init; } = 1e-4;

    /// <summary>
    /// Numbers within this absolute difference are also equal (default 0: off). Set per problem from a suite's
    /// gold.tolerance_field (OlympiadBench's `error`, e.g. 4.2% ± 0.1); it also overrides <see cref="IntegersExact"/>.
    /// </summary>
    public double AbsoluteTolerance { get; init; }

    /// <summary>
    /// Tolerance for expressions with variables, compared by evaluating both at random points. Tighter than
    /// <see cref="RelativeTolerance"/> (default 1e-6) because both sides are evaluated in the same double arithmetic,
    /// so x^2 and x^2 + 0.00001 stay different.
    /// </summary>
    public double SymbolicTolerance { get; init; } = 1e-6;

    /// <summary>
    /// When both answers are exact numbers and one is an integer, require exact equality (default true):
    /// with a relative tolerance alone, 70000 and 70001 would be "equal". Minerva's physics answers are rounded
    /// measurements, so its manifest turns this off.
    /// </summary>
    public bool IntegersExact { get; init; } = true;

    /// <summary>
    /// The problem asks for a percentage ("What percent of ...", "by how many %"): a prediction's x% may then also be
    /// read as x, since golds of such questions often drop the % (MATH500's "10", OlympiadBench's 4.2 with the % in a
    /// separate field). Otherwise a prediction's x% means x/100 only, as Math-Verify reads it, so "4 4/9%" is not
    /// 40/9. A gold's % always allows both readings. Set per problem by the evaluation (<see cref="PercentQuestions"/>).
    /// </summary>
    public bool PercentQuestion { get; init; }

    /// <summary>Random points at which expressions with variables are compared (default 6).</summary>
    public int RandomPoints { get; init; } = 6;

    /// <summary>Seed of those points, so that a verdict never changes between runs (default 20250606).</summary>
    public int Seed { get; init; } = 20250606;

    /// <summary>Work units allowed per comparison (tokens parsed, nodes evaluated): the deterministic bound (default 2,000,000).</summary>
    public long MaxSteps { get; init; } = 2_000_000;

    /// <summary>Wall-clock backstop per comparison (default 3 s, the Qwen2.5-Math toolkit's limit).</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Deepest nesting of brackets and sub-expressions parsed (default 120); deeper input is "not equal".</summary>
    public int MaxDepth { get; init; } = 120;

    /// <summary>Largest exact number kept, in bits (default 200,000: 100! and 2^{1009} fit; 10^{10^{10}} does not).</summary>
    public long MaxExactBits { get; init; } = 200_000;

    /// <summary>
    /// Longest answer compared, in characters (default 100,000; the six suites' longest gold is under 1,000). A longer
    /// one is "not equal" with method "budget" at once: normalising a megabyte takes seconds of regular-expression
    /// work that the step budget does not see, and no answer is that long.
    /// </summary>
    public int MaxAnswerChars { get; init; } = 100_000;

    public static GradingOptions Default { get; } = new();

    public GradingBudget NewBudget() => new(MaxSteps, TimeLimit, MaxDepth);

    /// <summary>Throws <see cref="RlscException"/> (RLSC001) naming the field when a value is out of range.</summary>
    public void Validate(string where, string code = ErrorCodes.InvalidArgument, string? file = null)
    {
        if (!(RelativeTolerance >= 0 && RelativeTolerance < 1))
            throw new RlscException(code, $"{where}: relative_tolerance must be in [0, 1), got {RelativeTolerance}.", file);
        if (!(AbsoluteTolerance >= 0 && double.IsFinite(AbsoluteTolerance)))
            throw new RlscException(code, $"{where}: absolute_tolerance must be a finite number >= 0, got {AbsoluteTolerance}.", file);
        if (!(SymbolicTolerance >= 0 && SymbolicTolerance < 1))
            throw new RlscException(code, $"{where}: symbolic_tolerance must be in [0, 1), got {SymbolicTolerance}.", file);
        if (RandomPoints is < 1 or > 100)
            throw new RlscException(code, $"{where}: random_points must be in 1..100, got {RandomPoints}.", file);
    }
}
