using Microsoft.Build.Framework;
using Rlsc.Tasks.Tests.Infrastructure;

namespace Rlsc.Tasks.Tests;

/// <summary>
/// RlscEvaluate (grading predictions: no model needed) and RlscCompareReports around the real rlsc: the files the
/// tasks promise exist and hold what rlsc computed; rlsc's own errors keep their code.
/// </summary>
public class RealEvaluationTests
{
    TaskHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new TaskHarness();

    /// <summary>Predictions for the first <paramref name="count"/> gsm8k problems, a random subset of them right.</summary>
    (string File, int Right) Predictions(string name, int count, int seed)
    {
        var random = new Random(seed);
        string[] gold = File.ReadLines(Path.Combine(TestPaths.SharedFolder, "eval-data", "gsm8k", "test.jsonl")).Take(count)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("answer").GetString()!.Split("####")[1].Trim().Replace(",", ""))
            .ToArray();
        int right = 0;
        var lines = gold.Select((answer, index) =>
        {
            bool correct = random.Next(2) == 0;
            right += correct ? 1 : 0;
            string given = correct ? answer : (long.Parse(answer) + 1 + random.Next(100)).ToString();
            return $"{{\"index\": {index}, \"response\": \"So the answer is \\\\boxed{{{given}}}.\"}}";
        }).ToList();
        string file = _harness.Path(name + ".jsonl");
        File.WriteAllLines(file, lines);
        return (file, right);
    }

    RlscEvaluate Grade(string predictions, string output, int limit) => new()
    {
        RlscToolPath = TestPaths.RlscCli,
        Predictions = TaskHarness.Item(predictions),
        Suites = new[] { "gsm8k" },
        OutputDirectory = TaskHarness.Item(_harness.Path(output)),
        Limit = limit,
    };

    [Test]
    public void Grading_predictions_writes_the_promised_files_with_rlscs_accuracy()
    {
        var (predictions, right) = Predictions("before", 6, seed: Environment.TickCount);
        var task = Grade(predictions, "before", 6);
        Assert.That(_harness.Run(task), Is.True, string.Join("\n", _harness.Engine.Errors.Select(e => e.Message)));

        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(task.SummaryFile!.ItemSpec));
        Assert.That(summary.RootElement.GetProperty("schema").GetString(), Is.EqualTo("rlsc.eval.summary/v1"));
        var gsm8k = summary.RootElement.GetProperty("suites").GetProperty("gsm8k");
        Assert.That(gsm8k.GetProperty("count").GetInt32(), Is.EqualTo(6));
        Assert.That(gsm8k.GetProperty("accuracy").GetDouble(), Is.EqualTo(right / 6.0).Within(1e-9));
        Assert.That(File.ReadAllLines(task.ProblemsFile!.ItemSpec), Has.Length.EqualTo(6));
        Assert.That(File.Exists(task.ReportFile!.ItemSpec), Is.True);
        Assert.That(_harness.Engine.Messages.Where(m => m.Message!.StartsWith("eval: gsm8k")).Select(m => m.Importance), Is.Not.Empty.And.All.EqualTo(MessageImportance.Low),
            "rlsc eval's progress lines are progress");
    }

    [Test]
    public void The_comparison_report_shows_both_runs_and_reaches_the_job_summary()
    {
        var (before, _) = Predictions("before", 4, seed: 1);
        var (after, _) = Predictions("after", 4, seed: 2);
        Assert.That(_harness.Run(Grade(before, "before", 4)), Is.True);
        Assert.That(_harness.Run(Grade(after, "after", 4)), Is.True);

        _harness.Environment["GITHUB_ACTIONS"] = "true";
        _harness.Environment["GITHUB_STEP_SUMMARY"] = _harness.Path("step_summary.md");
        var compare = new RlscCompareReports
        {
            RlscToolPath = TestPaths.RlscCli,
            Baseline = TaskHarness.Item(_harness.Path("before", "summary.json")),
            Candidate = TaskHarness.Item(_harness.Path("after", "summary.json")),
            OutputFile = TaskHarness.Item(_harness.Path("report.md")),
        };
        Assert.That(_harness.Run(compare), Is.True, string.Join("\n", _harness.Engine.Errors.Select(e => e.Message)));
        string report = File.ReadAllText(compare.ReportFile!.ItemSpec);
        Assert.That(report, Does.StartWith("## RLSC before/after: gsm8k (4 held-out problems)").And.Contain("| greedy accuracy |"));
        Assert.That(File.ReadAllText(_harness.Path("step_summary.md")).TrimEnd(), Is.EqualTo(report.TrimEnd()));
    }

    [Test]
    public void An_unknown_suite_is_rlscs_error_not_the_tasks()
    {
        var (predictions, _) = Predictions("p", 1, seed: 3);
        var task = Grade(predictions, "o", 1);
        task.Suites = new[] { "no_such_suite" };
        Assert.That(_harness.Run(task), Is.False);
        var error = _harness.Engine.Errors.Single();
        Assert.That(error.Code, Does.Match("^RLSC0[0-4][0-9]$"), error.Message);
        Assert.That(error.Message, Does.Contain("no_such_suite"));
    }
}
