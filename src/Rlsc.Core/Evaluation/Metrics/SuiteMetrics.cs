using Rlsc.Core.Evaluation.Reports;

namespace Rlsc.Core.Evaluation.Metrics;

/// <summary>
/// Suite and macro metrics as pure functions of problems.jsonl records (sorted by index first), so that a merged
/// set of shards yields exactly the summary of a single run.
/// </summary>
public static class SuiteMetrics
{
    public static SuiteSummary Aggregate(IReadOnlyList<ProblemRecord> problems, string dataSha256, double seconds, SuiteSelection selection)
    {
        if (problems.Count == 0) throw new ArgumentException("a suite summary needs at least one problem", nameof(problems));
        var ordered = problems.OrderBy(p => p.Index).ToList();
        int k = ordered[0].Samples;
        if (ordered.Any(p => p.Samples != k))
            throw new RlscException(ErrorCodes.PredictionsInvalid,
                $"suite '{ordered[0].Suite}': problems have different numbers of samples ({string.Join(", ", ordered.Select(p => p.Samples).Distinct())}); every problem needs the same k.");
        string unit = ordered.All(p => p.LengthUnit == "tokens") ? "tokens" : "chars";
        if (unit == "chars" && ordered.Any(p => p.LengthUnit == "tokens"))
            throw new RlscException(ErrorCodes.PredictionsInvalid, $"suite '{ordered[0].Suite}': some problems have token lengths and some character lengths.");

        // Each metric is a mean over problems of a per-problem score; its interval is clustered by problem.
        var avgScores = ordered.Select(p => (double)p.CorrectCount / k).ToList();
        var majScores = ordered.Select(p => p.MajorityCorrect ? 1.0 : 0.0).ToList();
        double avg = avgScores.Average();
        var passAtK = new Dictionary<string, double>();
        var passAtKCi = new Dictionary<string, MetricInterval>();
        foreach (int kk in PassAtK.ReportedKs(k))
        {
            string key = kk.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var scores = ordered.Select(p => PassAtK.Estimate(k, p.CorrectCount, kk)).ToList();
            passAtK[key] = scores.Average();
            passAtKCi[key] = ClusteredStandardError.Interval(scores);
        }
        return new SuiteSummary
        {
            Count = ordered.Count,
            Samples = k,
            Accuracy = avg,
            AvgAtK = avg,
            MajAtK = majScores.Average(),
            PassAtK = passAtK,
            ExtractionFailureRate = ordered.Sum(p => p.Extracted.Count(e => e is null)) / (double)(ordered.Count * k),
            MeanResponseLength = ordered.Sum(p => p.Lengths.Sum(l => (double)l)) / (ordered.Count * k),
            ResponseLengthUnit = unit,
            MeanAgreement = ordered.Average(p => p.Agreement),
            DataSha256 = dataSha256,
            Seconds = seconds,
            Selection = selection,
            AccuracyCi = ClusteredStandardError.Interval(avgScores),
            MajAtKCi = ClusteredStandardError.Interval(majScores),
            PassAtKCi = passAtKCi,
        };
    }

    public static MacroSummary Macro(IReadOnlyCollection<SuiteSummary> suites)
    {
        var commonKs = suites.Select(s => s.PassAtK.Keys).Aggregate((a, b) => a.Intersect(b).ToList())
            .OrderBy(k => int.Parse(k, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        bool sameUnit = suites.Select(s => s.ResponseLengthUnit).Distinct().Count() == 1;
        return new MacroSummary
        {
            Suites = suites.Count,
            Accuracy = suites.Average(s => s.Accuracy),
            AvgAtK = suites.Average(s => s.AvgAtK),
            MajAtK = suites.Average(s => s.MajAtK),
            PassAtK = commonKs.ToDictionary(k => k, k => suites.Average(s => s.PassAtK[k])),
            ExtractionFailureRate = suites.Average(s => s.ExtractionFailureRate),
            MeanResponseLength = sameUnit ? suites.Average(s => s.MeanResponseLength) : null,
            ResponseLengthUnit = sameUnit ? suites.First().ResponseLengthUnit : null,
            MeanAgreement = suites.Average(s => s.MeanAgreement),
        };
    }
}
