using System.Globalization;

namespace Rlsc.Core.Gate;

/// <summary>
/// The paired before/after check of one suite: the model and its base evaluated on the same problems, compared
/// problem by problem with <see cref="PairedBootstrap"/> on the gated metric's per-problem score. Everything that
/// would make the pairing meaningless (other problems, other data, another k or temperature, grades that do not
/// add up to the summary) is an RLSC183, and the two verdicts are RLSC182:
/// "not worse than base" fails when the test finds the model worse at level α; "better by at least D" fails unless
/// the test shows a gain above D at level α.
/// </summary>
public static class PairedComparison
{
    const double Tolerance = 1e-9;

    public static PairedTestResult? Judge(GateReport report, GateReport baseline, SuiteThreshold threshold, GatedMetric metric,
        double alpha, List<string> reasons, List<GateFinding> findings)
    {
        string name = threshold.Suite;
        var result = report.Suites[name];
        if (!baseline.Suites.TryGetValue(name, out var baseResult))
            return Unusable($"suite \"{name}\" is missing from the base model's summary; the paired test needs both models on the same problems.",
                baseline.File, baseline.Lines.LineOf("suites"), reasons, findings);
        if (baseResult.Count != result.Count)
            return Unusable($"suite \"{name}\": the base model was evaluated on {baseResult.Count} problems and the model on {result.Count}; the paired test needs the same problems.",
                baseline.File, baseline.Lines.LineOf($"suites.{name}.count"), reasons, findings);
        if (baseResult.DataSha256 is { } a && result.DataSha256 is { } b && a != b)
            return Unusable($"suite \"{name}\": the two summaries were evaluated on different data (data_sha256 {Short(a)} and {Short(b)}).",
                baseline.File, baseline.Lines.LineOf($"suites.{name}.data_sha256"), reasons, findings);
        if (GatedValue.Resolve(baseResult, baseline.Temperature, metric, out string why) is null)
            return Unusable($"suite \"{name}\": the base model's evaluation cannot be compared on {metric.Name}: {why}.",
                baseline.File, baseline.Lines.LineOf($"suites.{name}"), reasons, findings);

        IReadOnlyDictionary<int, GradedProblem> model, based;
        try
        {
            model = ProblemScores.Read(ProblemScores.FileBeside(report.File), name);
            based = ProblemScores.Read(ProblemScores.FileBeside(baseline.File), name);
        }
        catch (RlscException e)
        {
            return Unusable(e.Message, e.File, e.Line, reasons, findings);
        }
        var modelScores = Scores(model, metric, result.Count, report, name, out string? problem);
        if (problem is not null) return Unusable(problem, ProblemScores.FileBeside(report.File), null, reasons, findings);
        var baseScores = Scores(based, metric, result.Count, baseline, name, out problem);
        if (problem is not null) return Unusable(problem, ProblemScores.FileBeside(baseline.File), null, reasons, findings);
        if (!model.Keys.OrderBy(i => i).SequenceEqual(based.Keys.OrderBy(i => i)))
            return Unusable($"suite \"{name}\": the two evaluations graded different problems (their indices differ).",
                ProblemScores.FileBeside(baseline.File), null, reasons, findings);

        var differences = modelScores!.Zip(baseScores!, (m, s) => m - s).ToList();
        var test = PairedBootstrap.Run(differences, alpha, threshold.MinGain ?? 0);
        string change = $"change {Signed(test.MeanDifference)} [{Signed(test.Low)}, {Signed(test.High)}]";
        int? line = report.Lines.LineOf($"suites.{name}");
        if (threshold.NotWorseThanBase && test.PWorse < alpha)
        {
            reasons.Add($"worse than base: {change}, p = {P(test.PWorse)}");
            findings.Add(new GateFinding(ErrorCodes.GatePairedTestFailed,
                $"suite \"{name}\": {metric.Name} is worse than the base model's ({baseline.ModelName}): {change} " +
                $"({(1 - 2 * alpha):0%} interval), one-sided paired bootstrap p = {P(test.PWorse)} < alpha {alpha.ToString(CultureInfo.InvariantCulture)}.",
                report.File, line));
        }
        if (threshold.MinGain is double gain && test.PGain >= alpha)
        {
            reasons.Add($"gain over base not shown: {change}, needs > {Signed(gain)}, p = {P(test.PGain)}");
            findings.Add(new GateFinding(ErrorCodes.GatePairedTestFailed,
                $"suite \"{name}\": {metric.Name} must beat the base model ({baseline.ModelName}) by more than {Signed(gain)}; {change} " +
                $"({(1 - 2 * alpha):0%} interval), one-sided paired bootstrap p = {P(test.PGain)} >= alpha {alpha.ToString(CultureInfo.InvariantCulture)}: " +
                "the gain is not shown (a trainer that changes nothing fails here).",
                report.File, line));
        }
        return test;
    }

    // The per-problem scores in index order, after checking that they are the problems and numbers of the summary.
    static List<double>? Scores(IReadOnlyDictionary<int, GradedProblem> problems, GatedMetric metric, int count, GateReport summary,
        string suite, out string? problem)
    {
        problem = null;
        if (problems.Count != count)
        {
            problem = $"suite \"{suite}\": {ProblemScores.FileName} of {summary.File} grades {problems.Count} problems, its summary says {count}.";
            return null;
        }
        var bad = problems.Values.FirstOrDefault(p => p.Correct.Count != metric.K);
        if (bad is not null)
        {
            problem = $"suite \"{suite}\": problem {bad.Index} has {bad.Correct.Count} graded samples, {metric.Name} needs {metric.K}.";
            return null;
        }
        var scores = problems.Values.OrderBy(p => p.Index).Select(p => metric.Score(p.Correct, p.MajorityCorrect)).ToList();
        double recomputed = scores.Average();
        double reported = GatedValue.Resolve(summary.Suites[suite], summary.Temperature, metric, out _)!.Value.Value;
        if (Math.Abs(recomputed - reported) > Tolerance)
        {
            problem = $"suite \"{suite}\": the grades in {ProblemScores.FileName} give {metric.Name} {recomputed:0.0000}, its summary says {reported:0.0000}: " +
                      "the two files are not of the same evaluation.";
            return null;
        }
        return scores;
    }

    static PairedTestResult? Unusable(string message, string? file, int? line, List<string> reasons, List<GateFinding> findings)
    {
        reasons.Add("paired test impossible");
        findings.Add(new GateFinding(ErrorCodes.GatePairedInputInvalid, message, file, line));
        return null;
    }

    static string Short(string sha) => sha.Length > 12 ? sha[..12] + "…" : sha;

    internal static string Signed(double value) => value.ToString("+0.000;-0.000;+0.000", CultureInfo.InvariantCulture);

    internal static string P(double p) => p < 0.0001 ? "< 0.0001" : p.ToString("0.0000", CultureInfo.InvariantCulture);
}
