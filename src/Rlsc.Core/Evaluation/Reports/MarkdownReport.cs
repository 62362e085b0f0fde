using Rlsc.Core.Evaluation.Metrics;
using System.Globalization;
using System.Text;

namespace Rlsc.Core.Evaluation.Reports;

/// <summary>report.md: the evaluation as a Markdown table, ready for a CI job summary ($GITHUB_STEP_SUMMARY).</summary>
public static class MarkdownReport
{
    public static string Render(EvaluationSummary summary)
    {
        var s = summary.Settings;
        var b = new StringBuilder();
        b.Append("## Evaluation: ").Append(summary.Model.Name).Append("\n\n");
        b.Append(string.Join(" · ", Describe(summary))).Append("\n\n");
        string passKey = LargestCommonK(summary.Suites.Values) ?? "1";
        b.Append($"| suite | problems | accuracy | maj@{s.Samples} | pass@{passKey} | extraction failures | agreement | mean length |\n");
        b.Append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var (name, suite) in summary.Suites)
            b.Append($"| {name} | {suite.Count} | {WithInterval(suite.Accuracy, suite.AccuracyCi)} | {WithInterval(suite.MajAtK, suite.MajAtKCi)} | " +
                     $"{WithInterval(suite.PassAtK.GetValueOrDefault(passKey, double.NaN), suite.PassAtKCi?.GetValueOrDefault(passKey))} | " +
                     $"{Percent(suite.ExtractionFailureRate)} | {Percent(suite.MeanAgreement)} | {Length(suite.MeanResponseLength, suite.ResponseLengthUnit)} |\n");
        var m = summary.Macro;
        b.Append($"| **macro** ({m.Suites} suites) | | **{Percent(m.Accuracy)}** | {Percent(m.MajAtK)} | {Percent(m.PassAtK.GetValueOrDefault(passKey, double.NaN))} | " +
                 $"{Percent(m.ExtractionFailureRate)} | {Percent(m.MeanAgreement)} | {(m.MeanResponseLength is { } l ? Length(l, m.ResponseLengthUnit!) : "")} |\n");
        b.Append('\n');
        b.Append(s.Samples == 1
            ? "Accuracy is greedy accuracy; with one sample maj@1 and pass@1 equal it.\n"
            : $"Accuracy is avg@{s.Samples} (the mean share of correct samples); maj@{s.Samples} grades the majority answer; pass@k is the unbiased estimator of Chen et al.; agreement is the share of samples giving the majority answer.\n");
        b.Append("Brackets: 95% confidence intervals, mean ± 1.96 standard errors clustered by problem (docs/gate.md, \"Statistics\").\n");
        return b.ToString();
    }

    static IEnumerable<string> Describe(EvaluationSummary summary)
    {
        var s = summary.Settings;
        yield return $"mode {s.Mode}";
        yield return $"{s.Samples} sample{(s.Samples == 1 ? "" : "s")} per problem";
        if (s.Temperature is { } t) yield return t == 0 ? "greedy" : $"temperature {t.ToString(CultureInfo.InvariantCulture)}";
        if (s.MaxNewTokens is { } max) yield return $"max {max} new tokens";
        if (s.ChatTemplate is { } template) yield return $"template {template}";
        if (s.Limit is { } limit) yield return $"first {limit} problems per suite";
        if (s.Shard is { } shard) yield return $"shard {shard}";
        yield return $"rlsc {summary.RlscVersion}";
        yield return summary.Created.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
    }

    /// <summary>The largest pass@k key every suite has.</summary>
    public static string? LargestCommonK(IEnumerable<SuiteSummary> suites)
    {
        var common = suites.Select(s => s.PassAtK.Keys).Aggregate<IEnumerable<string>>((a, c) => a.Intersect(c)).ToList();
        return common.Count == 0 ? null : common.MaxBy(k => int.Parse(k, CultureInfo.InvariantCulture));
    }

    /// <summary>"75.6% [73.4, 77.8]": a metric with its 95% interval in points, or the bare value when the file has no interval.</summary>
    public static string WithInterval(double fraction, MetricInterval? interval) =>
        interval is null || double.IsNaN(fraction)
            ? Percent(fraction)
            : $"{Percent(fraction)} [{(interval.Low * 100).ToString("0.0", CultureInfo.InvariantCulture)}, {(interval.High * 100).ToString("0.0", CultureInfo.InvariantCulture)}]";

    public static string Percent(double fraction) =>
        double.IsNaN(fraction) ? "–" : (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    static string Length(double value, string unit) => value.ToString("0", CultureInfo.InvariantCulture) + " " + unit;
}
