using Rlsc.Core.Evaluation.Reports;

namespace Rlsc.Core.Evaluation.Comparison;

/// <summary>
/// The numbers of the before/after table for one suite, or for the macro over the suites (fractions in [0, 1]);
/// maj@k, pass@k and agreement only for a sampled variant.
/// </summary>
/// <param name="Accuracy">Greedy accuracy (k = 1) or avg@k: the mean share of correct samples.</param>
/// <param name="PassAtK">pass@k for the variant's k.</param>
public sealed record SuiteScores(int Problems, double Accuracy, double? MajAtK, double? PassAtK, double? Agreement)
{
    public static SuiteScores From(EvaluationVariant variant, SuiteSummary suite) => new(suite.Count, suite.Accuracy,
        variant.IsSampled ? suite.MajAtK : null,
        variant.IsSampled ? PassAt(variant, suite.PassAtK) : null,
        variant.IsSampled ? suite.MeanAgreement : null);

    /// <summary>pass@k at the variant's own k, when the evaluation computed it.</summary>
    internal static double? PassAt(EvaluationVariant variant, IReadOnlyDictionary<string, double> passAtK) =>
        passAtK.TryGetValue(variant.Samples.ToString(System.Globalization.CultureInfo.InvariantCulture), out double pass) ? pass : null;
}
