using System.Globalization;
using System.Text;

namespace Rlsc.Core.Gate;

/// <summary>
/// `rlsc gate --explain`: per suite, what is gated (metric, k, temperature, count), at which level, and the smallest
/// drop the gate detects with 80% power, so that a suite too small to see a regression says so before anyone relies
/// on it. With a summary the measured standard errors are used; without, the planning ones (<see cref="DetectableDrop"/>).
/// </summary>
public static class GateExplanation
{
    public static string Text(ModelThresholds thresholds, GateReport? summary = null)
    {
        var sb = new StringBuilder();
        string alpha = thresholds.Alpha.ToString(CultureInfo.InvariantCulture);
        sb.Append("Thresholds ").Append(thresholds.ModelKey).Append(" (").Append(thresholds.File).AppendLine(")");
        sb.Append("Admits: ").AppendLine(thresholds.AnyModel ? "any model (any_model: true)" : string.Join(", ", thresholds.Models));
        sb.Append("Significance level alpha = ").Append(alpha).AppendLine(", power 80%.");
        foreach (var (name, t) in thresholds.Suites.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            sb.AppendLine();
            if (t.Pending || t.Metric is null)
            {
                sb.Append(name).AppendLine(": pending measurement; only its presence (and count) is checked.");
                continue;
            }
            var m = t.Metric;
            sb.Append(name).Append(": ").Append(m.Name);
            if (m.Kind != MetricKind.Greedy) sb.Append(" at temperature ").Append(m.Temperature.ToString(CultureInfo.InvariantCulture));
            sb.Append(", ").Append(t.Count is int c ? $"{c} problems" : "no count").AppendLine(".");
            var checks = new List<string>();
            if (t.MinAccuracy is double min) checks.Add($"value >= {QualityGate.F(min)}");
            if (t.MaxDrop is double drop) checks.Add($"golden {(t.Golden is double g ? QualityGate.F(g) : "(from --golden)")} - value <= {QualityGate.F(drop)}");
            if (t.NotWorseThanBase) checks.Add($"not worse than the base model (paired test, fails when p < {alpha})");
            if (t.MinGain is double gain) checks.Add($"better than the base model by more than {QualityGate.F(gain)} (paired test, passes when p < {alpha})");
            sb.Append("  fails unless: ").AppendLine(string.Join("; ", checks));
            if (t.Count is null)
            {
                sb.AppendLine("  power: unknown without `count`.");
                continue;
            }
            double? measured = summary?.Suites.GetValueOrDefault(name) is { } result
                               && GatedValue.Resolve(result, summary.Temperature, m, out _) is { } gated
                ? gated.Interval.StandardError : null;
            var power = DetectableDrop.For(t, thresholds.Alpha, measured);
            sb.Append("  standard error ").Append(QualityGate.F(power.StandardError))
              .Append(power.Measured ? " (measured in the summary)" : m.Kind == MetricKind.Avg
                  ? " (planned: binomial of the golden value over problems, the worst case for avg@k)"
                  : " (planned: binomial of the golden value)").AppendLine();
            sb.Append("  smallest drop detected with 80% power: ").Append(QualityGate.F(power.Drop))
              .Append(" (").Append((power.Drop * 100).ToString("0.0", CultureInfo.InvariantCulture)).AppendLine(" points).");
            if (t.MaxDrop is double maxDrop)
            {
                if (maxDrop < power.Drop)
                {
                    sb.Append("  WARNING: max_drop ").Append(QualityGate.F(maxDrop)).Append(" is below it: the gate cannot reliably see a drop of max_drop.");
                    if (power.SamplesNeeded is int k && k > m.K)
                        sb.Append(" avg@k with k >= ").Append(k.ToString(CultureInfo.InvariantCulture))
                          .Append(" could, at best (independent samples; more when a problem's samples agree), or more problems.");
                    if (!power.Measured && m.Kind == MetricKind.Avg)
                        sb.Append(" (Planned from the worst case; pass --summary for the measured standard error, usually smaller for avg@k.)");
                    sb.AppendLine();
                }
                else
                {
                    sb.AppendLine("  max_drop is at or above it: a drop of max_drop is detected with at least 80% power.");
                }
            }
        }
        return sb.ToString();
    }
}
