using System.Globalization;

namespace Rlsc.Core.Gate;

/// <summary>Which per-problem score a suite is gated on.</summary>
public enum MetricKind
{
    /// <summary>One greedy (temperature 0) answer per problem: right or wrong.</summary>
    Greedy,
    /// <summary>avg@k: the share of k sampled answers that are right, averaged over problems (the summary's `accuracy`).</summary>
    Avg,
    /// <summary>maj@k: whether the majority of k sampled answers is right.</summary>
    Maj,
    /// <summary>pass@k: whether any of k sampled answers is right (the unbiased estimator with exactly k samples).</summary>
    Pass,
}

/// <summary>
/// The metric a thresholds file gates a suite on, with the decoding it needs: `"metric": "avg@8", "temperature": 0.5`.
/// The gate refuses a summary evaluated otherwise (another k or temperature), so a threshold is only ever compared
/// with the number it was set from.
/// </summary>
public sealed record GatedMetric(MetricKind Kind, int K, double Temperature)
{
    /// <summary>"greedy", "avg@8", "maj@8", "pass@8": the spelling of thresholds files and of the gate's table.</summary>
    public string Name => Kind switch
    {
        MetricKind.Greedy => "greedy",
        MetricKind.Avg => $"avg@{K}",
        MetricKind.Maj => $"maj@{K}",
        _ => $"pass@{K}",
    };

    /// <summary>Reads "greedy" or "avg@k" / "maj@k" / "pass@k"; null with a reason when the text is none of them.</summary>
    public static GatedMetric? Parse(string text, double? temperature, out string error)
    {
        error = "";
        if (text == "greedy")
        {
            if (temperature is double t && t != 0)
            {
                error = $"greedy decoding has temperature 0, not {t.ToString(CultureInfo.InvariantCulture)}; gate a sampled metric (avg@k) for sampling.";
                return null;
            }
            return new GatedMetric(MetricKind.Greedy, 1, 0);
        }
        int at = text.IndexOf('@');
        MetricKind? kind = at < 0 ? null : text[..at] switch { "avg" => MetricKind.Avg, "maj" => MetricKind.Maj, "pass" => MetricKind.Pass, _ => null };
        if (kind is null || !int.TryParse(text[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int k) || k < 1)
        {
            error = $"\"{text}\" is not a metric; write greedy, avg@k, maj@k or pass@k with k a whole number of samples (avg@8).";
            return null;
        }
        if (temperature is not double temp || !double.IsFinite(temp) || temp <= 0)
        {
            error = $"{text} samples k answers, so it needs its sampling temperature: `\"temperature\": 0.5` (greater than 0).";
            return null;
        }
        return new GatedMetric(kind.Value, k, temp);
    }

    /// <summary>The score of one problem from its graded samples (the per-problem term the suite's mean is made of).</summary>
    public double Score(IReadOnlyList<bool> correct, bool majorityCorrect)
    {
        int c = correct.Count(x => x);
        return Kind switch
        {
            MetricKind.Greedy => correct[0] ? 1 : 0,
            MetricKind.Avg => (double)c / correct.Count,
            MetricKind.Maj => majorityCorrect ? 1 : 0,
            _ => Rlsc.Core.Evaluation.Metrics.PassAtK.Estimate(correct.Count, c, K),
        };
    }
}
