using System.Globalization;
using System.Text;

namespace Rlsc.Core.Evaluation.Reports;

/// <summary>
/// `rlsc report compare A B`: before/after deltas per suite and metric, as a Markdown table. Suites present in only
/// one report are listed with a dash on the other side. Deltas are in percentage points for fractions.
/// </summary>
public static class SummaryComparison
{
    public static string Render(EvaluationSummary before, EvaluationSummary after, string beforeLabel = "before", string afterLabel = "after")
    {
        var b = new StringBuilder();
        b.Append($"## {beforeLabel} → {afterLabel}\n\n");
        b.Append($"{beforeLabel}: {before.Model.Name} ({before.Settings.Mode}, {before.Settings.Samples} sample(s)); ");
        b.Append($"{afterLabel}: {after.Model.Name} ({after.Settings.Mode}, {after.Settings.Samples} sample(s))\n\n");
        b.Append($"| suite | metric | {beforeLabel} | {afterLabel} | delta |\n|---|---|---:|---:|---:|\n");
        var names = before.Suites.Keys.Concat(after.Suites.Keys.Where(k => !before.Suites.ContainsKey(k))).ToList();
        foreach (string name in names)
        {
            before.Suites.TryGetValue(name, out var x);
            after.Suites.TryGetValue(name, out var y);
            foreach (var row in Rows(x, y)) b.Append($"| {name} | {row} |\n");
        }
        foreach (var row in MacroRows(before.Macro, after.Macro)) b.Append($"| **macro** | {row} |\n");
        return b.ToString();
    }

    static IEnumerable<string> Rows(SuiteSummary? x, SuiteSummary? y)
    {
        yield return Fraction("accuracy", x?.Accuracy, y?.Accuracy);
        yield return Fraction($"maj@k", x?.MajAtK, y?.MajAtK);
        var keys = (x?.PassAtK.Keys ?? []).Union(y?.PassAtK.Keys ?? []).OrderBy(k => int.Parse(k, CultureInfo.InvariantCulture));
        foreach (string k in keys)
            yield return Fraction($"pass@{k}", x?.PassAtK.GetValueOrDefault(k, double.NaN), y?.PassAtK.GetValueOrDefault(k, double.NaN));
        yield return Fraction("extraction failures", x?.ExtractionFailureRate, y?.ExtractionFailureRate);
        yield return Fraction("agreement", x?.MeanAgreement, y?.MeanAgreement);
        yield return x is not null && y is not null && x.ResponseLengthUnit != y.ResponseLengthUnit
            ? $"mean length | {Number(x.MeanResponseLength)} {x.ResponseLengthUnit} | {Number(y.MeanResponseLength)} {y.ResponseLengthUnit} | –"
            : Plain($"mean length ({x?.ResponseLengthUnit ?? y?.ResponseLengthUnit})", x?.MeanResponseLength, y?.MeanResponseLength);
    }

    static IEnumerable<string> MacroRows(MacroSummary x, MacroSummary y)
    {
        yield return Fraction("accuracy", x.Accuracy, y.Accuracy);
        yield return Fraction("maj@k", x.MajAtK, y.MajAtK);
        yield return Fraction("agreement", x.MeanAgreement, y.MeanAgreement);
    }

    static string Fraction(string metric, double? x, double? y)
    {
        string delta = x is { } a && y is { } c && !double.IsNaN(a) && !double.IsNaN(c)
            ? ((c - a) * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " pt"
            : "–";
        return $"{metric} | {(x is { } u ? MarkdownReport.Percent(u) : "–")} | {(y is { } v ? MarkdownReport.Percent(v) : "–")} | {delta}";
    }

    static string Plain(string metric, double? x, double? y)
    {
        string delta = x is { } a && y is { } c ? (c - a).ToString("+0;-0;0", CultureInfo.InvariantCulture) : "–";
        return $"{metric} | {(x is { } u ? Number(u) : "–")} | {(y is { } v ? Number(v) : "–")} | {delta}";
    }

    static string Number(double value) => value.ToString("0", CultureInfo.InvariantCulture);
}
