using System.Globalization;

namespace Rlsc.Core.Gate;

/// <summary>
/// The gate: compares a report's per-suite gated metric with a model's thresholds and golden results.
/// Each required suite must be present with exactly `count` questions (RLSC082), evaluated the way its metric needs
/// with the metric's interval (RLSC181), reach `min_accuracy` (RLSC080), not drop from its golden result by more
/// than `max_drop` (RLSC081), and pass the paired test against the base model where the thresholds ask for one
/// (RLSC182, RLSC183). Reading the summaries (and their own failures: missing, corrupt, schema, stale, model not
/// admitted) is <see cref="GateRunner"/>'s job.
/// </summary>
public static class QualityGate
{
    // Accuracies are ratios of small integers written with a few decimals; an exact tie must pass.
    const double Tolerance = 1e-9;

    /// <param name="golden">Golden accuracies that replace the thresholds' `golden` values (from --golden), or null.</param>
    /// <param name="goldenFile">Where <paramref name="golden"/> came from, for messages.</param>
    /// <param name="onlySuites">The suites to require (--suites); null: every suite of the thresholds.</param>
    public static GateResult Evaluate(
        GateReport report,
        ModelThresholds thresholds,
        IReadOnlyDictionary<string, double>? golden = null,
        string? goldenFile = null,
        IReadOnlyCollection<string>? onlySuites = null,
        GateReport? baseline = null)
    {
        var findings = new List<GateFinding>();
        var verdicts = new List<SuiteVerdict>();

        IEnumerable<string> required = thresholds.Suites.Keys;
        if (onlySuites is { Count: > 0 })
        {
            foreach (string suite in onlySuites.Where(s => !thresholds.Suites.ContainsKey(s)))
                findings.Add(new GateFinding(ErrorCodes.GateThresholdsInvalid,
                    $"suite \"{suite}\" was asked for (--suites) but has no thresholds for model key \"{thresholds.ModelKey}\"; " +
                    $"its suites are: {string.Join(", ", thresholds.Suites.Keys)}.",
                    thresholds.File, null));
            required = onlySuites.Where(thresholds.Suites.ContainsKey);
        }

        foreach (string name in required.Distinct().OrderBy(s => s, StringComparer.Ordinal))
        {
            var threshold = thresholds.Suites[name];
            double? goldenValue = threshold.Golden;
            string goldenOrigin = $"{thresholds.File}({threshold.Line})";
            if (golden is not null)
            {
                if (golden.TryGetValue(name, out double g))
                {
                    goldenValue = g;
                    goldenOrigin = goldenFile ?? "--golden";
                }
                else if (!threshold.Pending)
                {
                    findings.Add(new GateFinding(ErrorCodes.GateSuiteMissing,
                        $"suite \"{name}\" is missing from the golden results; the golden file must cover every suite the gate checks.",
                        goldenFile, null));
                    goldenValue = null;
                }
            }
            verdicts.Add(Judge(report, thresholds, threshold, goldenValue, goldenOrigin, baseline, findings));
        }

        // Suites the report has but the gate does not require: shown, never failing.
        foreach (var suite in report.Suites.Values.Where(s => verdicts.All(v => v.Suite != s.Name)).OrderBy(s => s.Name, StringComparer.Ordinal))
            verdicts.Add(new SuiteVerdict(suite.Name, suite.Count, suite.Accuracy, null, null, null, null, Verdict.Untracked,
                thresholds.Suites.ContainsKey(suite.Name) ? "not in --suites" : "no thresholds for this suite"));

        return new GateResult(report.ModelName, thresholds.ModelKey, report.File, thresholds.File, goldenFile, verdicts, findings, thresholds.Alpha);
    }

