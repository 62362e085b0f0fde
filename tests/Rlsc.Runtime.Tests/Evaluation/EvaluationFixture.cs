using System.Text.Json;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Suites;
using Rlsc.Core.IO;

namespace Rlsc.Runtime.Tests.Evaluation;

/// <summary>Helpers shared by the run, merge and report tests: temp folders, predictions files, comparable JSON.</summary>
static class EvaluationFixture
{
    public static string TempFolder(string prefix)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"rlsc-{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// A predictions file for the given suites: for problem i, k responses mixing the right answer (boxed, or as
    /// "the answer is"), a wrong one and a failure, chosen by a seeded generator so every problem differs.
    /// </summary>
    public static string WritePredictions(string folder, IReadOnlyList<EvaluationSuite> suites, int k, int seed = 5)
    {
        var random = new Random(seed);
        string path = Path.Combine(folder, "predictions.jsonl");
        using var writer = new StreamWriter(path);
        foreach (var suite in suites)
            foreach (var problem in suite.Problems)
            {
                var responses = Enumerable.Range(0, k).Select(_ => random.Next(4) switch
                {
                    0 => $"Reasoning... so the result is \\boxed{{{problem.Gold}}}.",
                    1 => $"After some work, the answer is ${problem.Gold}$.",
                    2 => $"I get \\boxed{{{random.Next(1000)}}}.",
                    _ => "I am not sure.",
                }).ToList();
                writer.WriteLine(JsonSerializer.Serialize(new { suite = suite.Name, index = problem.Index, responses }));
            }
        return path;
    }

    /// <summary>The summary as JSON without the fields that legitimately differ between runs (times, version).</summary>
    public static string Comparable(EvaluationSummary s) => JsonSerializer.Serialize(s with
    {
        Created = default,
        Timing = new TimingInfo(default, default, 0),
        Suites = s.Suites.ToDictionary(p => p.Key, p => p.Value with { Seconds = 0 }),
    }, RlscJson.Output);

    /// <summary>problems.jsonl as JSON lines without per-problem seconds.</summary>
    public static List<string> ComparableProblems(string folder) =>
        EvaluationOutput.ReadProblems(Path.Combine(folder, EvaluationOutput.ProblemsFile))
            .Select(p => JsonSerializer.Serialize(p with { Seconds = 0 }, RlscJson.Line)).ToList();
}
