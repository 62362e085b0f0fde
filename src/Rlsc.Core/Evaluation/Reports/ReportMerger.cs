using Rlsc.Core.Evaluation.Metrics;
using Rlsc.Core.Evaluation.Runner;

namespace Rlsc.Core.Evaluation.Reports;

/// <summary>
/// `rlsc report merge`: joins evaluation outputs of shards (different suites, or index ranges of one suite from
/// `rlsc eval --shard i/n`) into one output whose summary equals a single-machine run's: the metrics are recomputed
/// from the merged problems.jsonl, never averaged from shard summaries. Refuses (RLSC036) outputs of different
/// models, settings, data or run ids, problems evaluated twice, and missing problems.
/// Suites appear in the order they are first met in the inputs; timing and seconds are summed over the shards.
/// </summary>
public static class ReportMerger
{
    public static EvaluationSummary Merge(IReadOnlyList<string> inputs, string outputFolder)
    {
        if (inputs.Count == 0)
            throw new RlscException(ErrorCodes.InvalidArgument, "nothing to merge: pass --input with two or more evaluation folders or summary.json files.");
        var shards = inputs.Select(input =>
        {
            string folder = EvaluationOutput.FolderOf(input);
            var summary = EvaluationSummary.Load(Path.Combine(folder, EvaluationSummary.FileName));
            var problems = EvaluationOutput.ReadProblems(Path.Combine(folder, EvaluationOutput.ProblemsFile));
            return (Folder: folder, Summary: summary, Problems: problems);
        }).ToList();

        var first = shards[0];
        foreach (var shard in shards.Skip(1))
        {
            if (shard.Summary.Model != first.Summary.Model)
                throw Inconsistent($"{shard.Folder} evaluated model {Describe(shard.Summary.Model)}, {first.Folder} evaluated {Describe(first.Summary.Model)}.");
            if ((shard.Summary.Settings with { Shard = null }) != (first.Summary.Settings with { Shard = null }))
                throw Inconsistent($"{shard.Folder} and {first.Folder} were evaluated with different settings ({shard.Summary.Settings} vs {first.Summary.Settings}).");
            if (shard.Summary.RunId != first.Summary.RunId)
                throw Inconsistent($"{shard.Folder} has run_id '{shard.Summary.RunId}', {first.Folder} has '{first.Summary.RunId}': outputs of different runs.");
        }

        var suiteOrder = new List<string>();
        var records = new Dictionary<string, Dictionary<int, (ProblemRecord Record, string Folder)>>(StringComparer.Ordinal);
        var suiteInfo = new Dictionary<string, (SuiteSummary Summary, string Folder, double Seconds)>(StringComparer.Ordinal);
        foreach (var (folder, summary, problems) in shards)
        {
            foreach (var (name, suite) in summary.Suites)
            {
                if (!suiteInfo.TryGetValue(name, out var known))
                {
                    suiteOrder.Add(name);
                    suiteInfo[name] = (suite, folder, suite.Seconds);
                    records[name] = new();
                    continue;
                }
                if (known.Summary.DataSha256 != suite.DataSha256)
                    throw Inconsistent($"suite '{name}' was evaluated on different data in {known.Folder} ({known.Summary.DataSha256}) and {folder} ({suite.DataSha256}).");
                if (known.Summary.Selection.SuiteSize != suite.Selection.SuiteSize || known.Summary.Selection.Limit != suite.Selection.Limit)
                    throw Inconsistent($"suite '{name}' has a different size or --limit in {known.Folder} and {folder}.");
                suiteInfo[name] = known with { Seconds = known.Seconds + suite.Seconds };
            }
            foreach (var problem in problems)
            {
                if (!records.TryGetValue(problem.Suite, out var bySuite) || !summary.Suites.ContainsKey(problem.Suite))
                    throw Inconsistent($"{folder}/problems.jsonl has problem {problem.Index} of suite '{problem.Suite}', which its summary does not list.");
                if (bySuite.TryGetValue(problem.Index, out var existing))
                    throw Inconsistent($"problem {problem.Index} of suite '{problem.Suite}' was evaluated twice ({existing.Folder} and {folder}): the shards overlap.");
                bySuite[problem.Index] = (problem, folder);
            }
            foreach (var (name, suite) in summary.Suites)
            {
                int inFile = problems.Count(p => p.Suite == name);
                if (inFile != suite.Count)
                    throw Inconsistent($"{folder}: summary.json says suite '{name}' has {suite.Count} problems, problems.jsonl has {inFile}.");
            }
        }

        var suites = new Dictionary<string, SuiteSummary>(StringComparer.Ordinal);
        var merged = new List<ProblemRecord>();
        foreach (string name in suiteOrder)
        {
            var (known, _, seconds) = suiteInfo[name];
            int expected = known.Selection.Limit is { } limit ? Math.Min(limit, known.Selection.SuiteSize) : known.Selection.SuiteSize;
            var missing = Enumerable.Range(0, expected).Where(i => !records[name].ContainsKey(i)).ToList();
            if (missing.Count > 0)
                throw Inconsistent($"suite '{name}' misses problem(s) {EvaluationRunner.Ranges(missing)} of 0..{expected - 1}: a shard is missing from the inputs.");
            var ordered = records[name].Values.Select(v => v.Record).OrderBy(r => r.Index).ToList();
            var selection = new SuiteSelection { SuiteSize = known.Selection.SuiteSize, Limit = known.Selection.Limit, Shard = null, Start = 0, End = expected };
            suites[name] = SuiteMetrics.Aggregate(ordered, known.DataSha256, Math.Round(seconds, 3), selection);
            merged.AddRange(ordered);
        }

        var started = shards.Min(s => s.Summary.Timing.Started);
        var finished = shards.Max(s => s.Summary.Timing.Finished);
        var result = new EvaluationSummary
        {
            RlscVersion = EvaluationRunner.Version,
            Created = DateTimeOffset.UtcNow,
            RunId = first.Summary.RunId,
            Model = first.Summary.Model,
            Settings = first.Summary.Settings with { Shard = null },
            Suites = suites,
            Macro = SuiteMetrics.Macro(suites.Values),
            Timing = new TimingInfo(started, finished, Math.Round(shards.Sum(s => s.Summary.Timing.Seconds), 3)),
        };
        EvaluationOutput.Write(outputFolder, result, merged);
        return result;
    }

    static string Describe(ModelInfo m) => $"'{m.Name}' ({m.Path ?? "no path"}{(m.Revision is null ? "" : "@" + m.Revision)})";

    static RlscException Inconsistent(string message) => new(ErrorCodes.ShardsInconsistent, message);
}
