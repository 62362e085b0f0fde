namespace Rlsc.Core.Gate;

/// <summary>
/// Reads the files of a gate and runs it, failing closed: a report that is missing (RLSC083), corrupt
/// (RLSC084), of another schema (RLSC085), stale (RLSC086) or of a model the thresholds key does not admit
/// (RLSC180), and thresholds that are invalid or absent (RLSC087), throw before any verdict; suite failures come
/// back as findings of the <see cref="GateResult"/>.
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
        CheckModelIsAdmitted(report, thresholds);
        IReadOnlyDictionary<string, double>? golden = null;
        if (options.GoldenFile is not null)
            golden = GoldenResults.Load(options.GoldenFile);

        GateReport? baseline = null;
        if (options.BaselineFile is not null)
        {
            baseline = EvaluationSummaryReader.Read(options.BaselineFile);
            // The base model's evaluation belongs to the same run: same age and run-id rules, its own checkpoint.
            ReportFreshness.Check(baseline, options.Freshness with { Checkpoint = null }, options.Now ?? DateTimeOffset.UtcNow);
        }

        return QualityGate.Evaluate(report, thresholds, golden, options.GoldenFile, options.Suites, baseline);
    }

    /// <summary>
    /// A key's numbers are about its models: the summary of the base model (or of another model entirely) must not
    /// pass under the fine-tuned model's key, however good its numbers look.
    /// </summary>
    public static void CheckModelIsAdmitted(GateReport report, ModelThresholds thresholds)
    {
        if (thresholds.Admits(report.ModelName)) return;
        throw new RlscException(ErrorCodes.GateModelNotAdmitted,
            $"the summary is of the model \"{report.ModelName}\", which the thresholds key \"{thresholds.ModelKey}\" does not admit " +
            $"(its `models`: {string.Join(", ", thresholds.Models.Select(m => $"\"{m}\""))}; {thresholds.File}): gate it with its own key, " +
            "or add the model to that list if it really is the same model.",
            report.File, report.Lines.LineOf("model.name"));
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
