namespace Rlsc.Core.Gate;

/// <summary>What the gate can see on one suite: the smallest drop it detects with 80% power at its level.</summary>
/// <param name="StandardError">The metric's standard error used (measured, or planned from the golden value).</param>
/// <param name="Measured">Whether <see cref="StandardError"/> was measured (a summary's interval) or planned.</param>
/// <param name="Drop">The smallest drop detected with 80% power by a one-sided test at level α: (z₁₋α + z₀.₈) · SE.</param>
/// <param name="SamplesNeeded">For a drop of max_drop: the smallest k of avg@k that could detect it, at best
/// (independent samples); null when the suite is not gated on a drop or already detects it.</param>
public sealed record Detectability(double StandardError, bool Measured, double Drop, int? SamplesNeeded);

/// <summary>
/// Power, said up front. A one-sided test at level α of "the metric dropped" detects a true drop δ with 80% power when
/// δ ≥ (z₁₋α + z₀.₈) · SE, with SE the metric's standard error (normal approximation). Without a measurement the
/// planning SE is the binomial one of the golden value p over n problems, sqrt(p(1 − p)/n): exact for greedy, maj@k
/// and pass@k scores (0 or 1 per problem; pass@k estimates are close), and the worst case for avg@k (samples of a
/// problem that always agree). avg@k's best case, independent samples, is sqrt(p(1 − p)/(n k)): so no k below
/// (z₁₋α + z₀.₈)² p(1 − p) / (n δ²) can detect δ. A `max_drop` below the detectable drop asks the gate to see a
/// change its data cannot, and is warned about (RLSC184).
/// </summary>
public static class DetectableDrop
{
    /// <summary>z₀.₈: the standard normal's 80% quantile (80% power).</summary>
    public const double ZPower = 0.8416212335729143;

    public static Detectability For(SuiteThreshold threshold, double alpha, double? measuredStandardError = null)
    {
        var metric = threshold.Metric ?? throw new ArgumentException("a pending suite has no metric", nameof(threshold));
        int n = threshold.Count ?? throw new ArgumentException("power needs the suite's count", nameof(threshold));
        double p = threshold.Golden ?? threshold.MinAccuracy ?? 0.5;
        double z = NormalQuantile(1 - alpha) + ZPower;
        double se = measuredStandardError ?? Math.Sqrt(Math.Max(p * (1 - p), 1.0 / n) / n);
        double drop = z * se;
        int? k = null;
        if (threshold.MaxDrop is double maxDrop && maxDrop > 0 && maxDrop < drop)
            k = (int)Math.Ceiling(z * z * p * (1 - p) / (n * maxDrop * maxDrop));
        return new Detectability(se, measuredStandardError is not null, drop, k);
    }

    /// <summary>
    /// The standard normal quantile, by Acklam's rational approximation (relative error below 1.15e-9): far finer than
    /// a significance level or a power needs. Checked against Python's statistics.NormalDist (eng/gate/reference.py).
    /// </summary>
    public static double NormalQuantile(double p)
    {
        if (p is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(p));
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        if (p < 0.02425)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p <= 1 - 0.02425)
        {
            double q = p - 0.5, r = q * q;
            return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        double t = Math.Sqrt(-2 * Math.Log(1 - p));
        return -(((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) / ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1);
    }
}
