namespace Rlsc.Core.Gate;

/// <summary>
/// Everything `rlsc gate` (and the golden-snapshot tests) need to gate one report. One of
/// <see cref="ThresholdsFile"/> or <see cref="ModelKey"/> selects the thresholds; with neither, the
/// report's model name is looked up in the thresholds files' `models` lists.
/// </summary>
public sealed record GateOptions
{
    /// <summary>The evaluation summary (summary.json) to gate. Required.</summary>
    public required string SummaryFile { get; init; }

    /// <summary>An explicit thresholds file (--thresholds).</summary>
    public string? ThresholdsFile { get; init; }

    /// <summary>A key in the thresholds folder (--model-key): eval-suites/thresholds/&lt;key&gt;.json.</summary>
    public string? ModelKey { get; init; }

    /// <summary>The thresholds folder; null: <see cref="ThresholdsCatalog.DefaultDirectory"/>.</summary>
    public string? ThresholdsDirectory { get; init; }

    /// <summary>A summary whose per-suite accuracies replace the thresholds' `golden` values (--golden).</summary>
    public string? GoldenFile { get; init; }

    /// <summary>
    /// The base model's summary (--baseline), evaluated on the same problems, with its problems.jsonl beside it: the
    /// paired test of suites with `not_worse_than_base` or `min_gain`. Read with the same reader and staleness rule.
    /// </summary>
    public string? BaselineFile { get; init; }

    /// <summary>Gate only these suites (--suites); null or empty: every suite of the thresholds.</summary>
    public IReadOnlyList<string>? Suites { get; init; }

    /// <summary>The staleness rule; the defaults are documented on <see cref="FreshnessOptions"/>.</summary>
    public FreshnessOptions Freshness { get; init; } = new();

    /// <summary>The time staleness is measured against; null: now.</summary>
    public DateTimeOffset? Now { get; init; }
}
