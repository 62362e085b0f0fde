using Rlsc.Core.Gate;

namespace Rlsc.Quality.Tests;

/// <summary>
/// Settings of the golden-snapshot (QualityGate) tests. Each comes from an environment variable (CI, Cake) or,
/// when that is unset, from a .runsettings TestRunParameters entry (IDEs; see quality.runsettings):
///
/// | environment           | .runsettings     | what |
/// |---|---|---|
/// | RLSC_GATE_SUMMARY     | GateSummary      | the evaluation summary of the current run (required) |
/// | RLSC_GATE_MODEL_KEY   | GateModelKey     | thresholds key (eval-suites/thresholds/&lt;key&gt;.json) |
/// | RLSC_GATE_THRESHOLDS  | GateThresholds   | or an explicit thresholds file |
/// | RLSC_GATE_GOLDEN      | GateGolden       | golden results (a summary) replacing the thresholds' golden values |
/// | RLSC_GATE_BASELINE    | GateBaseline     | the base model's summary on the same problems (the paired test) |
/// | RLSC_GATE_SUITES      | GateSuites       | comma-separated suites to gate (default: all of the thresholds) |
/// | RLSC_GATE_MAX_AGE     | GateMaxAge       | staleness limit (default 24h; none switches it off) |
/// | RLSC_GATE_CHECKPOINT  | GateCheckpoint   | checkpoint the report must be newer than |
/// | RLSC_GATE_RUN_ID      | GateRunId        | run id the report must carry |
///
/// Relative paths are taken from the repository root. Nothing is defaulted to a guess: without a summary the
/// tests fail (closed) and say what to set.
/// </summary>
static class GateTestSettings
{
    public static string? Get(string environmentVariable, string parameter)
    {
        string? value = Environment.GetEnvironmentVariable(environmentVariable);
        if (string.IsNullOrWhiteSpace(value)) value = TestContext.Parameters.Get(parameter);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public static GateOptions Options()
    {
        string summary = Get("RLSC_GATE_SUMMARY", "GateSummary")
            ?? throw new AssertionException(
                "error RLSC083: no evaluation summary to gate: set RLSC_GATE_SUMMARY (or the GateSummary run setting) to the summary.json " +
                "of the run under test, and RLSC_GATE_MODEL_KEY to its thresholds key (docs/gate.md). The Gate stage sets both.");
        string? thresholds = Get("RLSC_GATE_THRESHOLDS", "GateThresholds");
        string? golden = Get("RLSC_GATE_GOLDEN", "GateGolden");
        string? baseline = Get("RLSC_GATE_BASELINE", "GateBaseline");
        string? checkpoint = Get("RLSC_GATE_CHECKPOINT", "GateCheckpoint");
        string? maxAge = Get("RLSC_GATE_MAX_AGE", "GateMaxAge");
        return new GateOptions
        {
            SummaryFile = RepositoryPaths.Resolve(summary),
            ThresholdsFile = thresholds is null ? null : RepositoryPaths.Resolve(thresholds),
            ModelKey = Get("RLSC_GATE_MODEL_KEY", "GateModelKey"),
            GoldenFile = golden is null ? null : RepositoryPaths.Resolve(golden),
            BaselineFile = baseline is null ? null : RepositoryPaths.Resolve(baseline),
            Suites = Get("RLSC_GATE_SUITES", "GateSuites")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Freshness = new FreshnessOptions
            {
                MaxAge = maxAge is null ? FreshnessOptions.DefaultMaxAge : FreshnessOptions.ParseMaxAge(maxAge, "RLSC_GATE_MAX_AGE"),
                Checkpoint = checkpoint is null ? null : RepositoryPaths.Resolve(checkpoint),
                ExpectedRunId = Get("RLSC_GATE_RUN_ID", "GateRunId"),
            },
            ThresholdsDirectory = RepositoryPaths.FindRepositoryRoot() is { } root
                ? Path.Combine(root, ThresholdsCatalog.RelativeFolder)
                : null,
        };
    }
}
