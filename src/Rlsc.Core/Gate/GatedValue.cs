using System.Globalization;
using Rlsc.Core.Evaluation.Answers;
using Rlsc.Core.Evaluation.Expressions;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Evaluation.Metrics;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Evaluation.Suites;

namespace Rlsc.Core.Gate;

/// <summary>
/// Finds the gated metric's value and interval in a summary's suite, after checking that the suite was evaluated
/// the way the metric needs (k samples at its temperature). A mismatch is a reason, never a fallback to another number.
/// </summary>
public static class GatedValue
{
    // Temperatures are written by the same code that reads them; anything but an exact match is another decoding.
    const double Tolerance = 1e-9;

    public static (double Value, MetricInterval Interval)? Resolve(SuiteResult result, double? temperature, GatedMetric metric, out string reason)
    {
        reason = "";
        if (result.Samples is not int k)
        {
            reason = $"the summary does not say how many samples per problem it drew (`samples`); {metric.Name} needs {metric.K}";
            return null;
        }
        if (k != metric.K)
        {
            reason = $"evaluated with {k} sample(s) per problem, {metric.Name} needs exactly {metric.K}";
            return null;
        }
        if (temperature is not double t)
        {
            reason = $"the summary does not say its temperature (`settings.temperature`); {metric.Name} needs {T(metric.Temperature)}";
            return null;
        }
        if (Math.Abs(t - metric.Temperature) > Tolerance)
        {
            reason = $"evaluated at temperature {T(t)}, {metric.Name} needs {T(metric.Temperature)}";
            return null;
        }
        string key = metric.K.ToString(CultureInfo.InvariantCulture);
        (double? value, MetricInterval? interval) = metric.Kind switch
        {
            MetricKind.Greedy or MetricKind.Avg => (result.Accuracy, result.AccuracyCi),
            MetricKind.Maj => (result.MajAtK, result.MajAtKCi),
            _ => (result.PassAtK?.TryGetValue(key, out double p) == true ? p : null, result.PassAtKCi?.GetValueOrDefault(key)),
        };
        if (value is null)
        {
            reason = $"the summary has no {metric.Name}";
            return null;
        }
        if (interval is null)
        {
            reason = $"the summary has no interval for {metric.Name} (re-run the evaluation with this rlsc; every gated figure carries its interval)";
            return null;
        }
        return (value.Value, interval);
    }

    static string T(double t) => t.ToString("0.###", CultureInfo.InvariantCulture);
}
