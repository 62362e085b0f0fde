namespace Rlsc.Core.Evaluation.Metrics;

/// <summary>
/// Standard errors of suite metrics, clustered by problem. With k samples per problem the samples of one problem are
/// not independent (a model that knows the answer gets most of them right), so treating the n·k samples as
/// independent draws understates the error. Every metric here is a mean over problems of a per-problem score s_i
/// (avg@k: the share of correct samples; maj@k and greedy: 0 or 1; pass@k: the unbiased estimate), so the
/// cluster-robust standard error is the standard error of that mean over the n problems:
///
///     SE = sqrt( Σ (s_i − s̄)² / (n (n − 1)) )
///
/// which is the sandwich (CR1) estimator for equal cluster sizes. For k = 1 it is the usual binomial
/// sqrt(p(1 − p)/(n − 1)). Checked against eng/gate/reference.py (float64, numpy) in ClusteredStandardErrorTests.
/// </summary>
public static class ClusteredStandardError
{
    /// <summary>The 97.5% quantile of the standard normal: a two-sided 95% interval is ± this many standard errors.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The standard error of the mean of <paramref name="perProblem"/>, clustered by problem.</summary>
    public static double Of(IReadOnlyList<double> perProblem)
    {
        int n = perProblem.Count;
        if (n == 0) throw new ArgumentException("a standard error needs at least one problem", nameof(perProblem));
        // One problem has no spread to measure: report the largest standard error a score in [0, 1] can have,
        // so that the interval says "unknown" ([0, 1]) rather than "exact".
        if (n == 1) return 0.5;
        double mean = perProblem.Average();
        double squares = perProblem.Sum(s => (s - mean) * (s - mean));
        return Math.Sqrt(squares / ((double)n * (n - 1)));
    }

    /// <summary>The metric's 95% interval: mean ± 1.96 SE, clipped to [0, 1].</summary>
    public static MetricInterval Interval(IReadOnlyList<double> perProblem)
    {
        double mean = perProblem.Average();
        double se = Of(perProblem);
        return new MetricInterval(se, Math.Max(0, mean - Z95 * se), Math.Min(1, mean + Z95 * se), 0.95);
    }
}
