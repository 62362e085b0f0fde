namespace Rlsc.Core.Gate;

/// <summary>How one suite fared.</summary>
public enum Verdict
{
    /// <summary>Every threshold of the suite holds.</summary>
    Pass,
    /// <summary>A threshold does not hold, or the suite is missing or incomplete: the gate fails.</summary>
    Fail,
    /// <summary>The suite's thresholds are pending measurement; it was present, nothing else was checked.</summary>
    Pending,
    /// <summary>The report has the suite but the gate does not require it (no thresholds, or not in --suites).</summary>
    Untracked,
}

/// <summary>
/// One row of the gate's table. <see cref="Accuracy"/> is the gated metric's value (<see cref="Metric"/>; the
/// summary's `accuracy` for suites the gate does not require); <see cref="Delta"/> is value − golden (negative: a drop).
/// </summary>
public sealed record SuiteVerdict(
    string Suite,
    int? Count,
    double? Accuracy,
    double? MinAccuracy,
    double? Golden,
    double? Delta,
    double? MaxDrop,
    Verdict Verdict,
    string Reason)
{
    /// <summary>The gated metric's name (greedy, avg@8, ...); null for suites the gate does not require.</summary>
    public string? Metric { get; init; }
    /// <summary>The gated value's 95% interval, from the summary.</summary>
    public Rlsc.Core.Evaluation.Metrics.MetricInterval? Interval { get; init; }
    /// <summary>The paired test against the base model, when the thresholds ask for one and it could run.</summary>
    public PairedTestResult? Paired { get; init; }
    public double? MinGain { get; init; }
    public bool NotWorseThanBase { get; init; }
}

/// <summary>One reason the gate failed (or, for <see cref="IsWarning"/>, a warning), printed in MSBuild's canonical form.</summary>
public sealed record GateFinding(string Code, string Message, string? File, int? Line, bool IsWarning = false)
{
    /// <summary>`file(line): error RLSC080: message`, the form MSBuild, editors and GitHub problem matchers read.</summary>
    public string ToCanonicalString()
    {
        string origin = File is null ? "rlsc" : Line is int l ? $"{File}({l})" : File;
        return $"{origin}: {(IsWarning ? "warning" : "error")} {Code}: {Message}";
    }
}

/// <summary>The gate's outcome: a row per suite and the findings; it passes when no finding is an error.</summary>
public sealed record GateResult(
    string ModelName,
    string ModelKey,
    string SummaryFile,
    string ThresholdsFile,
    string? GoldenFile,
    IReadOnlyList<SuiteVerdict> Verdicts,
    IReadOnlyList<GateFinding> Findings,
    double Alpha = 0.05)
{
    public bool Passed => Findings.All(f => f.IsWarning);
    public IEnumerable<GateFinding> Errors => Findings.Where(f => !f.IsWarning);
    public IEnumerable<GateFinding> Warnings => Findings.Where(f => f.IsWarning);
}
