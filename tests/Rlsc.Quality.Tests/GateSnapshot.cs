using System.Globalization;
using Rlsc.Core.Gate;

namespace Rlsc.Quality.Tests;

/// <summary>
/// The per-suite results as they go into the golden snapshot, rounded so that noise does not churn it.
/// Each suite's accuracy is recorded as a bucket [lo, lo + w) whose width w is one worst-case binomial
/// standard error of the suite, 0.5 / sqrt(count), rounded up to 0.01, 0.02, 0.05 or 0.10: a change smaller
/// than the noise of a suite that size rarely moves the bucket, and a change of a few standard errors always
/// does, so real quality changes show in review while rerun noise (another GPU, another seed for sampled
/// metrics) mostly does not. The gate's verdict is recorded too, and the question count exactly.
/// </summary>
static class GateSnapshot
{
    public const string Schema = "rlsc.gate.snapshot/v1";
    static readonly double[] Widths = [0.01, 0.02, 0.05, 0.10];

    public static double BucketWidth(int count)
    {
        double standardError = 0.5 / Math.Sqrt(count);
        foreach (double w in Widths)
            if (w >= standardError - 1e-12) return w;
        return Widths[^1];
    }

    public static string Bucket(double accuracy, int count)
    {
        double w = BucketWidth(count);
        // 1e-9 keeps exact multiples (0.6 stored as 0.59999999...) in their own bucket.
        double lo = Math.Floor(accuracy / w + 1e-9) * w;
        if (lo >= 1 - 1e-9) return "1.00";
        double hi = Math.Min(1, lo + w);
        return string.Create(CultureInfo.InvariantCulture, $"[{lo:0.00}, {hi:0.00})");
    }

    /// <summary>The snapshot object: model key, then per suite (sorted) count, accuracy bucket and verdict.</summary>
    public static SortedDictionary<string, object> From(GateResult result)
    {
        var suites = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var v in result.Verdicts)
        {
            var row = new SortedDictionary<string, object>(StringComparer.Ordinal)
            {
                ["verdict"] = v.Verdict.ToString().ToLowerInvariant(),
            };
            if (v.Count is int count && v.Accuracy is double accuracy)
            {
                row["count"] = count;
                row["accuracy"] = Bucket(accuracy, count);
            }
            else
            {
                row["accuracy"] = "missing";
            }
            suites[v.Suite] = row;
        }
        return new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["schema"] = Schema,
            ["model_key"] = result.ModelKey,
            ["suites"] = suites,
        };
    }
}
