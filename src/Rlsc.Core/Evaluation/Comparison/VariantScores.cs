using Rlsc.Core.Evaluation.Reports;

namespace Rlsc.Core.Evaluation.Comparison;

/// <summary>The headline numbers of one variant (macro over the suites; fractions in [0, 1]).</summary>
/// <param name="Accuracy">Greedy accuracy (k = 1) or avg@k: the mean share of correct samples.</param>
/// <param name="PassAtK">pass@k for the variant's k (null for greedy).</param>
public sealed record VariantScores(string Variant, double Temperature, int Samples, int Problems, double Accuracy,
    double? MajAtK, double? PassAtK, double? Agreement, double Seconds)
{
    public static VariantScores From(EvaluationVariant variant, EvaluationSummary summary)
    {
        bool sampled = variant.Samples > 1;
        string k = variant.Samples.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new VariantScores(variant.Name, variant.Temperature, variant.Samples, summary.Suites.Values.Sum(s => s.Count),
            summary.Macro.Accuracy,
            sampled ? summary.Macro.MajAtK : null,
            sampled && summary.Macro.PassAtK.TryGetValue(k, out double pass) ? pass : null,
            sampled ? summary.Macro.MeanAgreement : null,
            summary.Timing.Seconds);
    }
}
