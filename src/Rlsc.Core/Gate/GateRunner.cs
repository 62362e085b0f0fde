namespace Rlsc.Core.Gate;

/// <summary>
/// Reads the files of a gate and runs it, failing closed: a report that is missing (RLSC083), corrupt
/// (RLSC084), of another schema (RLSC085) or stale (RLSC086), and thresholds that are invalid or absent
/// (RLSC087), throw before any verdict; suite failures come back as findings of the <see cref="GateResult"/>.
/// </summary>
public static class GateRunner
{
    public static GateResult Run(GateOptions options)
    {
        if (options.ThresholdsFile is not null && options.ModelKey is not null)
            throw new RlscException(ErrorCodes.InvalidArgument, "pass either --thresholds or --model-key, not both.");

        var report = EvaluationSummaryReader.Read(options.SummaryFile);
        ReportFreshness.Check(report, options.Freshness, options.Now ?? DateTimeOffset.UtcNow);

        var thresholds = LoadThresholds(options, report);
        IReadOnlyDictionary<string, double>? golden = null;
        if (options.GoldenFile is not null)
            golden = GoldenResults.Load(options.GoldenFile);

        return QualityGate.Evaluate(report, thresholds, golden, options.GoldenFile, options.Suites);
    }

    public static ModelThresholds LoadThresholds(GateOptions options, GateReport report)
    {
        if (options.ThresholdsFile is not null) return ThresholdsLoader.Load(options.ThresholdsFile);
        string directory = options.ThresholdsDirectory ?? ThresholdsCatalog.DefaultDirectory();
        return options.ModelKey is not null
            ? ThresholdsCatalog.ForKey(directory, options.ModelKey)
            : ThresholdsCatalog.ForModelName(directory, report.ModelName);
    }
}
