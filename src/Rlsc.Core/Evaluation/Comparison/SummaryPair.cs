using System.Globalization;
using Rlsc.Core.Evaluation.Reports;

namespace Rlsc.Core.Evaluation.Comparison;

/// <summary>
/// `rlsc report compare A B` (the Report stage): two evaluation summaries as the before/after report, A the base
/// model and B the fine-tuned one, each the variant of its own kind: greedy (one response at temperature 0) or k
/// samples at T. Only like with like is compared: both of one kind (the same k and T), on the same suites and the
/// same problems of each (count, selection, data); anything else is RLSC039 naming both files and what differs, since
/// a before/after change between, say, greedy and avg@8, or over other problems, measures the difference in
/// evaluation rather than the training. Other settings (seed, max new tokens, model) may differ.
/// </summary>
public static class SummaryPair
{
    public static BeforeAfterReport ToReport(EvaluationSummary before, string beforeFile, EvaluationSummary after, string afterFile)
    {
        RlscException Refuse(string what) => new(ErrorCodes.SummariesIncomparable,
            $"{beforeFile} and {afterFile} cannot be compared: {what}.", afterFile);
        var beforeVariant = VariantOf(VariantModel.Base, before, beforeFile);
        var afterVariant = VariantOf(VariantModel.FineTuned, after, afterFile);
        if ((beforeVariant.IsSampled, beforeVariant.Samples, beforeVariant.Temperature) != (afterVariant.IsSampled, afterVariant.Samples, afterVariant.Temperature))
            throw Refuse($"the first is {Kind(beforeVariant)}, the second {Kind(afterVariant)}; evaluate both alike (the same --samples and --temperature)");
        var suites = before.Suites.Keys.ToList();
        if (!suites.Order(StringComparer.Ordinal).SequenceEqual(after.Suites.Keys.Order(StringComparer.Ordinal)))
            throw Refuse($"the first has suites {string.Join(", ", suites)}, the second {string.Join(", ", after.Suites.Keys)}; evaluate both on the same suites");
        foreach (string suite in suites)
        {
            string first = Problems(before.Suites[suite]), second = Problems(after.Suites[suite]);
            if (first != second) throw Refuse($"suite {suite} was evaluated on other problems: {first} in the first, {second} in the second");
        }
        return BeforeAfterReport.Of(suites, [VariantScores.From(beforeVariant, before), VariantScores.From(afterVariant, after)]);
    }

    /// <summary>The variant a summary is by its settings; a sampled one must say at which temperature.</summary>
    static EvaluationVariant VariantOf(VariantModel model, EvaluationSummary summary, string file)
    {
        var settings = summary.Settings;
        if (settings.Samples == 1 && settings.Temperature is null or 0) return EvaluationVariant.Greedy(model);
        if (settings.Temperature is not double temperature)
            throw new RlscException(ErrorCodes.SummariesIncomparable,
                $"{settings.Samples} samples per problem but no temperature recorded, so the comparison cannot say which sampler it compares: " +
                "give `rlsc eval --predictions` the --temperature the samples were drawn at.", file);
        return EvaluationVariant.Sampled(model, temperature, settings.Samples);
    }

    static string Kind(EvaluationVariant variant) => variant.IsSampled
        ? $"{variant.Samples} sample(s) per problem at T={variant.Temperature.ToString(CultureInfo.InvariantCulture)}"
        : "greedy";

    static string Problems(SuiteSummary suite) =>
        $"{suite.Count} problems (indices {suite.Selection.Start}-{suite.Selection.End - 1} of {suite.Selection.SuiteSize}, data sha256 {suite.DataSha256})";
}
