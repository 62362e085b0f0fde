using System.Globalization;
using System.Text;

namespace Rlsc.Core.Evaluation.Comparison;

/// <summary>
/// The before/after table: rows are metrics, columns the base model, the base model sampled cooler (when evaluated),
/// after RLSC and the change. The headline rows are the macro over the suites; with several suites the same rows
/// follow per suite. Rows of a pair that was not evaluated are left out. For one suite with every pair this is the
/// table `rlsc finetune` has always printed, byte for byte (BeforeAfterReportTests).
/// </summary>
static class BeforeAfterMarkdown
{
    static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Render(BeforeAfterReport report)
    {
        var v = report.Variants;
        var lowered = v.GetValueOrDefault(EvaluationVariant.BaseLowered);
        bool greedy = v.ContainsKey(EvaluationVariant.BaseGreedy), sampled = v.ContainsKey(EvaluationVariant.BaseSampled);
        string k = report.Samples?.ToString(C) ?? "";
        var md = new StringBuilder();
        int problems = v[greedy ? EvaluationVariant.BaseGreedy : EvaluationVariant.BaseSampled].Problems;
        md.Append(C, $"## RLSC before/after: {string.Join(", ", report.Suites)} ({problems} held-out problems)\n\n");
        Header(md, lowered, suiteColumn: false);
        Rows(md, report, lowered, "", scores => scores.Macro);
        md.Append('\n');
        if (report.Suites.Count > 1 && v.Values.All(s => s.BySuite is not null))
        {
            md.Append("### Per suite (the rows above are their unweighted means)\n\n");
            Header(md, lowered, suiteColumn: true);
            foreach (string suite in report.Suites)
                Rows(md, report, lowered, $"{suite} | ", scores => scores.BySuite![suite]);
            md.Append('\n');
        }
        if (lowered is not null)
            md.Append(C, $"The base model sampled at T={lowered.Temperature:0.##} is the sceptic's alternative: a cooler sampler instead of training. ");
        md.Append(sampled && greedy ? $"Sampled rows: {k} samples per problem at the temperature shown; greedy: one.\n"
            : sampled ? $"Sampled rows: {k} samples per problem at the temperature shown.\n"
            : "Greedy: one response per problem.\n");
        return md.ToString();
    }

    static void Header(StringBuilder md, VariantScores? lowered, bool suiteColumn)
    {
        md.Append(suiteColumn ? "| suite | metric | base model | " : "| metric | base model | ");
        if (lowered is not null) md.Append(C, $"base at T={lowered.Temperature:0.##} | ");
        md.Append(suiteColumn ? "after RLSC | change |\n|---|---|---:|" : "after RLSC | change |\n|---|---:|");
        if (lowered is not null) md.Append("---:|");
        md.Append("---:|---:|\n");
    }

    /// <summary>The metric rows of the pairs evaluated, each label after <paramref name="prefix"/> (a suite's cell).</summary>
    static void Rows(StringBuilder md, BeforeAfterReport report, VariantScores? lowered, string prefix, Func<VariantScores, SuiteScores> pick)
    {
        SuiteScores? Of(string name) => report.Variants.GetValueOrDefault(name) is { } scores ? pick(scores) : null;
        var (baseGreedy, rlscGreedy) = (Of(EvaluationVariant.BaseGreedy), Of(EvaluationVariant.RlscGreedy));
        var (baseSampled, rlscSampled) = (Of(EvaluationVariant.BaseSampled), Of(EvaluationVariant.RlscSampled));
        var cool = lowered is null ? null : pick(lowered);
        void Row(string label, double? before, double? cooler, double? after)
        {
            md.Append(C, $"| {prefix}{label} | {Percent(before)} | ");
            if (lowered is not null) md.Append(Percent(cooler)).Append(" | ");
            string change = before is double b && after is double a ? (a - b >= 0 ? "+" : "") + ((a - b) * 100).ToString("0.0", C) + " pts" : "";
            md.Append(C, $"{Percent(after)} | {change} |\n");
        }
        string t = report.TrainingTemperature?.ToString("0.##", C) ?? "", k = report.Samples?.ToString(C) ?? "";
        if (baseSampled is not null)
            Row($"sampled accuracy, T={t} (mean of {k})", baseSampled.Accuracy, cool?.Accuracy, rlscSampled!.Accuracy);
        if (baseGreedy is not null)
            Row("greedy accuracy", baseGreedy.Accuracy, null, rlscGreedy!.Accuracy);
        if (baseSampled is null) return;
        Row($"maj@{k}", baseSampled.MajAtK, cool?.MajAtK, rlscSampled!.MajAtK);
        Row($"pass@{k}", baseSampled.PassAtK, cool?.PassAtK, rlscSampled.PassAtK);
        Row($"agreement of the {k} samples", baseSampled.Agreement, cool?.Agreement, rlscSampled.Agreement);
    }

    static string Percent(double? fraction) => fraction is double f ? (f * 100).ToString("0.0", C) + "%" : "";
}
