namespace Rlsc.Core.Evaluation.Metrics;

/// <summary>
/// A metric's standard error and its 95% confidence interval, as written in summary.json next to the metric
/// (`accuracy_ci`, `maj_at_k_ci`, `pass_at_k_ci`). The interval is the normal one, mean ± 1.96 SE, clipped to [0, 1].
/// </summary>
/// <param name="StandardError">The standard error of the metric, clustered by problem (<see cref="ClusteredStandardError"/>).</param>
/// <param name="Low">Lower end of the interval.</param>
/// <param name="High">Upper end of the interval.</param>
/// <param name="Level">The interval's confidence level (0.95).</param>
public sealed record MetricInterval(double StandardError, double Low, double High, double Level);