    static SuiteVerdict Judge(GateReport report, ModelThresholds thresholds, SuiteThreshold threshold,
        double? golden, string goldenOrigin, GateReport? baseline, List<GateFinding> findings)
    {
        string name = threshold.Suite;
        if (!report.Suites.TryGetValue(name, out var result))
        {
            string message = $"suite \"{name}\" is missing from the report (it has: {string.Join(", ", report.Suites.Keys)}); " +
                             "evaluate every suite the thresholds list, merge every shard, or restrict the gate with --suites.";
            findings.Add(new GateFinding(ErrorCodes.GateSuiteMissing, message, report.File, report.Lines.LineOf("suites")));
            return new SuiteVerdict(name, null, null, threshold.MinAccuracy, golden, null, threshold.MaxDrop, Verdict.Fail, "missing from the report");
        }

        int? line = report.Lines.LineOf($"suites.{name}.accuracy");
        if (threshold.Pending)
        {
            findings.Add(new GateFinding(ErrorCodes.GateThresholdsPending,
                $"suite \"{name}\" has no measured thresholds yet (pending in {thresholds.File}); accuracy {F(result.Accuracy)} was not checked. " +
                "Set them from measured results (docs/gate.md, \"Pending thresholds\").",
                thresholds.File, threshold.Line, IsWarning: true));
            return new SuiteVerdict(name, result.Count, result.Accuracy, null, golden, Delta(result.Accuracy, golden), null,
                Verdict.Pending, "thresholds pending measurement");
        }

        var reasons = new List<string>();
        // A different question set is a different test, in either direction: fewer is a partial run or a missing
        // shard, more is another (or a duplicated) data set that the thresholds were never set on.
        if (threshold.Count is int expected && result.Count != expected)
        {
            reasons.Add($"{result.Count} questions, thresholds are for {expected}");
            findings.Add(new GateFinding(ErrorCodes.GateSuiteMissing,
                result.Count < expected
                    ? $"suite \"{name}\" was evaluated on {result.Count} questions, expected {expected}: a partial run or a missing shard; " +
                      "evaluate the whole suite or merge every shard."
                    : $"suite \"{name}\" was evaluated on {result.Count} questions, expected {expected}: another or a duplicated question set, " +
                      "which the thresholds were not set on; evaluate the suite's own data.",
                report.File, report.Lines.LineOf($"suites.{name}.count")));
        }

        var metric = threshold.Metric!;
        var gated = GatedValue.Resolve(result, report.Temperature, metric, out string mismatch);
        if (gated is null)
        {
            reasons.Add(mismatch);
            findings.Add(new GateFinding(ErrorCodes.GateMetricMismatch,
                $"suite \"{name}\" is gated on {metric.Name}{(metric.Kind == MetricKind.Greedy ? "" : $" at temperature {metric.Temperature.ToString(CultureInfo.InvariantCulture)}")} " +
                $"({thresholds.File}({threshold.Line})), but {mismatch}: evaluate exactly that (rlsc eval --samples/--temperature).",
                report.File, report.Lines.LineOf($"suites.{name}")));
            return new SuiteVerdict(name, result.Count, null, threshold.MinAccuracy, golden, null, threshold.MaxDrop, Verdict.Fail,
                string.Join("; ", reasons)) { Metric = metric.Name };
        }
        double value = gated.Value.Value;
        var interval = gated.Value.Interval;

        if (threshold.MinAccuracy is double min && value < min - Tolerance)
        {
            reasons.Add($"below minimum {F(min)}");
            findings.Add(new GateFinding(ErrorCodes.GateBelowThreshold,
                $"suite \"{name}\": {metric.Name} {F(value)} {Ci(interval)} is below the minimum {F(min)} " +
                $"({thresholds.File}({threshold.Line}), model key \"{thresholds.ModelKey}\").",
                report.File, line));
        }

        double? delta = Delta(value, golden);
        if (threshold.MaxDrop is double maxDrop)
        {
            if (golden is null)
            {
                reasons.Add("no golden result for max_drop");
                findings.Add(new GateFinding(ErrorCodes.GateThresholdsInvalid,
                    $"suite \"{name}\" sets max_drop but has no golden result to measure the drop from: set `golden` or pass --golden.",
                    thresholds.File, threshold.Line));
            }
            else if (-delta!.Value > maxDrop + Tolerance)
            {
                reasons.Add($"drop {F(-delta.Value)} > max {F(maxDrop)}");
                findings.Add(new GateFinding(ErrorCodes.GateDropTooLarge,
                    $"suite \"{name}\": {metric.Name} {F(value)} {Ci(interval)} dropped {F(-delta.Value)} from the golden {F(golden.Value)} " +
                    $"({goldenOrigin}); at most {F(maxDrop)} is allowed.",
                    report.File, line));
            }
        }

        // Power, said up front: a max_drop finer than the data can resolve raises false alarms and misses real drops alike.
        if (threshold.MaxDrop is double allowed && threshold.Count is not null)
        {
            var power = DetectableDrop.For(threshold, thresholds.Alpha, interval.StandardError);
            if (allowed < power.Drop - Tolerance)
                findings.Add(new GateFinding(ErrorCodes.GateUnderpowered,
                    $"suite \"{name}\": max_drop {F(allowed)} is below the smallest drop this evaluation detects with 80% power at alpha " +
                    $"{thresholds.Alpha.ToString(CultureInfo.InvariantCulture)} ({F(power.Drop)}, from its standard error {F(interval.StandardError)}); " +
                    "the check is decided by noise near its edge: evaluate more problems or samples, or widen max_drop (rlsc gate --explain).",
                    thresholds.File, threshold.Line, IsWarning: true));
        }

        PairedTestResult? paired = null;
        if (threshold.IsPaired)
        {
            if (baseline is null)
            {
                reasons.Add("no base model to compare with");
                findings.Add(new GateFinding(ErrorCodes.GatePairedInputInvalid,
                    $"suite \"{name}\" requires the paired test against the base model ({thresholds.File}({threshold.Line})), but no base summary was given: " +
                    "pass --baseline <the base model's summary.json> (its problems.jsonl must be beside it).",
                    report.File, null));
            }
            else
            {
                paired = PairedComparison.Judge(report, baseline, threshold, metric, thresholds.Alpha, reasons, findings);
            }
        }

        return new SuiteVerdict(name, result.Count, value, threshold.MinAccuracy, golden, delta, threshold.MaxDrop,
            reasons.Count == 0 ? Verdict.Pass : Verdict.Fail, reasons.Count == 0 ? "" : string.Join("; ", reasons))
        {
            Metric = metric.Name, Interval = interval, Paired = paired, MinGain = threshold.MinGain, NotWorseThanBase = threshold.NotWorseThanBase,
        };
    }

    static string Ci(Rlsc.Core.Evaluation.Metrics.MetricInterval interval) => $"[{F(interval.Low)}, {F(interval.High)}]";

    static double? Delta(double accuracy, double? golden) => golden is double g ? accuracy - g : null;

    internal static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
