using System.Globalization;
using System.Text;

namespace Rlsc.Core.Gate;

/// <summary>
/// The gate's table, as plain text for logs (fixed-width columns, ASCII only so CI logs stay aligned) and as
/// Markdown for job summaries: suite, gated metric, count, its value with the 95% interval, threshold, golden,
/// delta, the paired change against the base model with its interval and p-value, verdict, reason.
/// </summary>
public static class GateTable
{
    static readonly string[] Header =
        ["suite", "metric", "count", "value", "95% CI", "threshold", "golden", "delta", "vs base", "CI vs base", "p", "verdict", "reason"];

    // Right-aligned (numeric) columns.
    static bool IsNumeric(int column) => column is 2 or 3 or 5 or 6 or 7 or 8 or 10;

    public static string Text(GateResult result)
    {
        var rows = Rows(result);
        var widths = Enumerable.Range(0, Header.Length)
            .Select(c => Math.Max(Header[c].Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length)))
            .ToArray();
        var sb = new StringBuilder();
        sb.Append("Quality gate: model \"").Append(result.ModelName).Append("\", thresholds ").Append(result.ModelKey)
          .Append(" (").Append(result.ThresholdsFile).Append(')').AppendLine();
        AppendRow(sb, Header, widths);
        AppendRow(sb, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in rows) AppendRow(sb, row, widths);
        sb.AppendLine(Legend(result));
        sb.AppendLine(Summary(result));
        return sb.ToString();
    }

    public static string Markdown(GateResult result)
    {
        var sb = new StringBuilder();
        sb.Append("### Quality gate: ").Append(result.Passed ? "passed" : "FAILED").AppendLine();
        sb.AppendLine();
        sb.Append("Model `").Append(result.ModelName).Append("`, thresholds `").Append(result.ModelKey).Append('`');
        if (result.GoldenFile is not null) sb.Append(", golden `").Append(result.GoldenFile).Append('`');
        sb.AppendLine().AppendLine();
        sb.Append("| ").Append(string.Join(" | ", Header)).AppendLine(" |");
        sb.Append('|').Append(string.Concat(Header.Select((_, i) => IsNumeric(i) ? "---:|" : "---|"))).AppendLine();
        foreach (var row in Rows(result))
            sb.Append("| ").Append(string.Join(" | ", row.Select(c => c.Replace("|", "\\|")))).AppendLine(" |");
        sb.AppendLine();
        sb.AppendLine(Legend(result));
        sb.AppendLine();
        foreach (var finding in result.Findings)
            sb.Append("- ").Append(finding.IsWarning ? "warning " : "**error** ").Append(finding.Code).Append(": ").AppendLine(finding.Message);
        return sb.ToString();
    }

    public static string Summary(GateResult result)
    {
        int failed = result.Verdicts.Count(v => v.Verdict == Verdict.Fail);
        int passed = result.Verdicts.Count(v => v.Verdict == Verdict.Pass);
        int pending = result.Verdicts.Count(v => v.Verdict == Verdict.Pending);
        string counts = $"{passed} passed, {failed} failed, {pending} pending";
        return result.Passed ? $"Gate passed ({counts})." : $"Gate FAILED ({counts}; {result.Errors.Count()} error(s)).";
    }

    /// <summary>What the intervals and the p-value are, in one line under the table.</summary>
    public static string Legend(GateResult result)
    {
        string level = (1 - 2 * result.Alpha).ToString("0%", CultureInfo.InvariantCulture);
        return $"95% CI: mean ± 1.96 SE clustered by problem. vs base: paired change of the metric over the same problems, " +
               $"its {level} paired-bootstrap interval and one-sided p-value (alpha {result.Alpha.ToString(CultureInfo.InvariantCulture)}; docs/gate.md, \"Statistics\").";
    }

    static List<string[]> Rows(GateResult result) =>
        result.Verdicts.Select(v => new[]
        {
            v.Suite,
            v.Metric ?? "-",
            v.Count?.ToString(CultureInfo.InvariantCulture) ?? "-",
            Fraction(v.Accuracy),
            v.Interval is { } ci ? $"[{QualityGate.F(ci.Low)}, {QualityGate.F(ci.High)}]" : "-",
            Fraction(v.MinAccuracy),
            Fraction(v.Golden),
            v.Delta is double d ? PairedComparison.Signed(d) : "-",
            v.Paired is { } p ? PairedComparison.Signed(p.MeanDifference) : "-",
            v.Paired is { } q ? $"[{PairedComparison.Signed(q.Low)}, {PairedComparison.Signed(q.High)}]" : "-",
            v.Paired is { } r ? PairedComparison.P(v.MinGain is not null ? r.PGain : r.PWorse) : "-",
            v.Verdict switch { Verdict.Pass => "pass", Verdict.Fail => "FAIL", Verdict.Pending => "pending", _ => "-" },
            v.Reason,
        }).ToList();

    static string Fraction(double? value) => value is double v ? QualityGate.F(v) : "-";

    static void AppendRow(StringBuilder sb, string[] cells, int[] widths)
    {
        for (int c = 0; c < cells.Length; c++)
        {
            bool numeric = IsNumeric(c);
            string cell = numeric ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]);
            sb.Append(cell);
            if (c < cells.Length - 1) sb.Append("  ");
        }
        // Trailing padding of the last column is noise in logs.
        int end = sb.Length;
        while (end > 0 && sb[end - 1] == ' ') end--;
        sb.Length = end;
        sb.AppendLine();
    }
}
