using System.Text.Json.Serialization;
using Rlsc.Core.Evaluation.Reports;

namespace Rlsc.Core.Evaluation.Comparison;

/// <summary>The headline numbers of one variant (macro over the suites; fractions in [0, 1]) and the same per suite.</summary>
/// <param name="Accuracy">Greedy accuracy (k = 1) or avg@k: the mean share of correct samples.</param>
/// <param name="PassAtK">pass@k for the variant's k (null for greedy).</param>
public sealed record VariantScores(string Variant, double Temperature, int Samples, int Problems, double Accuracy,
    double? MajAtK, double? PassAtK, double? Agreement, double Seconds)
{
    /// <summary>
    /// Per suite, in evaluation order; the table shows them when there are several suites. Null in reports written
    /// before they were kept (and left out of the file then, so such a report's bytes do not change).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, SuiteScores>? BySuite { get; init; }

    /// <summary>The macro numbers in the shape of one suite's, so that the table renders both alike.</summary>
    [JsonIgnore]
    public SuiteScores Macro => new(Problems, Accuracy, MajAtK, PassAtK, Agreement);

    public static VariantScores From(EvaluationVariant variant, EvaluationSummary summary)
    {
        bool sampled = variant.IsSampled;
        return new VariantScores(variant.Name, variant.Temperature, variant.Samples, summary.Suites.Values.Sum(s => s.Count),
            summary.Macro.Accuracy,
            sampled ? summary.Macro.MajAtK : null,
            sampled ? SuiteScores.PassAt(variant, summary.Macro.PassAtK) : null,
            sampled ? summary.Macro.MeanAgreement : null,
            summary.Timing.Seconds)
        {
            BySuite = summary.Suites.ToDictionary(s => s.Key, s => SuiteScores.From(variant, s.Value)),
        };
    }
}
